import { useEffect, useRef, useState } from 'react';
import { AuthClientError, type PasskeyAssertionJSON, type SignedIn } from '@gatehouse/client';
import { auth } from './auth';
import { describeError, type Problem } from './errors';
import { i18n } from './i18n';
import { PasskeyError } from './passkeyError';
import { cancelPasskeyCeremony, passkeyAssertion, passkeyAutofillSupported, passkeysSupported } from './webauthn';

interface PasskeySignInOptions {
  remember: boolean;
  onSignedIn: (signedIn: SignedIn) => void;
  /** What to show in the sign-in form; undefined clears it. */
  onProblem: (problem: Problem | undefined) => void;
}

/**
 * Signing in with a passkey alone, two ways: the "Sign in with a passkey" button (the
 * browser's dialog), and conditional UI, where the browser lists passkeys among the email
 * field's suggestions (autocomplete="username webauthn") while the page waits in the
 * background. Only one WebAuthn request can be open: the button's replaces the background
 * one, `pause` ends it when the password is submitted, and `resume` starts it again.
 */
export function usePasskeySignIn({ remember, onSignedIn, onProblem }: PasskeySignInOptions) {
  const [pending, setPending] = useState(false);
  const [round, setRound] = useState(0);
  const latest = useRef({ remember, onSignedIn, onProblem });
  useEffect(() => {
    latest.current = { remember, onSignedIn, onProblem };
  });

  async function finish(response: PasskeyAssertionJSON): Promise<void> {
    latest.current.onSignedIn(await auth.loginWithPasskey(response, latest.current.remember));
  }

  useEffect(() => {
    const lifetime = new AbortController();
    // A function, not a flag: the answer changes across each await.
    const stopped = () => lifetime.signal.aborted;
    void (async () => {
      if (!(await passkeyAutofillSupported()) || stopped()) return;
      let response: PasskeyAssertionJSON;
      try {
        const options = await auth.passkeyLoginOptions();
        if (stopped()) return;
        response = await passkeyAssertion(options, true);
      } catch {
        // In the background: not started, cancelled by this page, or dismissed. Nothing to say;
        // the button still works.
        return;
      }
      if (stopped()) return;
      latest.current.onProblem(undefined);
      try {
        await finish(response);
      } catch (error) {
        // They picked a passkey and the server refused it: say so, and offer passkeys again.
        if (stopped()) return;
        latest.current.onProblem(describePasskeySignIn(error));
        setRound((n) => n + 1);
      }
    })();
    return () => {
      lifetime.abort();
      cancelPasskeyCeremony();
    };
  }, [round]);

  async function signInWithPasskey(): Promise<void> {
    setPending(true);
    latest.current.onProblem(undefined);
    try {
      const options = await auth.passkeyLoginOptions();
      await finish(await passkeyAssertion(options)); // replaces the background request
    } catch (error) {
      if (!(error instanceof PasskeyError && error.kind === 'aborted')) {
        latest.current.onProblem(describePasskeySignIn(error));
      }
      setPending(false);
      setRound((n) => n + 1);
    }
  }

  return {
    supported: passkeysSupported(),
    pending,
    signInWithPasskey,
    /** The password is being submitted: the background request must not sign in someone else meanwhile. */
    pause: cancelPasskeyCeremony,
    /** The password sign-in failed: offer passkeys in the field again. */
    resume: () => {
      setRound((n) => n + 1);
    },
  };
}

function describePasskeySignIn(error: unknown): Problem {
  const problem = describeError(error);
  // The server's word for an unknown, removed or replayed passkey; "email or password" would mislead.
  if (error instanceof AuthClientError && error.code === 'invalid_credentials') {
    return { ...problem, message: i18n.t('problems:passkey.notRecognised') };
  }
  return problem;
}
