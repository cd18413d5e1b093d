import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '@gatehouse/client';
import { Icon } from './Icon';
import { ResendVerificationButton } from './ResendVerificationButton';
import { Sentence } from './Sentence';

// Dismissed for this page view only: the next load asks again until the address is verified.
let dismissed = false;

/** Above the reader while the user's address is unverified: where the link went, and a new one. */
export function VerifyEmailBanner({ user, onVerified }: { user: User; onVerified: () => void }) {
  const { t } = useTranslation();
  const [hidden, setHidden] = useState(dismissed);
  if (user.emailVerified || hidden) return null;
  return (
    <section className="verify-banner" aria-label={t('auth:banner.label')}>
      <p className="verify-banner-text">
        <Sentence
          i18nKey="auth:banner.text"
          values={{ email: user.email }}
          components={{ strong: <strong />, email: <span className="wrap-anywhere" /> }}
        />
      </p>
      <ResendVerificationButton email={user.email} onAlreadyVerified={onVerified} className="verify-banner-resend" />
      <button
        type="button"
        className="icon-button icon-button-small verify-banner-close"
        aria-label={t('auth:banner.dismiss')}
        onClick={() => {
          dismissed = true;
          setHidden(true);
        }}
      >
        <Icon name="close" />
      </button>
    </section>
  );
}
