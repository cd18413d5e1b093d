import { useEffect, useState } from 'react';
import { linkToken } from './linkToken';

export type LinkResult<T> =
  { kind: 'pending' } | { kind: 'missing' } | { kind: 'done'; value: T } | { kind: 'failed'; error: unknown };

// A token is single-use: one request per page load, however often React runs the effect
// (StrictMode runs it twice in development, and the second POST would find it spent).
const started = new Map<string, Promise<unknown>>();

/**
 * Sends the mail link's token once, and tells how it went. `retry` sends it again, for
 * when the request never got an answer (offline).
 */
export function useLinkAction<T>(
  name: string,
  action: (token: string) => Promise<T>,
): { result: LinkResult<T>; retry: () => void } {
  const token = linkToken();
  const [result, setResult] = useState<LinkResult<T>>(token === undefined ? { kind: 'missing' } : { kind: 'pending' });
  const [attempt, setAttempt] = useState(0);
  const [run] = useState(() => action);

  useEffect(() => {
    if (token === undefined) return;
    let current = true;
    const key = `${name}:${token}:${String(attempt)}`;
    let answer = started.get(key) as Promise<T> | undefined;
    if (answer === undefined) {
      answer = run(token);
      started.set(key, answer);
    }
    answer.then(
      (value) => {
        if (current) setResult({ kind: 'done', value });
      },
      (error: unknown) => {
        if (current) setResult({ kind: 'failed', error });
      },
    );
    return () => {
      current = false;
    };
  }, [name, token, attempt, run]);

  return {
    result,
    retry: () => {
      setResult({ kind: 'pending' });
      setAttempt((n) => n + 1);
    },
  };
}
