import { useEffect, useState, type SubmitEvent } from 'react';
import { api } from './api';
import { Dialog } from './Dialog';
import { describeError, fieldError, type Problem } from './errors';
import { FeedTile } from './FeedTile';
import { Field } from './Field';
import { FolderSelect } from './FolderSelect';
import { FormAlert } from './FormAlert';
import { hostOf } from './format';
import { Icon } from './Icon';
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

/** Subscribe by pasting an address, or pick from the recommended catalogue in one click. */
export function SubscribeDialog(props: SubscribeDialogProps) {
  const { onSessionEnded, onSubscribed } = props;
  const [url, setUrl] = useState('');
  const [folderId, setFolderId] = useState<string | null>(props.initialFolderId);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [catalogue, setCatalogue] = useState<CatalogueState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // Per catalogue feed: on its way, or the reason it failed.
  const [adding, setAdding] = useState<Record<string, { kind: 'pending' } | { kind: 'failed'; message: string }>>({});

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
    try {
      const subscription = await api.subscribe({ url: withScheme(url), folderId: folderId ?? undefined });
      onSubscribed(subscription, { open: true });
    } catch (error) {
      if (onSessionEnded(error)) return;
      setProblem(describeError(error));
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
      const subscription = await api.subscribe({ url: feed.feedUrl, folderId: folderId ?? undefined });
      setAdding((previous) => Object.fromEntries(Object.entries(previous).filter(([id]) => id !== feed.id)));
      onSubscribed(subscription, { open: false });
    } catch (error) {
      if (onSessionEnded(error)) return;
      const message = describeError(error).message;
      setAdding((previous) => ({ ...previous, [feed.id]: { kind: 'failed', message } }));
    }
  }

  return (
    <Dialog
      title="Subscribe"
      subtitle="Follow a blog, a news site or any RSS, Atom or JSON feed."
      size="wide"
      onClose={props.onClose}
    >
      <form className="form subscribe-form" onSubmit={onSubmit} aria-label="Subscribe by address">
        {problem !== undefined && (
          <FormAlert focusKey={problem}>
            <p>{problem.message}</p>
          </FormAlert>
        )}
        <div className="subscribe-row">
          <Field
            id="subscribe-url"
            label="Feed or site address"
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
            hint="A site’s address works too: its feed is found from the page."
            error={fieldError(problem, 'url', 'The address')}
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
            {pending ? 'Checking the feed…' : 'Subscribe'}
          </button>
        </div>
      </form>

      <section className="catalogue" aria-labelledby="catalogue-heading">
        <h3 id="catalogue-heading" className="catalogue-title">
          Recommended feeds
        </h3>
        {catalogue.kind === 'loading' && (
          <p className="muted" role="status">
            <span className="spinner" aria-hidden="true" /> Loading the catalogue…
          </p>
        )}
        {catalogue.kind === 'error' && (
          <div role="alert" className="alert">
            <p>Could not load the recommended feeds. {catalogue.message}</p>
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => {
                setCatalogue({ kind: 'loading' });
                setAttempt((n) => n + 1);
              }}
            >
              Try again
            </button>
          </div>
        )}
        {catalogue.kind === 'ready' &&
          catalogue.topics.map((topic) => (
            <section key={topic.id} className="topic" aria-labelledby={`topic-${topic.id}`}>
              <h4 id={`topic-${topic.id}`} className="topic-title">
                {topic.name}
              </h4>
              <ul className="catalogue-grid">
                {topic.feeds.map((feed) => {
                  const state = adding[feed.id];
                  const isFollowed = followed.has(feed.feedUrl);
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
                          Subscribed
                        </span>
                      ) : (
                        <button
                          type="button"
                          className="button button-secondary button-small"
                          aria-label={`Subscribe to ${feed.title}`}
                          disabled={state?.kind === 'pending'}
                          aria-busy={state?.kind === 'pending'}
                          onClick={() => {
                            void addFromCatalogue(feed);
                          }}
                        >
                          {state?.kind === 'pending' ? 'Adding' : 'Subscribe'}
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
