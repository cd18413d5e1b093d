import { useEffect } from 'react';
import { applyLanguageChoice } from './i18n';
import { usePreferences } from './preferences';

/**
 * Speaks the signed-in user's saved language once their preferences arrive (and again when
 * a change is saved or undone): the choice follows them to every device. Renders nothing.
 * With nothing saved, the device's own choice stands (someone who picked 中文 on the
 * sign-in page keeps it after signing in), else the browser's language.
 */
export function SavedLanguage() {
  const { preferences, loaded } = usePreferences();
  useEffect(() => {
    if (loaded && preferences.language !== null) applyLanguageChoice(preferences.language);
  }, [loaded, preferences.language]);
  return null;
}
