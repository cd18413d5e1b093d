import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Passkey } from '@gatehouse/client';
import { auth } from './auth';
import { calendarDate, fullDateTime, relativeTime } from './format';
import { Sentence } from './Sentence';

interface PasskeyRowProps {
  passkey: Passkey;
  onRenamed: (passkey: Passkey) => void;
  onRemove: () => void;
  failed: (error: unknown) => string;
}

/** One passkey: its name (renamed in place), whether it syncs, when it was added and last used. */
export function PasskeyRow({ passkey, onRenamed, onRemove, failed }: PasskeyRowProps) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const synced = passkey.deviceType === 'multiDevice' || passkey.backedUp;
  return (
    <li className="session passkey">
      {editing ? (
        <RenamePasskeyForm
          passkey={passkey}
          failed={failed}
          onDone={(renamed) => {
            setEditing(false);
            if (renamed !== undefined) onRenamed(renamed);
          }}
        />
      ) : (
        <>
          <div className="session-text">
            <p className="session-device">
              <span className="wrap-anywhere">{passkey.name}</span>
              {synced ? (
                <span className="badge badge-quiet" title={t('account:passkeys.syncedTitle')}>
                  {t('account:passkeys.synced')}
                </span>
              ) : (
                <span className="badge badge-quiet" title={t('account:passkeys.deviceOnlyTitle')}>
                  {t('account:passkeys.deviceOnly')}
                </span>
              )}
            </p>
            <p className="session-meta">
              <span>
                <Sentence
                  i18nKey="account:passkeys.addedOn"
                  values={{ date: calendarDate(passkey.createdAt) }}
                  components={{ time: <time dateTime={passkey.createdAt} /> }}
                />
              </span>
              <span>
                {passkey.lastUsedAt === null ? (
                  t('account:neverUsed')
                ) : (
                  <Sentence
                    i18nKey="account:lastUsed"
                    values={{ when: relativeTime(passkey.lastUsedAt) }}
                    components={{
                      time: <time dateTime={passkey.lastUsedAt} title={fullDateTime(passkey.lastUsedAt)} />,
                    }}
                  />
                )}
              </span>
            </p>
          </div>
          <div className="passkey-actions">
            <button
              type="button"
              className="button button-secondary button-small"
              aria-label={t('account:passkeys.renameLabel', { name: passkey.name })}
              onClick={() => {
                setEditing(true);
              }}
            >
              {t('account:passkeys.rename')}
            </button>
            <button
              type="button"
              className="button button-danger-quiet button-small"
              aria-label={t('account:passkeys.removeLabel', { name: passkey.name })}
              onClick={onRemove}
            >
              {t('account:passkeys.remove')}
            </button>
          </div>
        </>
      )}
    </li>
  );
}

interface RenamePasskeyFormProps {
  passkey: Passkey;
  failed: (error: unknown) => string;
  /** The renamed passkey, or undefined when cancelled. */
  onDone: (renamed: Passkey | undefined) => void;
}

function RenamePasskeyForm({ passkey, failed, onDone }: RenamePasskeyFormProps) {
  const { t } = useTranslation();
  const [name, setName] = useState(passkey.name);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = `passkey-rename-${passkey.id}`;

  useEffect(() => {
    inputRef.current?.select();
  }, []);

  async function submit() {
    const trimmed = name.trim();
    if (trimmed === '' || trimmed === passkey.name) {
      onDone(undefined);
      return;
    }
    setPending(true);
    setMessage(undefined);
    try {
      onDone(await auth.renamePasskey(passkey.id, trimmed));
    } catch (error) {
      setMessage(failed(error));
      setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) void submit();
  }

  return (
    <form
      className="passkey-rename"
      onSubmit={onSubmit}
      aria-label={t('account:passkeys.renameLabel', { name: passkey.name })}
    >
      <div className="field">
        <label htmlFor={inputId}>{t('account:passkeys.newName')}</label>
        <div className="copy-row">
          <input
            ref={inputRef}
            id={inputId}
            className="input"
            type="text"
            autoComplete="off"
            maxLength={100}
            required
            value={name}
            aria-invalid={message === undefined ? undefined : true}
            aria-describedby={message === undefined ? undefined : `${inputId}-error`}
            onChange={(event) => {
              setName(event.target.value);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.preventDefault();
                onDone(undefined);
              }
            }}
          />
          <button type="submit" className="button button-primary button-inline" disabled={pending} aria-busy={pending}>
            {t('account:save')}
          </button>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              onDone(undefined);
            }}
          >
            {t('account:cancel')}
          </button>
        </div>
        {message !== undefined && (
          <p id={`${inputId}-error`} className="field-error">
            {message}
          </p>
        )}
      </div>
    </form>
  );
}
