import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api } from './api';

/** The user's reading preferences, kept on the server (GET/PATCH /api/preferences). */
export interface Preferences {
  /** null: follow the browser's language. */
  language: 'en' | 'zh-CN' | null;
  /** 'system' follows the operating system's light or dark setting. */
  theme: 'system' | 'light' | 'dark';
  fontSize: 'small' | 'medium' | 'large' | 'x-large';
  lineWidth: 'narrow' | 'medium' | 'wide';
  markReadOnScroll: boolean;
}

/** What the server answers for a user who never chose, and what a signed-out page uses. */
export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  language: null,
  theme: 'system',
  fontSize: 'medium',
  lineWidth: 'medium',
  markReadOnScroll: false,
});

export interface PreferencesValue {
  preferences: Preferences;
  /** Saves a change; the page shows it at once and goes back to the server's values if it fails. */
  update: (patch: Partial<Preferences>) => Promise<void>;
  /** True once the signed-in user's own preferences came from the server. */
  loaded: boolean;
}

const PreferencesContext = createContext<PreferencesValue>({
  preferences: DEFAULT_PREFERENCES,
  update: () => Promise.reject(new Error('usePreferences() outside a PreferencesProvider')),
  loaded: false,
});

interface Loaded {
  userId: string;
  preferences: Preferences;
}

/**
 * Loads the signed-in user's preferences once (again when another user signs in); a
 * signed-out page gets the defaults.
 */
export function PreferencesProvider({ userId, children }: { userId: string | undefined; children: ReactNode }) {
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  /** Numbers each change, so an older answer arriving late never undoes a newer choice. */
  const latest = useRef(0);

  const reload = useCallback((user: string) => {
    const asked = latest.current;
    return api.preferences().then((preferences) => {
      if (asked === latest.current) setLoaded({ userId: user, preferences });
    });
  }, []);

  useEffect(() => {
    if (userId === undefined) return;
    latest.current += 1;
    reload(userId).catch(() => {
      // Not worth a message: the reader works with the defaults, and a 401 is noticed by its own calls.
    });
  }, [userId, reload]);

  const current = userId !== undefined && loaded?.userId === userId ? loaded : undefined;

  const update = useCallback(
    async (patch: Partial<Preferences>) => {
      if (userId === undefined) throw new Error('Sign in to save preferences.');
      const change = (latest.current += 1);
      setLoaded((previous) => ({
        userId,
        preferences: { ...(previous?.userId === userId ? previous.preferences : DEFAULT_PREFERENCES), ...patch },
      }));
      try {
        const saved = await api.updatePreferences(patch);
        if (change === latest.current) setLoaded({ userId, preferences: saved });
      } catch (error) {
        // Show what the server really has, then let the caller say why.
        await reload(userId).catch(() => undefined);
        throw error;
      }
    },
    [userId, reload],
  );

  const value = useMemo<PreferencesValue>(
    () => ({ preferences: current?.preferences ?? DEFAULT_PREFERENCES, update, loaded: current !== undefined }),
    [current, update],
  );
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}

export function usePreferences(): PreferencesValue {
  return useContext(PreferencesContext);
}
