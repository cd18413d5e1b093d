import type { Preferences } from './preferences';

export type Theme = Preferences['theme'];

/**
 * The theme last used on this device, so the first paint (and the sign-in page) is already
 * in it before the user's preferences arrive: no white flash for a dark-mode reader. Only
 * a theme name: harmless where script can read it.
 */
const STORAGE_KEY = 'reader.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';
const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

export function rememberedTheme(): Theme {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return THEMES.find((theme) => theme === stored) ?? 'system';
  } catch {
    return 'system'; // storage disabled
  }
}

export function rememberTheme(theme: Theme): void {
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Storage disabled: the next visit starts from the system's setting.
  }
}

/** What the stylesheets read: <html data-theme="light|dark">, the system's when 'system'. */
export function applyTheme(theme: Theme): void {
  const dark = theme === 'dark' || (theme === 'system' && window.matchMedia(DARK_QUERY).matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/** Calls `changed` whenever the system switches between light and dark; returns the unsubscribe. */
export function onSystemThemeChange(changed: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', changed);
  return () => {
    query.removeEventListener('change', changed);
  };
}
