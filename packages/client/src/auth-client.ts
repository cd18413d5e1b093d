import { accountCalls } from './account-calls.js';
import { createAccessTokenHolder, grantFromExpiresIn, type AccessTokenGrant } from './access-token.js';
import { openTabChannel, type TabMessage } from './cross-tab.js';
import { createCsrfTokenCache } from './csrf-token.js';
import { discard, errorFromResponse, problemCode } from './errors.js';
import { factorCalls } from './factor-calls.js';
import { json } from './json-init.js';
import { createRefreshCoordinator, type PeerOutcome, type RefreshOutcome } from './refresh-coordinator.js';
import { signInSteps } from './sign-in-steps.js';
import { createStepUp, type ReauthenticationPrompt } from './step-up.js';
import type {
  AuthMode,
  SecondFactorRequired,
  Session,
  SignedIn,
  SignedOutEvent,
  SignedOutReason,
  SignInResult,
} from './types.js';

export interface AuthClientOptions {
  /** Where the API lives, e.g. `https://api.example.com`; defaults to the page's own origin. */
  baseUrl?: string;
  /**
   * How the server keeps browsers signed in (its `GATEHOUSE_BROWSER_MODE`); default `session`.
   * It decides what a page load does (memory-token must refresh to get a token). Every
   * sign-in answer names the server's real mode, and the client follows that from then on.
   */
  mode?: AuthMode;
  /** For tests and non-browser runtimes. */
  fetch?: typeof fetch;
  /**
   * Asked for the password when a request is refused with `403 reauthentication_required`
   * (a sensitive action, and the password was last entered too long ago). Resolve with the
   * password to renew the window and send the request again, once; with null or undefined
   * to give up (the 403 is returned). When `factorRequired` is set, resolve with the password
   * and a code (`{password, method: 'totp' | 'recovery_code', code}`) or a passkey assertion
   * (`{method: 'passkey', response}`, options from `reauthenticationOptions()`); `methods`
   * says what the user has. A wrong answer asks again, up to three times, with `error`
   * saying why. Without it, the 403 is returned as is.
   */
  onReauthenticationRequired?: ReauthenticationPrompt;
}

type SignInState = 'unknown' | 'signed-in' | 'signed-out';

interface TokenFields {
  access_token?: unknown;
  expires_in?: unknown;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BROWSER_MODES: readonly string[] = ['session', 'jwt-cookie', 'memory-token'];

/**
 * The browser side of Gatehouse. In the cookie modes the credential is an HttpOnly cookie
 * this code never sees: it attaches the CSRF token to unsafe requests (one retry when the
 * secret rotated) and, in jwt-cookie mode, refreshes the access cookie once on a 401. In
 * memory-token mode it holds the access token in a closure, sends it as a Bearer header and
 * renews it shortly before it expires. Refreshes are serialized across the origin's tabs, and
 * a sign-out in one tab signs out all of them.
 */
export function createAuthClient(options: AuthClientOptions = {}) {
  const baseUrl = (options.baseUrl ?? '').replace(/\/$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  let mode: AuthMode = options.mode ?? 'session';
  let state: SignInState = 'unknown';
  let currentSessionId: string | undefined;
  let renewalTimer: ReturnType<typeof setTimeout> | undefined;
  const access = createAccessTokenHolder();
  const csrf = createCsrfTokenCache(fetchImpl, baseUrl);
  const signedOutListeners = new Set<(event: SignedOutEvent) => void>();
  const peerWaiters = new Set<(outcome: PeerOutcome) => void>();

  const channel = openTabChannel(`gatehouse-auth:${baseUrl}`, onTabMessage);
  const refreshAfter = createRefreshCoordinator({
    lockName: `gatehouse-refresh:${baseUrl}`,
    credentialVersion: () => access.version,
    refresh: refreshNow,
    nextPeerOutcome,
  });
  const stepUp = createStepUp({
    prompt: options.onReauthenticationRequired,
    reauthenticate: (body) => authFetch('/api/auth/reauthenticate', json('POST', body)),
  });

  function onTabMessage(message: TabMessage): void {
    if (message.type === 'credential') {
      mode = message.mode;
      currentSessionId = message.sessionId;
      acceptCredential(message.grant);
    } else if (message.type === 'signed-out') {
      end(message.reason === 'signed-out' ? 'other-tab' : message.reason, false);
    }
    for (const waiter of [...peerWaiters]) {
      peerWaiters.delete(waiter);
      waiter(message.type);
    }
  }

  function nextPeerOutcome(timeoutMs: number): Promise<PeerOutcome> {
    return new Promise((resolve) => {
      const done = (outcome: PeerOutcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        peerWaiters.delete(done);
        resolve('timeout');
      }, timeoutMs);
      peerWaiters.add(done);
    });
  }

  /** A new credential, from this tab or another: the token (memory-token) or just the news of it. */
  function acceptCredential(grant: AccessTokenGrant | undefined): void {
    access.replace(grant);
    state = 'signed-in';
    csrf.forget(); // a sign-in elsewhere rotated the secret; a refresh costs one GET /csrf at most
    scheduleRenewal();
  }

  function announceCredential(grant: AccessTokenGrant | undefined): void {
    acceptCredential(grant);
    channel.post({ type: 'credential', mode, sessionId: currentSessionId, ...(grant ? { grant } : {}) });
  }

  function end(reason: SignedOutReason, tellOtherTabs: boolean): void {
    const wasSignedIn = state === 'signed-in';
    state = 'signed-out';
    currentSessionId = undefined;
    access.clear();
    csrf.forget();
    clearTimeout(renewalTimer);
    if (tellOtherTabs) channel.post({ type: 'signed-out', reason });
    if (!wasSignedIn) return; // a page load that finds nobody signed in is not an event
    for (const listener of [...signedOutListeners]) listener({ reason });
  }

  /** memory-token: renew a little before expiry, so requests rarely meet an expired token. */
  function scheduleRenewal(): void {
    clearTimeout(renewalTimer);
    const delay = mode === 'memory-token' ? access.msUntilDue(Date.now()) : undefined;
    if (delay === undefined) return;
    renewalTimer = setTimeout(() => {
      if (state !== 'signed-in') return;
      if (access.isDue(Date.now())) void refreshAfter(access.version);
      else scheduleRenewal(); // woke early (timer clamping, a changed clock)
    }, delay);
  }

  /** POST /refresh; runs under the cross-tab lock and tells the other tabs how it went. */
  async function refreshNow(): Promise<RefreshOutcome> {
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}/api/auth/refresh`, { method: 'POST', credentials: 'include' });
    } catch {
      channel.post({ type: 'refresh-failed' });
      return 'failed';
    }
    if (response.ok) {
      const body = (await response.json().catch(() => ({}))) as TokenFields;
      const grant = grantFrom(body);
      // Only the token modes refresh; the body says which one this server runs.
      mode = grant === undefined ? 'jwt-cookie' : 'memory-token';
      announceCredential(grant);
      return 'refreshed';
    }
    const code = await problemCode(response);
    await discard(response);
    if (response.status === 401) {
      // A reused refresh token revokes the whole family: say so, it is not a plain expiry.
      end(code === 'token_reused' ? 'revoked' : 'expired', state === 'signed-in');
      return 'signed-out';
    }
    channel.post({ type: 'refresh-failed' }); // rate limited, server error: try again later
    return 'failed';
  }

  /**
   * fetch with the app's credentials: the Bearer token (memory-token) or the cookies and, on
   * unsafe methods, the CSRF header. A 401 `unauthenticated` is retried once after a refresh
   * in the token modes; when it stands, this tab is signed out (`expired`). The body of
   * `init` must be replayable (a string, Blob, FormData…).
   */
  async function authFetch(path: string, init: RequestInit = {}, endOnUnauthenticated = true): Promise<Response> {
    if (mode === 'memory-token' && state !== 'signed-out' && access.isDue(Date.now())) {
      await refreshAfter(access.version);
    }
    const seenVersion = access.version;
    const response = await send(path, init, true);
    if (response.status !== 401) return response;
    // Only a missing or expired credential; a wrong password (invalid_credentials) is final.
    if ((await problemCode(response)) !== 'unauthenticated') return response;
    if (mode !== 'session' && state !== 'signed-out' && (await refreshAfter(seenVersion))) {
      await discard(response);
      const retried = await send(path, init, true);
      if (retried.status === 401 && endOnUnauthenticated && (await problemCode(retried)) === 'unauthenticated') {
        end('expired', true);
      }
      return retried;
    }
    // Session mode never refreshes: a 401 there means the session is gone.
    if (endOnUnauthenticated) end('expired', state === 'signed-in');
    return response;
  }

  /** authFetch, and once more after the user re-enters the password if a sensitive route asks for it. */
  async function fetchWithStepUp(path: string, init: RequestInit = {}, endOnUnauthenticated = true): Promise<Response> {
    const response = await authFetch(path, init, endOnUnauthenticated);
    if (!(await stepUp.renewedAfter(response, init.body))) return response;
    await discard(response);
    return authFetch(path, init, endOnUnauthenticated);
  }

  async function send(path: string, init: RequestInit, withToken: boolean): Promise<Response> {
    const method = (init.method ?? 'GET').toUpperCase();
    const attempt = (csrfToken: string | undefined) => {
      const headers = new Headers(init.headers);
      const token = access.token;
      if (withToken && mode === 'memory-token' && token !== undefined && !headers.has('authorization')) {
        headers.set('Authorization', `Bearer ${token}`);
      }
      if (csrfToken !== undefined) headers.set('X-CSRF-Token', csrfToken);
      return fetchImpl(`${baseUrl}${path}`, { ...init, method, headers, credentials: 'include' });
    };
    // memory-token: requests carry the token in a header (nothing ambient to forge), and
    // sign-in is guarded by the strict Origin check: no CSRF token at all.
    if (mode === 'memory-token' || !UNSAFE.has(method)) return attempt(undefined);

    const response = await attempt(await csrf.current());
    if (response.status !== 403 || (await problemCode(response)) !== 'csrf_failed') return response;
    // The secret rotates at sign-in and sign-out (another tab may have done either):
    // one retry with a fresh token, never more.
    await discard(response);
    return attempt(await csrf.fresh());
  }

  async function call<T>(path: string, init: RequestInit = {}, withStepUp = true): Promise<T> {
    const response = await (withStepUp ? fetchWithStepUp(path, init) : authFetch(path, init));
    if (!response.ok) throw await errorFromResponse(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  /** A `{user, session}` answer; token fields are taken into the closure and never returned. */
  async function signedInFrom(response: Response, newCredential: boolean): Promise<SignedIn> {
    return signedInFromBody((await response.json()) as SignedIn & TokenFields, newCredential);
  }

  function signedInFromBody(body: SignedIn & TokenFields, newCredential: boolean): SignedIn {
    if (BROWSER_MODES.includes(body.session.kind)) mode = body.session.kind as AuthMode;
    currentSessionId = body.session.id;
    if (newCredential) announceCredential(grantFrom(body));
    else state = 'signed-in';
    return { user: body.user, session: body.session };
  }

  /** Sign-in and sign-up: anonymous requests, so no stale token rides along. */
  async function anonymousPost(path: string, input: unknown): Promise<Response> {
    const response = await send(path, json('POST', input), false);
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  async function signInWith(path: string, input: unknown): Promise<SignedIn> {
    return signedInFrom(await anonymousPost(path, input), true);
  }

  /**
   * /login and a password reset: signed in, or (the account has a second factor) a pending
   * sign-in. Nothing changes in this tab until the second step succeeds: no credential came,
   * and the CSRF secret was not rotated.
   */
  async function signInOrChallenge(path: string, input: unknown): Promise<SignInResult> {
    const body = (await (await anonymousPost(path, input)).json()) as
      (SignedIn & TokenFields & { mfaRequired?: false }) | SecondFactorRequired;
    if (body.mfaRequired === true) {
      const { mfaRequired, methods, mfaToken, expiresAt } = body;
      return { mfaRequired, methods, mfaToken, expiresAt };
    }
    return { mfaRequired: false, ...signedInFromBody(body, true) };
  }

  /** Logout and logout-all: a 401 means the server had already ended it, which is fine. */
  async function endOnServer(path: string, init: RequestInit = { method: 'POST' }): Promise<void> {
    const response = await fetchWithStepUp(path, init, false);
    if (!response.ok && response.status !== 401) throw await errorFromResponse(response);
    await discard(response);
    end('signed-out', true);
  }

  return {
    /** The mode in use: the one given, until the server's answers name another. */
    get mode(): AuthMode {
      return mode;
    },
    /** fetch with the credential, the CSRF header, one refresh on 401 and the step-up prompt on 403. */
    fetch: (path: string, init?: RequestInit) => fetchWithStepUp(path, init),
    signUp: (input: { email: string; password: string; name?: string }) => signInWith('/api/auth/signup', input),
    /** Signed in, or `{mfaRequired: true, …}`: then finish with `completeSecondFactor`. */
    signIn: (input: { email: string; password: string; remember?: boolean }) =>
      signInOrChallenge('/api/auth/login', input),
    /** Ends this sign-in on the server, then in every tab of this site. */
    signOut: () => endOnServer('/api/auth/logout'),
    /** Ends every session and token family of the user, on every device; API keys too unless `keepApiKeys`. */
    signOutEverywhere: (options: { keepApiKeys?: boolean } = {}) =>
      endOnServer(
        '/api/auth/logout-all',
        options.keepApiKeys === undefined ? { method: 'POST' } : json('POST', { keepApiKeys: options.keepApiKeys }),
      ),
    /** The signed-in user, or null when signed out. */
    async me(): Promise<SignedIn | null> {
      const response = await authFetch('/api/auth/me');
      if (response.status === 401) {
        await discard(response);
        return null;
      }
      if (!response.ok) throw await errorFromResponse(response);
      return signedInFrom(response, false);
    },
    sessions: () => call<{ sessions: Session[] }>('/api/auth/sessions').then((body) => body.sessions),
    /** Revoking the current session is signing out. */
    async revokeSession(id: string): Promise<void> {
      const current = id === currentSessionId;
      await call<undefined>(`/api/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
      if (current) end('signed-out', true);
    },
    /** The server ends every session (other devices too) and API key (unless `keepApiKeys`), and starts a new session here. */
    async changePassword(input: {
      currentPassword: string;
      newPassword: string;
      keepApiKeys?: boolean;
    }): Promise<SignedIn> {
      const response = await fetchWithStepUp('/api/auth/password', json('POST', input));
      if (!response.ok) throw await errorFromResponse(response);
      return signedInFrom(response, true);
    },
    /** Deletes the account and everything in it, then signs out every tab (`deleted`). */
    async deleteAccount(): Promise<void> {
      const response = await fetchWithStepUp('/api/auth/account', { method: 'DELETE' });
      if (!response.ok) throw await errorFromResponse(response);
      await discard(response);
      end('deleted', true);
    },
    ...accountCalls({
      call,
      callWithoutStepUp: (path, init) => call(path, init, false),
      signInOrChallenge,
    }),
    ...signInSteps({
      post: async <T>(path: string, body: unknown) => (await (await anonymousPost(path, body)).json()) as T,
      signInWith,
    }),
    ...factorCalls({ call, callWithoutStepUp: (path, init) => call(path, init, false) }),
    /** Called when this tab stops being signed in, with why; returns the unsubscribe. */
    onSignedOut(listener: (event: SignedOutEvent) => void): () => void {
      signedOutListeners.add(listener);
      return () => {
        signedOutListeners.delete(listener);
      };
    },
    /** Stops the renewal timer and leaves the tab channel (tests, or an app tearing down). */
    close(): void {
      clearTimeout(renewalTimer);
      channel.close();
    },
  };
}

export type AuthClient = ReturnType<typeof createAuthClient>;

function grantFrom(body: TokenFields): AccessTokenGrant | undefined {
  if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') return undefined;
  return grantFromExpiresIn(body.access_token, body.expires_in, Date.now());
}
