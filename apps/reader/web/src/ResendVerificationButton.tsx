import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { auth } from './auth';
import { describeError } from './errors';
import { Sentence } from './Sentence';

type Sending =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'sent' }
  | { kind: 'verified' }
  | { kind: 'failed'; message: string };

interface ResendVerificationButtonProps {
  email: string;
  /** The server says the address is verified already (another tab opened the link). */
  onAlreadyVerified?: () => void;
  className?: string;
  /** The button's words before anything was sent. */
  label?: string;
}

/** "Resend link", then what became of it: sent, already verified, or why not (a rate limit, say). */
export function ResendVerificationButton({
  email,
  onAlreadyVerified,
  className = '',
  label,
}: ResendVerificationButtonProps) {
  const { t } = useTranslation();
  const [sending, setSending] = useState<Sending>({ kind: 'idle' });

  async function send() {
    setSending({ kind: 'pending' });
    try {
      const status = await auth.sendVerificationEmail();
      setSending({ kind: status === 'already_verified' ? 'verified' : 'sent' });
      if (status === 'already_verified') onAlreadyVerified?.();
    } catch (error) {
      setSending({ kind: 'failed', message: describeError(error).message });
    }
  }

  return (
    <div className={`resend ${className}`.trim()}>
      <button
        type="button"
        className="button button-secondary button-small"
        disabled={sending.kind === 'pending'}
        aria-busy={sending.kind === 'pending'}
        onClick={() => {
          void send();
        }}
      >
        {sending.kind === 'sent' ? t('auth:resend.again') : (label ?? t('auth:resend.label'))}
      </button>
      <p className={sending.kind === 'failed' ? 'resend-status resend-failed' : 'resend-status'} role="status">
        {sending.kind === 'sent' && (
          <Sentence
            i18nKey="auth:resend.sent"
            values={{ email }}
            components={{ email: <span className="wrap-anywhere" /> }}
          />
        )}
        {sending.kind === 'verified' && t('auth:resend.verified')}
        {sending.kind === 'failed' && sending.message}
      </p>
    </div>
  );
}
