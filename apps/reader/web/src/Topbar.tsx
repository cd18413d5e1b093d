import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '@gatehouse/client';
import { AccountMenu } from './AccountMenu';
import { auth } from './auth';
import { Icon } from './Icon';
import { Logo } from './Logo';
import { ReadingSettingsButton } from './ReadingSettings';

interface TopbarProps {
  user: User;
  onShowShortcuts: () => void;
  onSignedOut: () => void;
  /** Reports a failed sign-out (or ends the session on a 401). */
  complain: (prefix: string, error: unknown) => void;
}

/** Product name, the shortcuts help, and the account menu (account page, sign out). */
export function Topbar({ user, onShowShortcuts, onSignedOut, complain }: TopbarProps) {
  const { t } = useTranslation();
  const [signingOut, setSigningOut] = useState(false);

  async function signOut() {
    setSigningOut(true);
    try {
      await auth.signOut();
      onSignedOut();
    } catch (error) {
      complain(t('reader:topbar.signOutFailed'), error);
      setSigningOut(false);
    }
  }

  return (
    <header className="topbar">
      <div className="brand">
        <Logo />
        <h1 className="brand-name">Gatehouse Reader</h1>
      </div>
      <div className="account">
        <button
          type="button"
          className="icon-button topbar-shortcuts"
          aria-label={t('reader:topbar.shortcuts')}
          title={t('reader:topbar.shortcutsTitle')}
          onClick={onShowShortcuts}
        >
          <Icon name="keyboard" />
        </button>
        <ReadingSettingsButton complain={complain} />
        <AccountMenu
          user={user}
          signingOut={signingOut}
          onSignOut={() => {
            void signOut();
          }}
          complain={complain}
        />
      </div>
    </header>
  );
}
