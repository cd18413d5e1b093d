import { useState } from 'react';
import type { SecondFactorRequired, SignedIn } from '@gatehouse/client';
import { Logo } from './Logo';
import { ForgotPasswordForm } from './ForgotPasswordForm';
import { SecondFactorStep } from './SecondFactorStep';
import { SignInForm } from './SignInForm';
import { SignUpForm } from './SignUpForm';

type Mode = 'signIn' | 'signUp' | 'forgot';

/** The way out of each form, under the card. */
const SWITCH: Record<Mode, { question: string; action: string }> = {
  signIn: { question: 'New to Gatehouse Reader?', action: 'Create account' },
  signUp: { question: 'Already have an account?', action: 'Sign in' },
  forgot: { question: 'Remembered it?', action: 'Back to sign in' },
};

interface AuthCardProps {
  /** Why the user is here, e.g. their session ended; shown on the sign-in form. */
  notice?: string | undefined;
  /** Prefills the email field, e.g. with the account whose session just ended. */
  initialEmail?: string | undefined;
  onSignedIn: (signedIn: SignedIn) => void;
}

/** The signed-out page: product name, tagline, and the sign-in, create-account and reset-link forms. */
export function AuthCard({ notice, initialEmail, onSignedIn }: AuthCardProps) {
  const [mode, setMode] = useState<Mode>('signIn');
  // Shared so that switching forms (or "email taken → sign in") keeps what was typed.
  const [email, setEmail] = useState(initialEmail ?? '');
  // Only after a switch: on first load the page should not jump into a field.
  const [switched, setSwitched] = useState(false);
  // The password was right and a second factor is due: held here, in memory only.
  const [challenge, setChallenge] = useState<SecondFactorRequired | undefined>();
  // Why the user is back at the password after a second step (too many codes, timed out).
  const [restartNotice, setRestartNotice] = useState<string | undefined>();

  function switchTo(next: Mode) {
    setMode(next);
    setSwitched(true);
    setRestartNotice(undefined);
  }

  return (
    <main className="auth-page">
      <div className="auth-card">
        <header className="auth-header">
          <Logo />
          <h1 className="product-name">Gatehouse Reader</h1>
          <p className="tagline">Follow the blogs and news sites you care about, and read them in one place.</p>
        </header>
        {challenge !== undefined ? (
          <SecondFactorStep
            challenge={challenge}
            onSignedIn={onSignedIn}
            onRestart={(message) => {
              setChallenge(undefined);
              setRestartNotice(message);
              setSwitched(true);
            }}
          />
        ) : mode === 'signIn' ? (
          <SignInForm
            email={email}
            onEmailChange={setEmail}
            notice={restartNotice ?? (switched ? undefined : notice)}
            autoFocus={switched}
            onSignedIn={onSignedIn}
            onSecondFactor={(next) => {
              setRestartNotice(undefined);
              setChallenge(next);
            }}
            onForgotPassword={() => {
              switchTo('forgot');
            }}
          />
        ) : mode === 'forgot' ? (
          <ForgotPasswordForm email={email} onEmailChange={setEmail} autoFocus={switched} />
        ) : (
          <SignUpForm
            email={email}
            onEmailChange={setEmail}
            autoFocus={switched}
            onSignedIn={onSignedIn}
            onSwitchToSignIn={() => {
              switchTo('signIn');
            }}
          />
        )}
        {challenge === undefined && (
          <p className="auth-switch">
            {SWITCH[mode].question}{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                switchTo(mode === 'signIn' ? 'signUp' : 'signIn');
              }}
            >
              {SWITCH[mode].action}
            </button>
          </p>
        )}
      </div>
    </main>
  );
}
