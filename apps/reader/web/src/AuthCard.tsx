import { useState } from 'react';
import type { SignedIn } from '@gatehouse/client';
import { Logo } from './Logo';
import { SignInForm } from './SignInForm';
import { SignUpForm } from './SignUpForm';

type Mode = 'signIn' | 'signUp';

interface AuthCardProps {
  /** Why the user is here, e.g. their session ended; shown on the sign-in form. */
  notice?: string | undefined;
  /** Prefills the email field, e.g. with the account whose session just ended. */
  initialEmail?: string | undefined;
  onSignedIn: (signedIn: SignedIn) => void;
}

/** The signed-out page: product name, tagline, and sign-in / create-account forms. */
export function AuthCard({ notice, initialEmail, onSignedIn }: AuthCardProps) {
  const [mode, setMode] = useState<Mode>('signIn');
  // Shared so that switching forms (or "email taken → sign in") keeps what was typed.
  const [email, setEmail] = useState(initialEmail ?? '');
  // Only after a switch: on first load the page should not jump into a field.
  const [switched, setSwitched] = useState(false);

  function switchTo(next: Mode) {
    setMode(next);
    setSwitched(true);
  }

  return (
    <main className="auth-page">
      <div className="auth-card">
        <header className="auth-header">
          <Logo />
          <h1 className="product-name">Gatehouse Reader</h1>
          <p className="tagline">Follow the blogs and news sites you care about, and read them in one place.</p>
        </header>
        {mode === 'signIn' ? (
          <SignInForm
            email={email}
            onEmailChange={setEmail}
            notice={switched ? undefined : notice}
            autoFocus={switched}
            onSignedIn={onSignedIn}
          />
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
        <p className="auth-switch">
          {mode === 'signIn' ? 'New to Gatehouse Reader?' : 'Already have an account?'}{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              switchTo(mode === 'signIn' ? 'signUp' : 'signIn');
            }}
          >
            {mode === 'signIn' ? 'Create account' : 'Sign in'}
          </button>
        </p>
      </div>
    </main>
  );
}
