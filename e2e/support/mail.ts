import { expect } from '@playwright/test';
import type { CaughtMail, MailCatcher } from '../../test-support/mail-catcher.js';

export { startMailCatcher, type CaughtMail, type MailCatcher } from '../../test-support/mail-catcher.js';

/** The reset mail's subject ("Reset your password · <app name>"), for `MailCatcher.waitFor`. */
export const RESET_SUBJECT = /^Reset your password/;

function isResetMail(mail: CaughtMail): boolean {
  return mail.subject.startsWith('Reset your password');
}

/** A link a mail carries to one of the app's pages, and the token in its fragment. */
export interface MailedLink {
  url: string;
  token: string;
}

/** The first link in `mail` to `path` (e.g. /reset-password), whatever origin it names. */
export function linkIn(mail: CaughtMail, path: string): MailedLink {
  for (const url of mail.links) {
    const parsed = new URL(url);
    if (parsed.pathname !== path) continue;
    const token = new URLSearchParams(parsed.hash.slice(1)).get('token');
    if (token !== null && token !== '') return { url, token };
  }
  throw new Error(`no ${path}#token= link in "${mail.subject}": ${mail.links.join(' ')}`);
}

/**
 * The link in the reset mail to `email` that `ask()` causes: mail that arrived before is
 * counted first, so two links asked for in a row are told apart.
 */
export async function nextResetLink(mail: MailCatcher, email: string, ask: () => Promise<void>): Promise<MailedLink> {
  const before = mail.to(email).filter(isResetMail).length;
  await ask();
  let caught: CaughtMail | undefined;
  await expect
    .poll(
      () => {
        caught = mail.to(email).filter(isResetMail)[before];
        return caught !== undefined;
      },
      { timeout: 15_000, message: `a reset mail to ${email}` },
    )
    .toBe(true);
  if (caught === undefined) throw new Error('no reset mail');
  return linkIn(caught, '/reset-password');
}
