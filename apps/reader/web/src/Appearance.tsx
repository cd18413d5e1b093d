import { useEffect } from 'react';
import { usePreferences } from './preferences';
import { applyTheme, onSystemThemeChange, rememberedTheme, rememberTheme } from './theme';
import './comfort.css';

// Before React's first render, so the first paint is in the theme this device last used.
applyTheme(rememberedTheme());

/**
 * Puts the reading preferences on <html> (data-theme, data-font-size, data-line-width),
 * where comfort.css turns them into colours and sizes. Renders nothing.
 */
export function Appearance() {
  const { preferences, loaded } = usePreferences();
  const { fontSize, lineWidth } = preferences;
  // Until the signed-in user's own choice arrives (and when signed out): this device's last theme.
  const theme = loaded ? preferences.theme : rememberedTheme();

  useEffect(() => {
    if (loaded) rememberTheme(theme);
  }, [loaded, theme]);

  useEffect(() => {
    applyTheme(theme);
    if (theme !== 'system') return undefined;
    return onSystemThemeChange(() => {
      applyTheme('system');
    });
  }, [theme]);

  useEffect(() => {
    const root = document.documentElement;
    root.dataset.fontSize = fontSize;
    root.dataset.lineWidth = lineWidth;
  }, [fontSize, lineWidth]);

  return null;
}
