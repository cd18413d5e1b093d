import { useEffect, useRef, type MouseEvent } from 'react';
import { EmptyState } from './EmptyState';
import { fullDateTime } from './format';
import { Icon } from './Icon';
import type { Item } from './types';

export type ArticleState =
  | { kind: 'none' }
  | { kind: 'loading'; itemId: string }
  | { kind: 'error'; itemId: string; message: string }
  | { kind: 'ready'; item: Item };

interface ArticleViewProps {
  article: ArticleState;
  inactive: boolean;
  showBack: boolean;
  hasPrevious: boolean;
  hasNext: boolean;
  onBack: () => void;
  onPrevious: () => void;
  onNext: () => void;
  onToggleRead: () => void;
  onToggleStar: () => void;
  onRetry: () => void;
  onShowFeed: (subscriptionId: string) => void;
}

/** Links in a feed's HTML leave the app in a new tab, cut off from it. */
function openLinksOutside(event: MouseEvent<HTMLDivElement>) {
  if (!(event.target instanceof Element)) return;
  const link = event.target.closest('a');
  if (link === null || event.button !== 0) return;
  event.preventDefault();
  // A link the sanitizer disarmed has no address left: it goes nowhere (resolving "" would
  // open a second copy of the reader).
  const href = link.getAttribute('href');
  if (href === null || href.trim() === '') return;
  let url: URL;
  try {
    url = new URL(href, document.baseURI);
  } catch {
    return;
  }
  // The server's sanitizer already drops other schemes; this is the belt to its braces.
  if (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:') {
    window.open(url.href, '_blank', 'noopener,noreferrer');
  }
}

/** The right pane: one article, the feed's HTML as sanitized by the server. */
export function ArticleView(props: ArticleViewProps) {
  const { article } = props;
  const scrollRef = useRef<HTMLElement>(null);
  const itemId = article.kind === 'ready' ? article.item.id : article.kind === 'none' ? '' : article.itemId;

  // A new article starts at its top, not where the last one was left.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [itemId]);

  const item = article.kind === 'ready' ? article.item : undefined;

  return (
    <section
      ref={scrollRef}
      className={article.kind === 'none' ? 'pane pane-article pane-article-empty' : 'pane pane-article'}
      aria-label="Article"
      inert={props.inactive}
    >
      {article.kind !== 'none' && (
        <div className="article-toolbar">
          {props.showBack && (
            <button type="button" className="icon-button" aria-label="Back to the list" onClick={props.onBack}>
              <Icon name="back" />
            </button>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label="Previous item"
            title="Previous item (k)"
            disabled={!props.hasPrevious}
            onClick={props.onPrevious}
          >
            <Icon name="chevronUp" />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Next item"
            title="Next item (j)"
            disabled={!props.hasNext}
            onClick={props.onNext}
          >
            <Icon name="chevronDown" />
          </button>
          <span className="toolbar-spacer" />
          <button
            type="button"
            className={item?.starred === true ? 'toggle toggle-on toggle-star' : 'toggle'}
            aria-pressed={item?.starred ?? false}
            disabled={item === undefined}
            title="Star (s)"
            onClick={props.onToggleStar}
          >
            <Icon name="star" filled={item?.starred ?? false} />
            <span className="toggle-label">{item?.starred === true ? 'Starred' : 'Star'}</span>
          </button>
          <button
            type="button"
            className="toggle"
            disabled={item === undefined}
            title="Mark read / unread (m)"
            onClick={props.onToggleRead}
          >
            <Icon name={item?.read === false ? 'check' : 'circle'} />
            <span className="toggle-label">{item?.read === false ? 'Mark read' : 'Mark unread'}</span>
          </button>
          {item?.url != null && (
            <a
              className="button button-secondary button-small"
              href={item.url}
              target="_blank"
              rel="noopener noreferrer"
              title="Open the original (o)"
            >
              <Icon name="external" />
              <span className="toggle-label">Read original</span>
            </a>
          )}
        </div>
      )}

      {article.kind === 'none' && (
        <div className="article-placeholder">
          <EmptyState title="Select an item to read">
            Or press <kbd>j</kbd> to open the first one, and <kbd>?</kbd> for every shortcut.
          </EmptyState>
        </div>
      )}
      {article.kind === 'loading' && (
        <div className="article" aria-busy="true">
          <div className="skeleton skeleton-meta" />
          <div className="skeleton skeleton-heading" />
          <div className="skeleton skeleton-line" />
          <div className="skeleton skeleton-line" />
          <div className="skeleton skeleton-line skeleton-short" />
          <span className="visually-hidden" role="status">
            Loading the article…
          </span>
        </div>
      )}
      {article.kind === 'error' && (
        <div className="article">
          <div role="alert" className="alert">
            <p>Could not load this article. {article.message}</p>
            <button type="button" className="button button-secondary button-small" onClick={props.onRetry}>
              Try again
            </button>
          </div>
        </div>
      )}
      {item !== undefined && (
        <article className="article" aria-labelledby="article-title">
          <header className="article-header">
            <h2 id="article-title" className="article-title">
              {item.url === null ? (
                item.title
              ) : (
                <a href={item.url} target="_blank" rel="noopener noreferrer">
                  {item.title === '' ? '(untitled)' : item.title}
                </a>
              )}
            </h2>
            <p className="article-meta">
              {item.author !== null && item.author !== '' && (
                <>
                  <span className="article-author">{item.author}</span>
                  <span aria-hidden="true"> · </span>
                </>
              )}
              <time dateTime={item.publishedAt}>{fullDateTime(item.publishedAt)}</time>
              <span aria-hidden="true"> · </span>
              via{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  props.onShowFeed(item.subscriptionId);
                }}
              >
                {item.feedTitle}
              </button>
            </p>
          </header>
          {/* Sanitized by the server (allow-list); the CSP would stop a script it missed. */}
          <div
            className="article-content"
            onClick={openLinksOutside}
            dangerouslySetInnerHTML={{ __html: item.contentHtml }}
          />
          {item.url !== null && (
            <footer className="article-footer">
              <a className="button button-secondary" href={item.url} target="_blank" rel="noopener noreferrer">
                Read original
                <Icon name="external" />
              </a>
            </footer>
          )}
        </article>
      )}
    </section>
  );
}
