import { Fragment, useEffect, useRef, type ReactNode } from 'react';
import type { CreatedAppPassword } from '@gatehouse/client';
import { selectContents, useCopy } from './useCopy';

/**
 * A password just made, with what to type into the app: this answer is the only one that
 * carries it (the server keeps a hash), so everything the user needs is on screen at once.
 */
export function NewAppPassword({ created, onDone }: { created: CreatedAppPassword; onDone: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { password, appPassword } = created;
  const login = appPassword.feverLogin;
  const origin = window.location.origin;

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <div className="api-key-secret app-password-new" role="group" aria-labelledby="app-password-new-title">
      <h3 ref={headingRef} id="app-password-new-title" className="account-subtitle" tabIndex={-1}>
        App password for “<span className="wrap-anywhere">{appPassword.name}</span>”
      </h3>
      <p className="api-key-warning">
        <strong>Enter it in your app now: it won’t be shown again.</strong> It only lets apps sync your feeds, and you
        can revoke it here at any time.
      </p>

      <div className="app-password-secret">
        <p className="app-password-label" id="app-password-value-label">
          App password
        </p>
        <Copyable id="app-password-value" text={password} what="app password" large>
          <Grouped password={password} />
        </Copyable>
      </div>

      <h4 className="app-password-settings-title">Settings for your app</h4>
      <div className="app-password-settings">
        <section className="app-password-api" aria-labelledby="app-password-greader-title">
          <h5 id="app-password-greader-title" className="app-password-api-title">
            Google Reader API
          </h5>
          <p className="app-password-api-hint">
            NetNewsWire, Reeder, Read You, FeedMe, newsboat: choose “FreshRSS” or “Google Reader” as the account type.
          </p>
          <dl className="app-password-fields">
            <Setting
              label="Server"
              id="app-password-greader-url"
              text={`${origin}/api/greader`}
              what="Google Reader API server address"
            />
            <Setting label="Login" id="app-password-greader-login" text={login} what="Google Reader API login" />
            <div>
              <dt>Password</dt>
              <dd>The app password above.</dd>
            </div>
          </dl>
        </section>
        <section className="app-password-api" aria-labelledby="app-password-fever-title">
          <h5 id="app-password-fever-title" className="app-password-api-title">
            Fever
          </h5>
          <p className="app-password-api-hint">Fluent Reader, and other apps that offer Fever.</p>
          <dl className="app-password-fields">
            <Setting
              label="Server"
              id="app-password-fever-url"
              text={`${origin}/api/fever/`}
              what="Fever server address"
            />
            <Setting label="Login" id="app-password-fever-login" text={login} what="Fever login" />
            <div>
              <dt>Password</dt>
              {/* Fever sends md5(login:password), computed by the app: one changed character and it never matches. */}
              <dd>The app password above. Type it exactly as shown, dashes included.</dd>
            </div>
          </dl>
        </section>
      </div>

      <div className="form-actions">
        <button type="button" className="button button-primary button-inline" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

/** The password in its groups, allowed to wrap after a dash on a narrow screen rather than overflow. */
function Grouped({ password }: { password: string }) {
  const groups = password.split('-');
  return groups.map((group, index) => (
    // The groups of one password never move: their position is a stable key.
    <Fragment key={index}>
      {index > 0 && (
        <>
          -<wbr />
        </>
      )}
      <span className="app-password-group">{group}</span>
    </Fragment>
  ));
}

/** One line of an app's settings: what the field is called, and what to put in it. */
function Setting({ label, id, text, what }: { label: string; id: string; text: string; what: string }) {
  return (
    <div>
      <dt id={`${id}-label`}>{label}</dt>
      <dd>
        <Copyable id={id} text={text} what={what}>
          {text}
        </Copyable>
      </dd>
    </div>
  );
}

interface CopyableProps {
  /** The element showing the text; `${id}-label` names it. */
  id: string;
  text: string;
  /** For the copy button's accessible name: "Copy app password". */
  what: string;
  large?: boolean;
  children: ReactNode;
}

/** Text to type or paste elsewhere, with a Copy button; without clipboard access the text is selected instead. */
function Copyable({ id, text, what, large = false, children }: CopyableProps) {
  const { copied, copy } = useCopy();
  const valueRef = useRef<HTMLElement>(null);

  return (
    <>
      <span className={large ? 'copy-row app-password-copy-row-large' : 'copy-row app-password-copy-row'}>
        <code
          ref={valueRef}
          id={id}
          aria-labelledby={`${id}-label`}
          translate="no"
          className={large ? 'app-password-value' : 'app-password-setting wrap-anywhere'}
        >
          {children}
        </code>
        <button
          type="button"
          className={large ? 'button button-secondary' : 'button button-secondary button-small'}
          aria-label={`Copy ${what}`}
          onClick={() => {
            void copy(text, () => {
              selectContents(valueRef.current);
            });
          }}
        >
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </span>
      <span className="field-hint app-password-copied" role="status">
        {copied === 'yes' && 'Copied to the clipboard.'}
        {copied === 'failed' && 'Could not copy: it is selected, press Ctrl+C (⌘C on a Mac).'}
      </span>
    </>
  );
}
