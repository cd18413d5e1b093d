import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage, type Language } from './i18n/language';

interface Props {
  /** The saved choice; null follows the browser. */
  value: Language | null;
  onChange: (choice: Language | null) => void;
}

const BROWSER = 'browser';

/** A language chooser; each language is named in itself, so anyone can find their own. */
export function LanguageSelect({ value, onChange }: Props) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="language-select">
      <label htmlFor={id}>{t('common:language.label')}</label>
      <select
        id={id}
        value={value ?? BROWSER}
        onChange={(event) => {
          const chosen = event.target.value;
          onChange(isLanguage(chosen) ? chosen : null);
        }}
      >
        <option value={BROWSER}>{t('common:language.browser')}</option>
        <option value="en">{t('common:language.en')}</option>
        <option value="zh-CN">{t('common:language.zh-CN')}</option>
      </select>
    </div>
  );
}
