import type { SignedOutReason } from '@gatehouse/client';
import { SESSION_ENDED } from './errors';

export const ACCOUNT_DELETED = 'Your account was deleted.';

/** What the sign-in page says when the auth client reports this tab signed out; nothing for the user's own sign-out. */
export function signedOutNotice(reason: SignedOutReason): string | undefined {
  switch (reason) {
    case 'expired':
      return SESSION_ENDED;
    case 'revoked':
      return 'For your security you were signed out: this sign-in was used from somewhere else. Please sign in again.';
    case 'other-tab':
      return 'You signed out in another tab.';
    case 'deleted':
      return ACCOUNT_DELETED;
    case 'signed-out':
      return undefined;
  }
}
