import { errorFromResponse } from './errors.js';

export interface User {
  id: string;
  email: string;
  name: string | null;
  createdAt: string;
}

export interface Session {
  id: string;
  /** A cookie session, or a token family and the kind of client holding it. */
  kind: 'session' | 'jwt-cookie' | 'memory-token' | 'bearer';
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface SignedIn {
  user: User;
  session: Session;
}

export interface AuthClientOptions {
  /** Where the app's API lives; defaults to the page's own origin. */
  baseUrl?: string;
  /** For tests and non-browser runtimes. */
  fetch?: typeof fetch;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The browser side of session mode. Credentials are an HttpOnly cookie this code never
 * sees; what it does is attach the CSRF token to every unsafe request, fetching a fresh
 * (masked) one when needed, and retry once if the server rotated it.
 */
export function createAuthClient(options: AuthClientOptions = {}) {
  const baseUrl = (options.baseUrl ?? '').replace(/\/$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  let csrfToken: string | undefined;

  async function freshCsrfToken(): Promise<string> {
    const response = await fetchImpl(`${baseUrl}/api/auth/csrf`, { credentials: 'include' });
    if (!response.ok) throw await errorFromResponse(response);
    const body = (await response.json()) as { csrfToken: string };
    csrfToken = body.csrfToken;
    return csrfToken;
  }

  let refreshing: Promise<boolean> | undefined;

  /**
   * jwt-cookie mode: the access cookie lives 10 minutes, the refresh cookie much longer. One
   * refresh at a time in this tab; concurrent callers share it. (In session mode the server
   * answers 401 and nothing changes.)
   */
  function refreshAccessCookie(): Promise<boolean> {
    refreshing ??= fetchImpl(`${baseUrl}/api/auth/refresh`, { method: 'POST', credentials: 'include' })
      .then(async (response) => {
        await response.body?.cancel();
        return response.ok;
      })
      .catch(() => false)
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  }

  /**
   * fetch with the app's credentials and, on unsafe methods, the CSRF header. A 401 is
   * retried once after refreshing the access cookie.
   */
  async function authFetch(path: string, init: RequestInit = {}): Promise<Response> {
    const response = await csrfFetch(path, init);
    if (response.status !== 401 || path.startsWith('/api/auth/refresh')) return response;
    // Only a missing or expired credential; a wrong password (invalid_credentials) is final.
    const problem = (await response
      .clone()
      .json()
      .catch(() => ({}))) as { code?: string };
    if (problem.code !== 'unauthenticated' || !(await refreshAccessCookie())) return response;
    await response.body?.cancel();
    return csrfFetch(path, init);
  }

  async function csrfFetch(path: string, init: RequestInit): Promise<Response> {
    const method = (init.method ?? 'GET').toUpperCase();
    const send = async (token: string | undefined) => {
      const headers = new Headers(init.headers);
      if (token !== undefined) headers.set('X-CSRF-Token', token);
      return fetchImpl(`${baseUrl}${path}`, { ...init, method, headers, credentials: 'include' });
    };
    if (!UNSAFE.has(method)) return send(undefined);

    const response = await send(csrfToken ?? (await freshCsrfToken()));
    if (response.status !== 403) return response;
    // The secret rotates at sign-in and sign-out (another tab may have done either):
    // one retry with a fresh token, never more.
    const problem = (await response
      .clone()
      .json()
      .catch(() => ({}))) as { code?: string };
    if (problem.code !== 'csrf_failed') return response;
    return send(await freshCsrfToken());
  }

  async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await authFetch(path, init);
    if (!response.ok) throw await errorFromResponse(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  function json(method: string, body: unknown): RequestInit {
    return { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  }

  /** Every change of sign-in state rotates the server's CSRF secret. */
  async function changingSignInState<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      csrfToken = undefined;
    }
  }

  return {
    fetch: authFetch,
    signUp: (input: { email: string; password: string; name?: string }) =>
      changingSignInState(() => call<SignedIn>('/api/auth/signup', json('POST', input))),
    signIn: (input: { email: string; password: string; remember?: boolean }) =>
      changingSignInState(() => call<SignedIn>('/api/auth/login', json('POST', input))),
    signOut: () => changingSignInState(() => call<undefined>('/api/auth/logout', { method: 'POST' })),
    signOutEverywhere: () => changingSignInState(() => call<undefined>('/api/auth/logout-all', { method: 'POST' })),
    /** The signed-in user, or null when signed out. */
    async me(): Promise<SignedIn | null> {
      const response = await authFetch('/api/auth/me');
      if (response.status === 401) {
        await response.body?.cancel(); // release the connection; the body says nothing new
        return null;
      }
      if (!response.ok) throw await errorFromResponse(response);
      return (await response.json()) as SignedIn;
    },
    sessions: () => call<{ sessions: Session[] }>('/api/auth/sessions').then((body) => body.sessions),
    revokeSession: (id: string) =>
      call<undefined>(`/api/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    changePassword: (input: { currentPassword: string; newPassword: string }) =>
      changingSignInState(() => call<SignedIn>('/api/auth/password', json('POST', input))),
  };
}

export type AuthClient = ReturnType<typeof createAuthClient>;
