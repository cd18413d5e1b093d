import { useState } from 'react';
import type { User } from '@gatehouse/client';
import { Icon } from './Icon';
import { ResendVerificationButton } from './ResendVerificationButton';

// Dismissed for this page view only: the next load asks again until the address is verified.
let dismissed = false;

/** Above the reader while the user's address is unverified: where the link went, and a new one. */
export function VerifyEmailBanner({ user, onVerified }: { user: User; onVerified: () => void }) {
  const [hidden, setHidden] = useState(dismissed);
  if (user.emailVerified || hidden) return null;
  return (
    <section className="verify-banner" aria-label="Confirm your email address">
      <p className="verify-banner-text">
        <strong>Confirm your email address:</strong> we sent a link to{' '}
        <span className="wrap-anywhere">{user.email}</span>.
      </p>
      <ResendVerificationButton email={user.email} onAlreadyVerified={onVerified} className="verify-banner-resend" />
      <button
        type="button"
        className="icon-button icon-button-small verify-banner-close"
        aria-label="Dismiss"
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
