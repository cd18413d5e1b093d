import { useCallback, useEffect, useState } from 'react';
import { describeError, isSessionEnded } from './errors';

export type AccountListState<T> =
  { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; items: T[] };

export interface AccountList<T> {
  state: AccountListState<T>;
  /** Loads again after a failure ("Try again"). */
  retry: () => void;
  /** Changes the loaded list in place (a row added or revoked), without asking the server. */
  update: (change: (items: T[]) => T[]) => void;
  /** How an error reads; signs the page out when the session has ended. */
  failed: (error: unknown) => string;
}

/**
 * One of the account page's lists (sessions, app passwords, API keys): loaded on mount and
 * whenever `version` changes (a password change may have revoked them), with an answer that
 * arrives after the next load began thrown away.
 */
export function useAccountList<T>(
  load: () => Promise<T[]>,
  version: number,
  onSessionEnded: () => void,
): AccountList<T> {
  const [state, setState] = useState<AccountListState<T>>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  const failed = useCallback(
    (error: unknown) => {
      if (isSessionEnded(error)) onSessionEnded();
      return describeError(error).message;
    },
    [onSessionEnded],
  );

  useEffect(() => {
    let current = true;
    load().then(
      (items) => {
        if (current) setState({ kind: 'ready', items });
      },
      (error: unknown) => {
        if (current) setState({ kind: 'failed', message: failed(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [load, version, attempt, failed]);

  const retry = useCallback(() => {
    setState({ kind: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const update = useCallback((change: (items: T[]) => T[]) => {
    setState((previous) => (previous.kind === 'ready' ? { kind: 'ready', items: change(previous.items) } : previous));
  }, []);

  return { state, retry, update, failed };
}
