import { Fragment, useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedAppPassword } from '@gatehouse/client';
import { selectContents, useCopy } from './useCopy';
import { Sentence } from './Sentence';

/**
 * A password just made, with what to type into the app: this answer is the only one that
 * carries it (the server keeps a hash), so everything the user needs is on screen at once.
 */
export function NewAppPassword({ created, onDone }: { created: CreatedAppPassword; onDone: () => void }) {
  const { t } = useTranslation();
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
        <Sentence
          i18nKey="account:appPasswords.newTitle"
          values={{ name: appPassword.name }}
          components={{ name: <span className="wrap-anywhere" /> }}
        />
      </h3>
      <p className="api-key-warning">
        <Sentence i18nKey="account:appPasswords.newWarning" components={{ strong: <strong /> }} />
      </p>

      <div className="app-password-secret">
        <p className="app-password-label" id="app-password-value-label">
          {t('account:appPasswords.value')}
        </p>
        <Copyable id="app-password-value" text={password} what={t('account:appPasswords.copyWhat.password')} large>
          <Grouped password={password} />
        </Copyable>
      </div>

      <h4 className="app-password-settings-title">{t('account:appPasswords.settingsTitle')}</h4>
      <div className="app-password-settings">
        <section className="app-password-api" aria-labelledby="app-password-greader-title">
          <h5 id="app-password-greader-title" className="app-password-api-title">
            Google Reader API
          </h5>
          <p className="app-password-api-hint">{t('account:appPasswords.greaderHint')}</p>
          <dl className="app-password-fields">
            <Setting
              label={t('account:appPasswords.server')}
              id="app-password-greader-url"
              text={`${origin}/api/greader`}
              what={t('account:appPasswords.copyWhat.greaderServer')}
            />
            <Setting
              label={t('account:appPasswords.login')}
              id="app-password-greader-login"
              text={login}
              what={t('account:appPasswords.copyWhat.greaderLogin')}
            />
            <div>
              <dt>{t('account:appPasswords.password')}</dt>
              <dd>{t('account:appPasswords.passwordAbove')}</dd>
            </div>
          </dl>
        </section>
        <section className="app-password-api" aria-labelledby="app-password-fever-title">
          <h5 id="app-password-fever-title" className="app-password-api-title">
            Fever
          </h5>
          <p className="app-password-api-hint">{t('account:appPasswords.feverHint')}</p>
          <dl className="app-password-fields">
            <Setting
              label={t('account:appPasswords.server')}
              id="app-password-fever-url"
              text={`${origin}/api/fever/`}
              what={t('account:appPasswords.copyWhat.feverServer')}
            />
            <Setting
              label={t('account:appPasswords.login')}
              id="app-password-fever-login"
              text={login}
              what={t('account:appPasswords.copyWhat.feverLogin')}
            />
            <div>
              <dt>{t('account:appPasswords.password')}</dt>
              {/* Fever sends md5(login:password), computed by the app: one changed character and it never matches. */}
              <dd>{t('account:appPasswords.passwordExactly')}</dd>
            </div>
          </dl>
        </section>
      </div>

      <div className="form-actions">
        <button type="button" className="button button-primary button-inline" onClick={onDone}>
          {t('account:done')}
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
  const { t } = useTranslation();
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
          aria-label={t('account:copy.label', { what })}
          onClick={() => {
            void copy(text, () => {
              selectContents(valueRef.current);
            });
          }}
        >
          {copied === 'yes' ? t('account:copy.copied') : t('account:copy.copy')}
        </button>
      </span>
      <span className="field-hint app-password-copied" role="status">
        {copied === 'yes' && t('account:copy.done')}
        {copied === 'failed' && t('account:copy.failedSelected')}
      </span>
    </>
  );
}
