import { useEffect, useRef, useState } from 'react';
import type { User } from '@gatehouse/client';
import { useTranslation } from 'react-i18next';
import { openAccount } from './accountRoute';
import { applyLanguageChoice } from './i18n';
import type { Language } from './i18n/language';
import { Icon } from './Icon';
import { LanguageSelect } from './LanguageSelect';
import { usePreferences } from './preferences';
import './account.css';
import './account-menu-language.css';

interface AccountMenuProps {
  user: User;
  signingOut: boolean;
  onSignOut: () => void;
  /** Reports a language choice the server did not save (or ends the session on a 401). */
  complain: (prefix: string, error: unknown) => void;
}

/**
 * The avatar and name in the top bar, opening a short list: the account page, the language
 * and sign out. A disclosure (button + list), not an ARIA menu: Tab moves through it, Escape
 * closes it and returns focus to the button.
 */
export function AccountMenu({ user, signingOut, onSignOut, complain }: AccountMenuProps) {
  const { t } = useTranslation();
  const { preferences, update } = usePreferences();
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const firstItemRef = useRef<HTMLButtonElement>(null);
  const displayName = user.name ?? user.email;

  useEffect(() => {
    if (!open) return;
    firstItemRef.current?.focus();
    const closeOnOutside = (event: PointerEvent) => {
      if (!(event.target instanceof Node) || rootRef.current?.contains(event.target) !== true) setOpen(false);
    };
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', closeOnOutside);
    document.addEventListener('keydown', closeOnEscape);
    return () => {
      document.removeEventListener('pointerdown', closeOnOutside);
      document.removeEventListener('keydown', closeOnEscape);
    };
  }, [open]);

  /** Spoken at once; saved with the user's preferences, so every device and the next visit follow. */
  function chooseLanguage(choice: Language | null) {
    applyLanguageChoice(choice);
    update({ language: choice }).catch((error: unknown) => {
      complain(t('reader:accountMenu.languageFailed'), error);
    });
  }

  return (
    <div
      ref={rootRef}
      className="account-menu"
      onBlur={(event) => {
        // Tabbing out of the open list closes it.
        if (open && !(event.relatedTarget instanceof Node && rootRef.current?.contains(event.relatedTarget))) {
          setOpen(false);
        }
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="account-menu-button"
        aria-expanded={open}
        aria-controls="account-menu-list"
        // A label, not hidden text: on a phone the name is hidden and the button is the avatar alone.
        aria-label={t('reader:accountMenu.label', { name: displayName })}
        title={user.email}
        onClick={() => {
          setOpen((shown) => !shown);
        }}
      >
        <span className="avatar" aria-hidden="true">
          {displayName.charAt(0).toUpperCase()}
        </span>
        <span className="account-name">{displayName}</span>
        <Icon name={open ? 'chevronUp' : 'chevronDown'} />
      </button>
      {open && (
        <div id="account-menu-list" className="account-menu-list">
          <p className="account-menu-who">
            <span className="account-menu-name">{displayName}</span>
            {user.name !== null && <span className="account-menu-email">{user.email}</span>}
          </p>
          <ul>
            <li>
              <button
                ref={firstItemRef}
                type="button"
                className="account-menu-item"
                onClick={() => {
                  setOpen(false);
                  openAccount();
                }}
              >
                {t('reader:accountMenu.account')}
              </button>
            </li>
            <li>
              <button
                type="button"
                className="account-menu-item"
                disabled={signingOut}
                aria-busy={signingOut}
                onClick={onSignOut}
              >
                {t('reader:accountMenu.signOut')}
              </button>
            </li>
          </ul>
          <div className="account-menu-language">
            <LanguageSelect value={preferences.language} onChange={chooseLanguage} />
          </div>
        </div>
      )}
    </div>
  );
}
