import { useState, type SubmitEvent } from 'react';
import { api } from './api';
import { Dialog } from './Dialog';
import { describeError, fieldError, type Problem } from './errors';
import { Field } from './Field';
import { FolderSelect } from './FolderSelect';
import { FormAlert } from './FormAlert';
import { fullDateTime, relativeTime } from './format';
import { Icon } from './Icon';
import type { Folder, Subscription } from './types';

interface FeedSettingsDialogProps {
  subscription: Subscription;
  folders: Folder[];
  onSaved: (subscription: Subscription) => void;
  onUnsubscribed: (subscriptionId: string) => void;
  onSessionEnded: (error: unknown) => boolean;
  onClose: () => void;
}

type Busy = 'save' | 'refresh' | 'unsubscribe' | undefined;

/** Rename, move or drop one feed, and see how its fetching goes. */
export function FeedSettingsDialog(props: FeedSettingsDialogProps) {
  const { subscription, onSessionEnded } = props;
  const [title, setTitle] = useState(subscription.title);
  const [folderId, setFolderId] = useState(subscription.folderId);
  const [busy, setBusy] = useState<Busy>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [confirming, setConfirming] = useState(false);

  async function run(kind: Exclude<Busy, undefined>, work: () => Promise<void>) {
    setBusy(kind);
    setProblem(undefined);
    try {
      await work();
    } catch (error) {
      if (onSessionEnded(error)) return;
      setProblem(describeError(error));
    }
    setBusy(undefined);
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy !== undefined) return;
    const changes: { title?: string; folderId?: string | null } = {};
    if (title.trim() !== subscription.title) changes.title = title.trim();
    if (folderId !== subscription.folderId) changes.folderId = folderId;
    if (Object.keys(changes).length === 0) {
      props.onClose();
      return;
    }
    void run('save', async () => {
      props.onSaved(await api.updateSubscription(subscription.id, changes));
      props.onClose();
    });
  }

  const { status } = subscription;

  return (
    <Dialog title="Feed settings" subtitle={subscription.feedUrl} onClose={props.onClose}>
      <form id="feed-settings" className="form" onSubmit={onSubmit} aria-label="Feed settings">
        {problem !== undefined && (
          <FormAlert focusKey={problem}>
            <p>{problem.message}</p>
          </FormAlert>
        )}
        <Field
          id="feed-title"
          label="Name"
          type="text"
          required
          maxLength={200}
          value={title}
          onChange={(event) => {
            setTitle(event.target.value);
          }}
          error={fieldError(problem, 'title', 'Name')}
        />
        <FolderSelect id="feed-folder" folders={props.folders} value={folderId} onChange={setFolderId} />

        <section className="status-box" aria-labelledby="feed-status-heading">
          <div className="status-head">
            <h3 id="feed-status-heading" className="status-title">
              Status
            </h3>
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={busy !== undefined}
              aria-busy={busy === 'refresh'}
              onClick={() => {
                void run('refresh', async () => {
                  props.onSaved(await api.refreshSubscription(subscription.id));
                });
              }}
            >
              <Icon name="refresh" />
              Refresh now
            </button>
          </div>
          <dl className="status-list">
            <dt>Last fetched</dt>
            <dd>{when(status.lastFetchedAt, 'Not yet')}</dd>
            <dt>Next fetch</dt>
            <dd>{when(status.nextFetchAt, 'Not scheduled')}</dd>
            <dt>Last error</dt>
            <dd className={status.lastError === null ? undefined : 'status-error'}>{status.lastError ?? 'None'}</dd>
            {subscription.siteUrl !== null && (
              <>
                <dt>Site</dt>
                <dd>
                  <a href={subscription.siteUrl} target="_blank" rel="noopener noreferrer">
                    {subscription.siteUrl}
                  </a>
                </dd>
              </>
            )}
          </dl>
        </section>
      </form>

      <div className="dialog-actions">
        {confirming ? (
          <div className="confirm" role="group" aria-label="Confirm unsubscribe">
            <p>Unsubscribe from {subscription.title}? Its read and starred marks go too.</p>
            <div className="confirm-buttons">
              <button
                type="button"
                className="button button-danger button-small"
                disabled={busy !== undefined}
                aria-busy={busy === 'unsubscribe'}
                autoFocus
                onClick={() => {
                  void run('unsubscribe', async () => {
                    await api.unsubscribe(subscription.id);
                    props.onUnsubscribed(subscription.id);
                  });
                }}
              >
                Unsubscribe
              </button>
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => {
                  setConfirming(false);
                }}
              >
                Keep it
              </button>
            </div>
          </div>
        ) : (
          <>
            <button
              type="button"
              className="button button-danger-quiet button-small"
              onClick={() => {
                setConfirming(true);
              }}
            >
              <Icon name="trash" />
              Unsubscribe
            </button>
            <span className="toolbar-spacer" />
            <button type="button" className="button button-secondary button-small" onClick={props.onClose}>
              Cancel
            </button>
            <button
              type="submit"
              form="feed-settings"
              className="button button-primary button-small button-inline"
              disabled={busy !== undefined || title.trim() === ''}
              aria-busy={busy === 'save'}
            >
              Save
            </button>
          </>
        )}
      </div>
    </Dialog>
  );
}

function when(iso: string | null, never: string) {
  if (iso === null) return never;
  return (
    <time dateTime={iso} title={fullDateTime(iso)}>
      {relativeTime(iso)}
    </time>
  );
}
