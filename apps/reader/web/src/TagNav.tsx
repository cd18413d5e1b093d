import { useTranslation } from 'react-i18next';
import { sameSelection, type Selection } from './selection';
import type { Tag } from './types';
import './filters.css';

interface TagNavProps {
  tags: Tag[];
  selection: Selection;
  onSelect: (selection: Selection) => void;
}

/** A label's outline, drawn like the other line icons (Icon.tsx). */
export function TagIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M4 4.5h7.5l8.5 8.5-7 7-8.5-8.5V4.5zM8.5 8.5h.01" />
    </svg>
  );
}

/** The feeds pane's tag section: each tag opens the items carrying it. Absent without tags. */
export function TagNav({ tags, selection, onSelect }: TagNavProps) {
  const { t } = useTranslation();
  if (tags.length === 0) return null;
  return (
    <>
      <div className="nav-section">
        <h2 className="nav-section-title">{t('filters:tags.heading')}</h2>
      </div>
      <ul className="nav-list" aria-label={t('filters:tags.heading')}>
        {tags.map((tag) => {
          const target: Selection = { kind: 'tag', id: tag.name };
          const current = sameSelection(target, selection);
          return (
            <li key={tag.id}>
              <button
                type="button"
                className={current ? 'nav-item nav-item-current' : 'nav-item'}
                aria-current={current ? 'page' : undefined}
                onClick={() => {
                  onSelect(target);
                }}
              >
                <TagIcon />
                <span className="nav-label" title={tag.name}>
                  {tag.name}
                </span>
                <span className="tag-count" aria-label={t('filters:tags.items', { count: tag.count })}>
                  {tag.count > 999 ? '999+' : tag.count}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}
