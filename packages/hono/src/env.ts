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

/**
 * The signed-in user and credential, or a 401 `unauthenticated`. `requiredScope`: what the
 * route needs from a narrowed credential such as an API key ('read', 'write').
 */
export function currentAuth(c: Context<GatehouseEnv>, requiredScope?: string): AuthState {
  const auth = c.get('auth');
  if (auth === undefined) throw new GatehouseError('unauthenticated', 'Sign in to continue.');
  if (auth.scopes === undefined) return auth;
  // A narrowed credential reaches only routes that name a scope it holds; account routes
  // (sessions, password, API keys) name none, so an API key can never manage the account.
  if (requiredScope === undefined) {
    throw new GatehouseError('forbidden', 'This credential cannot manage the account: sign in as the user.');
  }
  if (!auth.scopes.includes(requiredScope)) {
    throw new GatehouseError('forbidden', `This credential lacks the "${requiredScope}" scope.`);
  }
  return auth;
}
