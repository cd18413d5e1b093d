import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import type { Passkey } from '@gatehouse/client';
import { auth } from './auth';
import { calendarDate, fullDateTime, relativeTime } from './format';

interface PasskeyRowProps {
  passkey: Passkey;
  onRenamed: (passkey: Passkey) => void;
  onRemove: () => void;
  failed: (error: unknown) => string;
}

/** One passkey: its name (renamed in place), whether it syncs, when it was added and last used. */
export function PasskeyRow({ passkey, onRenamed, onRemove, failed }: PasskeyRowProps) {
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
                <span className="badge badge-quiet" title="Backed up and available on your other devices">
                  Synced
                </span>
              ) : (
                <span className="badge badge-quiet" title="Stored on one device or security key only">
                  This device only
                </span>
              )}
            </p>
            <p className="session-meta">
              <span>
                Added <time dateTime={passkey.createdAt}>{calendarDate(passkey.createdAt)}</time>
              </span>
              <span>
                {passkey.lastUsedAt === null ? (
                  'Never used'
                ) : (
                  <>
                    Last used{' '}
                    <time dateTime={passkey.lastUsedAt} title={fullDateTime(passkey.lastUsedAt)}>
                      {relativeTime(passkey.lastUsedAt)}
                    </time>
                  </>
                )}
              </span>
            </p>
          </div>
          <div className="passkey-actions">
            <button
              type="button"
              className="button button-secondary button-small"
              aria-label={`Rename ${passkey.name}`}
              onClick={() => {
                setEditing(true);
              }}
            >
              Rename
            </button>
            <button
              type="button"
              className="button button-danger-quiet button-small"
              aria-label={`Remove ${passkey.name}`}
              onClick={onRemove}
            >
              Remove
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
    <form className="passkey-rename" onSubmit={onSubmit} aria-label={`Rename ${passkey.name}`}>
      <div className="field">
        <label htmlFor={inputId}>New name</label>
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
            Save
          </button>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              onDone(undefined);
            }}
          >
            Cancel
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
