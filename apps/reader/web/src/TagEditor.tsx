import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { describeError } from './errors';
import { Icon } from './Icon';
import './filters.css';

/** The server's limits (tags/tag-name.ts): said before a request would be refused. */
const MAX_TAGS_PER_ITEM = 20;
const MAX_TAG_LENGTH = 50;
const MAX_TAGS_PER_USER = 500;

interface TagEditorProps {
  itemId: string;
  /** The item's tags when it was loaded; the editor keeps them from then on. */
  initialTags: string[];
  onSaved: (itemId: string, tags: string[]) => void;
  /** Handles a 401 (back to sign-in); true if it did. */
  onSessionEnded: (error: unknown) => boolean;
}

/** One item's tags under its title: remove one with its ×, add one by typing it. */
export function TagEditor({ itemId, initialTags, onSaved, onSessionEnded }: TagEditorProps) {
  const { t } = useTranslation();
  const [tags, setTags] = useState(initialTags);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();

  async function save(next: string[]) {
    setBusy(true);
    setProblem(undefined);
    try {
      const stored = await api.setItemTags(itemId, next);
      setTags(stored);
      setDraft('');
      onSaved(itemId, stored);
    } catch (error) {
      if (!onSessionEnded(error)) {
        setProblem(
          describeError(error).code === 'conflict'
            ? t('filters:tagEditor.tooManyTags', { max: MAX_TAGS_PER_USER })
            : describeError(error).message,
        );
      }
    }
    setBusy(false);
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = draft.trim().replace(/\s+/gu, ' ');
    if (name === '' || busy) return;
    // The same tag in another case is already there: nothing to add.
    if (tags.some((tag) => tag.toLocaleLowerCase() === name.toLocaleLowerCase())) {
      setDraft('');
      return;
    }
    void save([...tags, name]);
  }

  const full = tags.length >= MAX_TAGS_PER_ITEM;

  return (
    <div className="tag-editor" role="group" aria-label={t('filters:tagEditor.label')}>
      {tags.length > 0 && (
        <ul className="tag-chips">
          {tags.map((tag) => (
            <li key={tag} className="tag-chip">
              <span>{tag}</span>
              <button
                type="button"
                className="tag-chip-remove"
                aria-label={t('filters:tagEditor.remove', { name: tag })}
                title={t('filters:tagEditor.remove', { name: tag })}
                disabled={busy}
                onClick={() => {
                  void save(tags.filter((kept) => kept !== tag));
                }}
              >
                <Icon name="close" />
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="tag-add" onSubmit={onSubmit}>
        <input
          className="input tag-input"
          aria-label={t('filters:tagEditor.add')}
          placeholder={full ? t('filters:tagEditor.full', { max: MAX_TAGS_PER_ITEM }) : t('filters:tagEditor.add')}
          value={draft}
          maxLength={MAX_TAG_LENGTH}
          disabled={full}
          onChange={(event) => {
            setDraft(event.target.value);
          }}
        />
        <button
          type="submit"
          className="button button-secondary button-small"
          disabled={busy || full || draft.trim() === ''}
          aria-busy={busy}
        >
          {t('filters:tagEditor.addButton')}
        </button>
      </form>
      {problem !== undefined && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
