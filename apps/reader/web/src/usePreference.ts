import { useCallback, useState } from 'react';

/**
 * A UI preference (collapsed folders, "unread only") kept in localStorage. Nothing
 * credential-like ever goes here: script can read it, so only harmless choices do.
 */
export function usePreference<T>(key: string, fallback: T): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const stored = localStorage.getItem(key);
      return stored === null ? fallback : (JSON.parse(stored) as T);
    } catch {
      return fallback; // storage disabled or a hand-edited value: the default will do
    }
  });
  const update = useCallback(
    (next: T) => {
      setValue(next);
      try {
        localStorage.setItem(key, JSON.stringify(next));
      } catch {
        // Private mode or quota: the choice lasts for this visit only.
      }
    },
    [key],
  );
  return [value, update];
}
