import { useCallback, useEffect, useState } from 'react';
import type { SecondFactors } from '@gatehouse/client';
import { auth } from './auth';
import { describeError, isSessionEnded } from './errors';

export type FactorsState =
  { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; factors: SecondFactors };

/**
 * The user's second factors, shared by the two-factor and passkey sections: a passkey added in
 * one turns two-factor on in the other.
 */
export function useSecondFactors(onSessionEnded: () => void) {
  const [state, setState] = useState<FactorsState>({ kind: 'loading' });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    auth.getSecondFactors().then(
      (factors) => {
        if (current) setState({ kind: 'ready', factors });
      },
      (error: unknown) => {
        if (!current) return;
        if (isSessionEnded(error)) onSessionEnded();
        setState({ kind: 'failed', message: describeError(error).message });
      },
    );
    return () => {
      current = false;
    };
  }, [version, onSessionEnded]);

  /** Fetch again (after a change), keeping what is shown until the answer comes. */
  const reload = useCallback(() => {
    setVersion((n) => n + 1);
  }, []);

  /** Loading anew after a failure: the spinner, then the answer. */
  const retry = useCallback(() => {
    setState({ kind: 'loading' });
    setVersion((n) => n + 1);
  }, []);

  /** Show a change the server confirmed at once, before (or instead of) fetching again. */
  const update = useCallback((change: (factors: SecondFactors) => SecondFactors) => {
    setState((previous) =>
      previous.kind === 'ready' ? { kind: 'ready', factors: change(previous.factors) } : previous,
    );
  }, []);

  return { state, reload, retry, update };
}

export type SecondFactorsHandle = ReturnType<typeof useSecondFactors>;

/** Two-factor is on when either factor is: an authenticator app or a passkey. Recovery codes alone are not one. */
export function twoFactorOn(factors: SecondFactors): boolean {
  return factors.totp.enabled || factors.passkeys.length > 0;
}
