import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SecondFactorRequired, SignedIn } from '@gatehouse/client';
import { applyLanguageChoice, storedLanguageChoice } from './i18n';
import { LanguageSelect } from './LanguageSelect';
import { Logo } from './Logo';
import { ForgotPasswordForm } from './ForgotPasswordForm';
import { SecondFactorStep } from './SecondFactorStep';
import { SignInForm } from './SignInForm';
import { SignUpForm } from './SignUpForm';
import './auth-card.css';

type Mode = 'signIn' | 'signUp' | 'forgot';

/** The way out of each form, under the card (each key written out for the translations test). */
const SWITCH: Record<Mode, { question: string; action: string }> = {
  signIn: { question: 'auth:switch.signIn.question', action: 'auth:switch.signIn.action' },
  signUp: { question: 'auth:switch.signUp.question', action: 'auth:switch.signUp.action' },
  forgot: { question: 'auth:switch.forgot.question', action: 'auth:switch.forgot.action' },
};

interface AuthCardProps {
  /** Why the user is here, e.g. their session ended; shown on the sign-in form. */
  notice?: string | undefined;
  /** Prefills the email field, e.g. with the account whose session just ended. */
  initialEmail?: string | undefined;
  /** A fresh install (no account yet): its first visitor comes to create one. */
  startOnSignUp?: boolean;
  onSignedIn: (signedIn: SignedIn) => void;
}

/** The signed-out page: product name, tagline, and the sign-in, create-account and reset-link forms. */
export function AuthCard({ notice, initialEmail, startOnSignUp = false, onSignedIn }: AuthCardProps) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>(startOnSignUp ? 'signUp' : 'signIn');
  // Signed out, the choice is this device's; once signed in, the user's saved one wins.
  const [language, setLanguage] = useState(storedLanguageChoice);
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
          <h1 className="product-name">{t('auth:productName')}</h1>
          <p className="tagline">{t('auth:tagline')}</p>
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
            {t(SWITCH[mode].question)}{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                switchTo(mode === 'signIn' ? 'signUp' : 'signIn');
              }}
            >
              {t(SWITCH[mode].action)}
            </button>
          </p>
        )}
        <footer className="auth-footer">
          <LanguageSelect
            value={language}
            onChange={(choice) => {
              setLanguage(choice);
              applyLanguageChoice(choice);
            }}
          />
        </footer>
      </div>
    </main>
  );
}
