import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { Dialog } from './Dialog';
import { describeError, fieldError, type Problem } from './errors';
import { Field } from './Field';
import { FolderSelect } from './FolderSelect';
import { FormAlert } from './FormAlert';
import { FullTextToggle } from './FullTextToggle';
import { fullDateTime, relativeTime } from './format';
import { Icon } from './Icon';
import { serverMessage } from './serverMessage';
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
  const { t } = useTranslation();
  const [title, setTitle] = useState(subscription.title);
  const [folderId, setFolderId] = useState(subscription.folderId);
  const [fullText, setFullText] = useState(subscription.fullText);
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
    const changes: { title?: string; folderId?: string | null; fullText?: boolean } = {};
    if (title.trim() !== subscription.title) changes.title = title.trim();
    if (folderId !== subscription.folderId) changes.folderId = folderId;
    if (fullText !== subscription.fullText) changes.fullText = fullText;
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
    <Dialog title={t('reader:feedSettings.title')} subtitle={subscription.feedUrl} onClose={props.onClose}>
      <form id="feed-settings" className="form" onSubmit={onSubmit} aria-label={t('reader:feedSettings.title')}>
        {problem !== undefined && (
          <FormAlert focusKey={problem}>
            <p>{problem.message}</p>
          </FormAlert>
        )}
        <Field
          id="feed-title"
          label={t('reader:feedSettings.name')}
          type="text"
          required
          maxLength={200}
          value={title}
          onChange={(event) => {
            setTitle(event.target.value);
          }}
          error={fieldError(problem, 'title', t('reader:feedSettings.name'))}
        />
        <FolderSelect id="feed-folder" folders={props.folders} value={folderId} onChange={setFolderId} />
        <FullTextToggle checked={fullText} onChange={setFullText} />

        <section className="status-box" aria-labelledby="feed-status-heading">
          <div className="status-head">
            <h3 id="feed-status-heading" className="status-title">
              {t('reader:feedSettings.status')}
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
              {t('reader:feedSettings.refreshNow')}
            </button>
          </div>
          <dl className="status-list">
            <dt>{t('reader:feedSettings.lastFetched')}</dt>
            <dd>{when(status.lastFetchedAt, t('reader:feedSettings.notYet'))}</dd>
            <dt>{t('reader:feedSettings.nextFetch')}</dt>
            <dd>{when(status.nextFetchAt, t('reader:feedSettings.notScheduled'))}</dd>
            <dt>{t('reader:feedSettings.lastError')}</dt>
            <dd className={status.lastError === null ? undefined : 'status-error'}>
              {status.lastError === null
                ? t('reader:feedSettings.noError')
                : serverMessage(t, status.lastErrorCode, status.lastErrorParams, status.lastError)}
            </dd>
            {subscription.siteUrl !== null && (
              <>
                <dt>{t('reader:feedSettings.site')}</dt>
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
          <div className="confirm" role="group" aria-label={t('reader:feedSettings.confirmLabel')}>
            <p>{t('reader:feedSettings.confirm', { title: subscription.title })}</p>
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
                {t('reader:feedSettings.unsubscribe')}
              </button>
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => {
                  setConfirming(false);
                }}
              >
                {t('common:keepIt')}
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
              {t('reader:feedSettings.unsubscribe')}
            </button>
            <span className="toolbar-spacer" />
            <button type="button" className="button button-secondary button-small" onClick={props.onClose}>
              {t('common:cancel')}
            </button>
            <button
              type="submit"
              form="feed-settings"
              className="button button-primary button-small button-inline"
              disabled={busy !== undefined || title.trim() === ''}
              aria-busy={busy === 'save'}
            >
              {t('common:save')}
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
