import type { SignedOutReason } from '@gatehouse/client';
import { sessionEndedNotice } from './errors';
import { i18n } from './i18n';

export function accountDeleted(): string {
  return i18n.t('auth:notice.accountDeleted');
}

/** What the sign-in page says when the auth client reports this tab signed out; nothing for the user's own sign-out. */
export function signedOutNotice(reason: SignedOutReason): string | undefined {
  switch (reason) {
    case 'expired':
      return sessionEndedNotice();
    case 'revoked':
      return i18n.t('auth:notice.revoked');
    case 'other-tab':
      return i18n.t('auth:notice.otherTab');
    case 'deleted':
      return accountDeleted();
    case 'signed-out':
      return undefined;
  }
}
