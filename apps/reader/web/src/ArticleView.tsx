import { useEffect, useRef, type MouseEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { EmptyState } from './EmptyState';
import { fullDateTime, hostOf } from './format';
import { FullTextContent } from './FullTextContent';
import { Icon } from './Icon';
import { itemLink } from './itemLink';
import { TagEditor } from './TagEditor';
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
  /** The list beside is empty: there is nothing to open, so no "press j" hint. */
  listIsEmpty?: boolean;
  /** The open item's tags changed (TagEditor). */
  onTagsSaved: (itemId: string, tags: string[]) => void;
  /** Handles a 401 (back to sign-in); true if it did. */
  onSessionEnded: (error: unknown) => boolean;
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
  const { t } = useTranslation();
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
      aria-label={t('reader:article.label')}
      inert={props.inactive}
    >
      {article.kind !== 'none' && (
        <div className="article-toolbar">
          {props.showBack && (
            <button type="button" className="icon-button" aria-label={t('reader:article.back')} onClick={props.onBack}>
              <Icon name="back" />
            </button>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label={t('reader:article.previous')}
            title={t('reader:article.previousTitle')}
            disabled={!props.hasPrevious}
            onClick={props.onPrevious}
          >
            <Icon name="chevronUp" />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={t('reader:article.next')}
            title={t('reader:article.nextTitle')}
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
            title={t('reader:article.starTitle')}
            onClick={props.onToggleStar}
          >
            <Icon name="star" filled={item?.starred ?? false} />
            <span className="toggle-label">
              {item?.starred === true ? t('reader:article.starred') : t('reader:article.star')}
            </span>
          </button>
          <button
            type="button"
            className="toggle"
            disabled={item === undefined}
            title={t('reader:article.readTitle')}
            onClick={props.onToggleRead}
          >
            <Icon name={item?.read === false ? 'check' : 'circle'} />
            <span className="toggle-label">
              {item?.read === false ? t('reader:article.markRead') : t('reader:article.markUnread')}
            </span>
          </button>
          {item?.url != null && (
            <a
              className="button button-secondary button-small"
              href={item.url}
              target="_blank"
              rel="noopener noreferrer"
              title={t('reader:article.originalTitle')}
            >
              <Icon name="external" />
              <span className="toggle-label">{t('reader:article.readOriginal')}</span>
            </a>
          )}
          {/* The seed's "在惯性聚合中打开": this article's own address in the reader. */}
          {item !== undefined && (
            <a
              className="icon-button"
              href={itemLink(item.id)}
              target="_blank"
              rel="noopener"
              aria-label={t('onboarding:article.openInReader')}
              title={t('onboarding:article.openInReaderTitle')}
            >
              <Icon name="inbox" />
            </a>
          )}
        </div>
      )}

      {article.kind === 'none' && (
        <div className="article-placeholder">
          {props.listIsEmpty === true ? (
            <EmptyState title={t('onboarding:article.emptyTitle')}>
              <Trans i18nKey="onboarding:article.emptyHint" components={{ kbd: <kbd /> }} />
            </EmptyState>
          ) : (
            <EmptyState title={t('reader:article.placeholderTitle')}>
              <Trans i18nKey="reader:article.placeholderHint" components={{ kbd: <kbd /> }} />
            </EmptyState>
          )}
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
            {t('reader:article.loading')}
          </span>
        </div>
      )}
      {article.kind === 'error' && (
        <div className="article">
          <div role="alert" className="alert">
            <p>{t('reader:article.loadFailed', { message: article.message })}</p>
            <button type="button" className="button button-secondary button-small" onClick={props.onRetry}>
              {t('common:tryAgain')}
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
                  {item.title === '' ? t('reader:article.untitled') : item.title}
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
              {t('reader:article.via')}{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  props.onShowFeed(item.subscriptionId);
                }}
              >
                {item.feedTitle}
              </button>
              {/* Where "Read original" leads, seen before it is followed. */}
              {item.url !== null && (
                <>
                  <span aria-hidden="true"> · </span>
                  <span className="article-host">{hostOf(item.url)}</span>
                </>
              )}
            </p>
            <TagEditor
              key={item.id}
              itemId={item.id}
              initialTags={item.tags}
              onSaved={props.onTagsSaved}
              onSessionEnded={props.onSessionEnded}
            />
          </header>
          <FullTextContent key={item.id} item={item} onClick={openLinksOutside} />
          {item.url !== null && (
            <footer className="article-footer">
              <a className="button button-secondary" href={item.url} target="_blank" rel="noopener noreferrer">
                {t('reader:article.readOriginal')}
                <Icon name="external" />
              </a>
            </footer>
          )}
        </article>
      )}
    </section>
  );
}
