import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isLanguage, languageFromBrowser, type Language } from './language';
import { RESOURCES } from './resources';

/**
 * The choice last made on this device (or the signed-in user's saved preference), so the
 * sign-in page speaks it before anyone is signed in. Only a language code: harmless to keep
 * where script can read it.
 */
const STORAGE_KEY = 'reader.language';

function storedLanguage(): Language | undefined {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : undefined;
  } catch {
    return undefined;
  }
}

function browserLanguage(): Language {
  return languageFromBrowser(typeof navigator === 'undefined' ? [] : navigator.languages);
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  // Both languages are bundled: a few tens of kilobytes cost less than a round trip, and
  // the first paint is never in the wrong language.
  resources: RESOURCES,
  lng: storedLanguage() ?? browserLanguage(),
  fallbackLng: 'en',
  supportedLngs: ['en', 'zh-CN'],
  defaultNS: 'common',
  ns: Object.keys(RESOURCES.en),
  // Resources are bundled: initialise synchronously, so the first render has its strings.
  initAsync: false,
  // React escapes what it renders; escaping here too would show "&amp;".
  interpolation: { escapeValue: false },
  // A key missing at run time is a bug: say so where the browser tests look (console errors).
  saveMissing: true,
  missingKeyHandler: (languages, namespace, key) => {
    console.error(`i18n: missing "${namespace}:${key}" for ${languages.join(', ')}`);
  },
  react: { useSuspense: false },
});

function reflectInDocument(language: string): void {
  // Unit tests load this in Node, which has no document.
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}
reflectInDocument(i18n.language);
i18n.on('languageChanged', reflectInDocument);

/**
 * Applies a language choice: the user's saved preference once it is known, or a choice made
 * on a signed-out page. `null` means "follow the browser".
 */
export function applyLanguageChoice(choice: Language | null): void {
  try {
    if (choice === null) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Storage disabled: the choice lasts for this page.
  }
  const language = choice ?? browserLanguage();
  if (i18n.language !== language) void i18n.changeLanguage(language);
}

/** The choice kept on this device (null: follow the browser), for a chooser on a signed-out page. */
export function storedLanguageChoice(): Language | null {
  return storedLanguage() ?? null;
}

/** The language the page speaks now. */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}
