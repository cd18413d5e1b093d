import { useTranslation } from 'react-i18next';

interface FullTextToggleProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
}

/** The feed settings' switch for full text: new items get their page's article. */
export function FullTextToggle({ checked, onChange }: FullTextToggleProps) {
  const { t } = useTranslation();
  return (
    <div className="checkbox-field">
      <div className="checkbox">
        <input
          id="feed-full-text"
          type="checkbox"
          checked={checked}
          aria-describedby="feed-full-text-hint"
          onChange={(event) => {
            onChange(event.target.checked);
          }}
        />
        <label htmlFor="feed-full-text">{t('fulltext:toggle.label')}</label>
      </div>
      <p id="feed-full-text-hint" className="field-hint">
        {t('fulltext:toggle.hint')}
      </p>
    </div>
  );
}
