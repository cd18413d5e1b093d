import type { AuthRequest, AuthState } from '@gatehouse/core';
import { GatehouseError } from '@gatehouse/core';
import type { Context } from 'hono';

/** What the Gatehouse middleware puts on every request's context. */
export interface GatehouseEnv {
  Variables: {
    auth: AuthState | undefined;
    authRequest: AuthRequest;
    /** GATEHOUSE_REQUIRE_VERIFIED_EMAIL: app routes refuse users with an unverified address. */
    verifiedEmailRequired: boolean;
  };
}

/**
 * The signed-in user and credential, or a 401 `unauthenticated`. `requiredScope`: what the
 * route needs from a narrowed credential such as an API key ('read', 'write').
 */
export function currentAuth(c: Context<GatehouseEnv>, requiredScope?: string): AuthState {
  const auth = accountHolder(c, requiredScope);
  // The auth routes use accountHolder: an unverified user must still be able to verify.
  if (c.get('verifiedEmailRequired') && auth.user.emailVerifiedAt === null) {
    throw new GatehouseError(
      'email_verification_required',
      'Confirm your email address first: follow the link we sent you, or ask for a new one.',
    );
  }
  return auth;
}

/** The signed-in user, verified address or not: for the routes that manage the account. */
export function accountHolder(c: Context<GatehouseEnv>, requiredScope?: string): AuthState {
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
