import type { AuthRequest, AuthState } from '@gatehouse/core';
import { GatehouseError } from '@gatehouse/core';
import type { Context } from 'hono';

/** What the Gatehouse middleware puts on every request's context. */
export interface GatehouseEnv {
  Variables: {
    auth: AuthState | undefined;
    authRequest: AuthRequest;
  };
}

/** The signed-in user and session, or a 401 `unauthenticated`. */
export function currentAuth(c: Context<GatehouseEnv>): AuthState {
  const auth = c.get('auth');
  if (auth === undefined) throw new GatehouseError('unauthenticated', 'Sign in to continue.');
  return auth;
}
