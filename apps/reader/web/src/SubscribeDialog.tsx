import type { TFunction } from 'i18next';
import { useEffect, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { Dialog } from './Dialog';
import { describeError, fieldError, type Problem } from './errors';
import { FeedTile } from './FeedTile';
import { Field } from './Field';
import { FolderSelect } from './FolderSelect';
import { FormAlert } from './FormAlert';
import { hostOf } from './format';
import { Icon } from './Icon';
import { currentLanguage } from './i18n';
import { reasonOf } from './problemReason';
import { translateServerMessage } from './serverMessage';
import type { CatalogueFeed, CatalogueTopic, Folder, Subscription } from './types';

interface SubscribeDialogProps {
  folders: Folder[];
  subscriptions: Subscription[];
  /** The folder being looked at, if any: new feeds most likely belong there. */
  initialFolderId: string | null;
  onSubscribed: (subscription: Subscription, options: { open: boolean }) => void;
  onSessionEnded: (error: unknown) => boolean;
  onClose: () => void;
}

type CatalogueState =
  { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; topics: CatalogueTopic[] };

/** People paste "example.com/blog": the server wants a full http(s) URL. */
function withScheme(input: string): string {
  const trimmed = input.trim();
  return /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

/** A recommended source known only by its site is subscribed to there: its page names the feed. */
function subscribeUrl(feed: CatalogueFeed): string {
  return feed.feedUrl ?? feed.siteUrl;
}

/** Why subscribing to `url` failed, in the page's language when the server names the reason. */
function subscribeProblem(t: TFunction, error: unknown, url: string): Problem {
  const problem = describeError(error);
  const reason = reasonOf(error);
  const said = reason === undefined ? undefined : translateServerMessage(t, reason.code, reason.params);
  // The sentence says it all: no second copy under the field.
  return said === undefined
    ? problem
    : { ...problem, message: t('reader:subscribe.failed', { url, reason: said }), fields: {} };
}

/** Subscribe by pasting an address, or pick from the recommended catalogue in one click. */
export function SubscribeDialog(props: SubscribeDialogProps) {
  const { onSessionEnded, onSubscribed } = props;
  const { t } = useTranslation();
  const [url, setUrl] = useState('');
  const [folderId, setFolderId] = useState<string | null>(props.initialFolderId);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [catalogue, setCatalogue] = useState<CatalogueState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // Per catalogue feed: on its way, or the reason it failed.
  // 'added': a source known by its site is followed under its feed's address, which the
  // subscriptions' addresses cannot match to the card.
  const [adding, setAdding] = useState<
    Record<string, { kind: 'pending' } | { kind: 'added' } | { kind: 'failed'; message: string }>
  >({});

  useEffect(() => {
    let current = true;
    api.catalogue().then(
      (topics) => {
        if (current) setCatalogue({ kind: 'ready', topics });
      },
      (error: unknown) => {
        if (onSessionEnded(error)) return;
        if (current) setCatalogue({ kind: 'error', message: describeError(error).message });
      },
    );
    return () => {
      current = false;
    };
  }, [attempt, onSessionEnded]);

  const followed = new Set(props.subscriptions.flatMap((s) => [s.feedUrl, s.siteUrl ?? '']));

  async function submit() {
    setPending(true);
    setProblem(undefined);
    const address = withScheme(url);
    try {
      const subscription = await api.subscribe({ url: address, folderId: folderId ?? undefined });
      onSubscribed(subscription, { open: true });
    } catch (error) {
      if (onSessionEnded(error)) return;
      setProblem(subscribeProblem(t, error, address));
      setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending && url.trim() !== '') void submit();
  }

  async function addFromCatalogue(feed: CatalogueFeed) {
    setAdding((previous) => ({ ...previous, [feed.id]: { kind: 'pending' } }));
    try {
      const subscription = await api.subscribe({ url: subscribeUrl(feed), folderId: folderId ?? undefined });
      setAdding((previous) => ({ ...previous, [feed.id]: { kind: 'added' } }));
      onSubscribed(subscription, { open: false });
    } catch (error) {
      if (onSessionEnded(error)) return;
      const { message } = subscribeProblem(t, error, subscribeUrl(feed));
      setAdding((previous) => ({ ...previous, [feed.id]: { kind: 'failed', message } }));
    }
  }

  return (
    <Dialog
      title={t('reader:subscribe.title')}
      subtitle={t('reader:subscribe.subtitle')}
      size="wide"
      onClose={props.onClose}
    >
      <form className="form subscribe-form" onSubmit={onSubmit} aria-label={t('reader:subscribe.formLabel')}>
        {problem !== undefined && (
          <FormAlert focusKey={problem}>
            <p>{problem.message}</p>
          </FormAlert>
        )}
        <div className="subscribe-row">
          <Field
            id="subscribe-url"
            label={t('reader:subscribe.address')}
            type="text"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://example.com/blog"
            required
            data-autofocus
            value={url}
            onChange={(event) => {
              setUrl(event.target.value);
            }}
            hint={t('reader:subscribe.addressHint')}
            error={fieldError(problem, 'url', t('reader:subscribe.addressNoun'))}
          />
          <FolderSelect id="subscribe-folder" folders={props.folders} value={folderId} onChange={setFolderId} />
        </div>
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary button-inline"
            disabled={pending || url.trim() === ''}
            aria-busy={pending}
          >
            {pending ? t('reader:subscribe.checking') : t('reader:subscribe.submit')}
          </button>
        </div>
      </form>

      <section className="catalogue" aria-labelledby="catalogue-heading">
        <h3 id="catalogue-heading" className="catalogue-title">
          {t('reader:subscribe.recommended')}
        </h3>
        {catalogue.kind === 'loading' && (
          <p className="muted" role="status">
            <span className="spinner" aria-hidden="true" /> {t('reader:subscribe.loadingCatalogue')}
          </p>
        )}
        {catalogue.kind === 'error' && (
          <div role="alert" className="alert">
            <p>{t('reader:subscribe.catalogueFailed', { message: catalogue.message })}</p>
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => {
                setCatalogue({ kind: 'loading' });
                setAttempt((n) => n + 1);
              }}
            >
              {t('common:tryAgain')}
            </button>
          </div>
        )}
        {catalogue.kind === 'ready' &&
          catalogue.topics.map((topic) => (
            <section key={topic.id} className="topic" aria-label={topic.name[currentLanguage()]}>
              {/* One group is the whole list, as the seed shows it: the heading above names it. */}
              {catalogue.topics.length > 1 && <h4 className="topic-title">{topic.name[currentLanguage()]}</h4>}
              <ul className="catalogue-grid">
                {topic.feeds.map((feed) => {
                  const state = adding[feed.id];
                  const isFollowed = followed.has(subscribeUrl(feed)) || state?.kind === 'added';
                  return (
                    <li key={feed.id} className="catalogue-card">
                      <FeedTile title={feed.title} size="large" />
                      <div className="catalogue-text">
                        <p className="catalogue-name" lang={feed.language}>
                          {feed.title}
                        </p>
                        <p className="catalogue-host">{hostOf(feed.siteUrl)}</p>
                        <p className="catalogue-description" lang={feed.language}>
                          {feed.description}
                        </p>
                        {state?.kind === 'failed' && (
                          <p className="field-error" role="alert">
                            {state.message}
                          </p>
                        )}
                      </div>
                      {isFollowed ? (
                        <span className="subscribed">
                          <Icon name="check" />
                          {t('reader:subscribe.subscribed')}
                        </span>
                      ) : (
                        <button
                          type="button"
                          className="button button-secondary button-small"
                          aria-label={t('reader:subscribe.subscribeTo', { title: feed.title })}
                          disabled={state?.kind === 'pending'}
                          aria-busy={state?.kind === 'pending'}
                          onClick={() => {
                            void addFromCatalogue(feed);
                          }}
                        >
                          {state?.kind === 'pending' ? t('reader:subscribe.adding') : t('reader:subscribe.submit')}
                        </button>
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          ))}
      </section>
    </Dialog>
  );
}
