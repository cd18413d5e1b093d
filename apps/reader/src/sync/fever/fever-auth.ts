import { GatehouseError, type AppPasswordUser, type AuthRequest, type Gatehouse } from '@gatehouse/core';
import type { FeverParams } from './fever-request.js';

export type FeverAuth =
  { kind: 'user'; user: AppPasswordUser } | { kind: 'anonymous' } | { kind: 'rate_limited'; retryAfterSeconds: number };

/**
 * Who a Fever call is, from its `api_key` alone: md5(`feverLogin:app-password`), checked by
 * Gatehouse against live app passwords on every call (no cache, so a revoked password fails
 * on the very next request). An account password gives a key that matches nothing, and no
 * cookie is ever read on this path (the middleware skips it), so a page the user visits
 * cannot make their browser sync on their behalf.
 */
export async function authenticateFever(
  gatehouse: Gatehouse,
  request: AuthRequest,
  params: FeverParams,
): Promise<FeverAuth> {
  const apiKey = params.get('api_key')?.trim() ?? '';
  // No key at all is a client asking whether it needs one, not a guess: nothing to count.
  if (apiKey === '') return { kind: 'anonymous' };
  try {
    const user = await gatehouse.authenticateFeverKey(request, apiKey);
    return user === undefined ? { kind: 'anonymous' } : { kind: 'user', user };
  } catch (error) {
    // Too many wrong keys from this address: Gatehouse counts them and says when to retry.
    if (error instanceof GatehouseError && error.code === 'rate_limited') {
      return { kind: 'rate_limited', retryAfterSeconds: error.retryAfterSeconds ?? 60 };
    }
    throw error;
  }
}
