import { useEffect, useRef, useState } from 'react';
import type { User } from '@gatehouse/client';
import { openAccount } from './accountRoute';
import { Icon } from './Icon';
import './account.css';

interface AccountMenuProps {
  user: User;
  signingOut: boolean;
  onSignOut: () => void;
}

/**
 * The avatar and name in the top bar, opening a short list: the account page and sign out.
 * A disclosure (button + list), not an ARIA menu: Tab moves through it, Escape closes it and
 * returns focus to the button.
 */
export function AccountMenu({ user, signingOut, onSignOut }: AccountMenuProps) {
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
        aria-label={`${displayName}: account menu`}
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
                Account and sessions
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
                Sign out
              </button>
            </li>
          </ul>
        </div>
      )}
    </div>
  );
}
