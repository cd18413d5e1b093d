import { AuthClientError } from '@gatehouse/client';
import { useState, type MouseEventHandler } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { describeError } from './errors';
import { Icon } from './Icon';
import { describeWait } from './retryWait';
import type { Item } from './types';
import './fulltext.css';

interface FullTextContentProps {
  item: Item;
  onClick: MouseEventHandler<HTMLDivElement>;
}

/** Why the server could not give the article (its problem's `reason`), in the user's words. */
const UNAVAILABLE = {
  unreachable: 'fulltext:errors.unreachable',
  not_html: 'fulltext:errors.notHtml',
  no_article: 'fulltext:errors.noArticle',
} as const;

function isUnavailableReason(reason: string | undefined): reason is keyof typeof UNAVAILABLE {
  return reason !== undefined && Object.hasOwn(UNAVAILABLE, reason);
}

/**
 * The article's text: the feed's, or the full article extracted from the item's page (the
 * server sends it as `fullTextHtml` when the subscription has full text on, or fetches it
 * for one item on request). Mounted per item (`key`), so its choice never leaks to the next.
 */
export function FullTextContent({ item, onClick }: FullTextContentProps) {
  const { t } = useTranslation();
  const [fullTextHtml, setFullTextHtml] = useState(item.fullTextHtml);
  const [showFull, setShowFull] = useState(item.fullTextHtml !== null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();

  function explain(error: unknown): string {
    if (error instanceof AuthClientError) {
      if (error.code === 'full_text_unavailable') {
        return t(isUnavailableReason(error.reason) ? UNAVAILABLE[error.reason] : 'fulltext:errors.unreachable');
      }
      if (error.code === 'rate_limited') {
        return t('fulltext:errors.rateLimited', { wait: describeWait(error.retryAfterSeconds ?? 60) });
      }
    }
    return describeError(error).message;
  }

  async function load() {
    setLoading(true);
    setProblem(undefined);
    try {
      const loaded = await api.fullText(item.id);
      setFullTextHtml(loaded.fullTextHtml);
      setShowFull(loaded.fullTextHtml !== null);
    } catch (error) {
      setProblem(explain(error));
    }
    setLoading(false);
  }

  const shownFullText = showFull && fullTextHtml !== null ? fullTextHtml : undefined;
  const full = shownFullText !== undefined;

  return (
    <>
      {item.url !== null && (
        <div className="full-text-bar">
          {/* One button whose words change, so focus stays on it (a disabled one would lose it). */}
          <button
            type="button"
            className="button button-secondary button-small"
            aria-disabled={loading}
            aria-busy={loading}
            onClick={() => {
              if (loading) return;
              if (full) setShowFull(false);
              else if (fullTextHtml === null) void load();
              else setShowFull(true);
            }}
          >
            <Icon name={full ? 'rss' : 'download'} />
            {full ? t('fulltext:showFeed') : loading ? t('fulltext:loading') : t('fulltext:load')}
          </button>
          <span className="full-text-note" role="status">
            {full ? t('fulltext:note') : ''}
          </span>
          {problem !== undefined && (
            <p role="alert" className="full-text-problem">
              {problem}
            </p>
          )}
        </div>
      )}
      {/* Sanitized by the server (allow-list), both texts; the CSP would stop a script it missed. */}
      <div
        className="article-content"
        onClick={onClick}
        dangerouslySetInnerHTML={{ __html: shownFullText ?? item.contentHtml }}
      />
    </>
  );
}
