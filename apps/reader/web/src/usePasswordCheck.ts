import { useEffect, useState } from 'react';
import type { PasswordCheck } from '@gatehouse/client';
import { auth } from './auth';
import { passwordAdvice } from './problemText';

/** Long enough not to ask on every keystroke, short enough to answer before the user submits. */
const CHECK_DELAY_MS = 300;

interface PasswordContext {
  /** The account's email and name: a password made of them is refused. */
  email?: string | undefined;
  name?: string | undefined;
}

/**
 * Why the server would refuse this password (too short, too common, made of the email…),
 * asked while the user types, or undefined when it would accept it or cannot say. Advice
 * only: the submit is judged by the server all the same.
 */
export function usePasswordCheck(password: string, { email, name }: PasswordContext): string | undefined {
  // The server's English and its code, said in the page's language when shown.
  const [advice, setAdvice] = useState<{ password: string; refusal: PasswordCheck | undefined }>();

  useEffect(() => {
    if (password === '') return;
    let current = true;
    const timer = setTimeout(() => {
      const context = { ...(email ? { email } : {}), ...(name ? { name } : {}) };
      auth.checkPassword({ password, ...context }).then(
        (check) => {
          if (current) setAdvice({ password, refusal: check.acceptable ? undefined : check });
        },
        () => {
          // Offline or rate limited: no advice, and the submit will still say why.
        },
      );
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [password, email, name]);

  // Kept while the next answer is on its way, so the message doesn't blink on each keystroke.
  const refusal = password === '' ? undefined : advice?.refusal;
  return refusal?.message === undefined ? undefined : passwordAdvice(refusal.message, refusal.code);
}
