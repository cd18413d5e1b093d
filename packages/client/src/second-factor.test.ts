import { afterEach, describe, expect, it } from 'vitest';
import { createAuthClient, type AuthClient } from './auth-client.js';
import { AuthClientError } from './errors.js';
import type { AuthMode, ReauthenticationAttempt } from './types.js';

const USER = { id: 'u1', email: 'ada@example.com', name: null, createdAt: '2026-01-01T00:00:00Z', emailVerified: true };
const CHALLENGE = { mfaRequired: true, methods: ['totp', 'recovery_code'], mfaToken: 'mfa-1', expiresAt: 'soon' };
const ASSERTION = {
  id: 'cred',
  rawId: 'cred',
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: 'c', authenticatorData: 'a', signature: 's' },
} as const;

function problem(status: number, code: string, extensions: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ status, code, detail: code, ...extensions }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

interface Seen {
  method: string;
  path: string;
  body: unknown;
  headers: Headers;
}

/**
 * A server whose one account has a second factor: /login answers with a pending sign-in, the
 * code 123456 finishes it (a session, plus a token in memory-token mode), and POST /api/notes
 * needs a recent password and factor.
 */
function fakeServer(mode: AuthMode) {
  const seen: Seen[] = [];
  let signedIn = false;
  let factorStamped = false;
  const signedInBody = () => ({
    user: USER,
    session: { id: 's1', kind: mode, createdAt: '', lastSeenAt: '', expiresAt: '', ip: null, userAgent: null },
    ...(mode === 'memory-token' ? { access_token: 'at-1', token_type: 'Bearer', expires_in: 900 } : {}),
  });
  const fetchImpl = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const path = new URL(input instanceof Request ? input.url : input, 'http://app.test').pathname;
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : null;
    seen.push({ method, path, body, headers: new Headers(init.headers) });
    await Promise.resolve();
    switch (path) {
      case '/api/auth/csrf':
        return Response.json({ csrfToken: 'masked' });
      case '/api/auth/login':
        return Response.json(CHALLENGE);
      case '/api/auth/login/second-factor':
        if (body?.mfaToken !== 'mfa-1') return problem(401, 'sign_in_expired', { reason: 'expired' });
        if (body.code !== '123456') return problem(401, 'invalid_second_factor', { attemptsLeft: 4 });
        signedIn = true;
        factorStamped = true;
        return Response.json(signedInBody());
      case '/api/auth/login/passkey':
        signedIn = true;
        return Response.json(signedInBody());
      case '/api/auth/reauthenticate':
        if (body?.method !== 'passkey' && body?.code !== '654321')
          return problem(401, 'invalid_second_factor', { attemptsLeft: 9 });
        factorStamped = true;
        return Response.json({ reauthenticatedUntil: 'later' });
      case '/api/notes':
        if (!signedIn) return problem(401, 'unauthenticated');
        return factorStamped
          ? Response.json({ ok: true }, { status: 201 })
          : problem(403, 'reauthentication_required', { factorRequired: true, methods: ['password', 'totp'] });
      default:
        return problem(404, 'not_found');
    }
  };
  return {
    fetchImpl,
    seen,
    last: (path: string) => seen.filter((s) => s.path === path).at(-1),
    forgetFactor: () => {
      factorStamped = false;
    },
  };
}

const clients: AuthClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

function clientFor(
  server: ReturnType<typeof fakeServer>,
  mode: AuthMode,
  prompt?: (attempt: ReauthenticationAttempt) => Promise<unknown>,
): AuthClient {
  const client = createAuthClient({
    baseUrl: 'http://app.test',
    mode,
    fetch: server.fetchImpl,
    ...(prompt ? { onReauthenticationRequired: prompt as never } : {}),
  });
  clients.push(client);
  return client;
}

describe('sign-in with a second factor', () => {
  it('a password alone gives a pending sign-in, not a credential (memory-token)', async () => {
    const server = fakeServer('memory-token');
    const client = clientFor(server, 'memory-token');
    const result = await client.signIn({ email: USER.email, password: 'pw' });
    expect(result).toEqual(CHALLENGE);

    await client.completeSecondFactor({ mfaToken: 'mfa-1', method: 'totp', code: '123456' });
    // The token from the second step's body is the one requests now carry.
    expect((await client.fetch('/api/notes', { method: 'POST' })).status).toBe(201);
    expect(server.last('/api/notes')?.headers.get('authorization')).toBe('Bearer at-1');
  });

  it('the second step is sent like /login: CSRF header in the cookie modes, the token in the body', async () => {
    const server = fakeServer('session');
    const client = clientFor(server, 'session');
    await client.signIn({ email: USER.email, password: 'pw' });
    const signedIn = await client.completeSecondFactor({ mfaToken: 'mfa-1', method: 'totp', code: '123456' });
    expect(signedIn.user.email).toBe(USER.email);
    const step = server.last('/api/auth/login/second-factor');
    expect(step?.headers.get('x-csrf-token')).toBe('masked');
    expect(step?.body).toEqual({ mfaToken: 'mfa-1', method: 'totp', code: '123456' });
  });

  it('a wrong code says how many tries are left; a dead pending sign-in says why', async () => {
    const server = fakeServer('jwt-cookie');
    const client = clientFor(server, 'jwt-cookie');
    const wrong = client.completeSecondFactor({ mfaToken: 'mfa-1', method: 'totp', code: '000000' });
    await expect(wrong).rejects.toBeInstanceOf(AuthClientError);
    await expect(wrong).rejects.toMatchObject({ status: 401, code: 'invalid_second_factor', attemptsLeft: 4 });
    await expect(
      client.completeSecondFactor({ mfaToken: 'stolen', method: 'recovery_code', code: 'x' }),
    ).rejects.toMatchObject({ code: 'sign_in_expired', reason: 'expired', attemptsLeft: undefined });
  });

  it('a passkey alone signs in, with remember passed on only when given', async () => {
    const server = fakeServer('session');
    const client = clientFor(server, 'session');
    const signedIn = await client.loginWithPasskey(ASSERTION, true);
    expect(signedIn.session.id).toBe('s1');
    expect(server.last('/api/auth/login/passkey')?.body).toEqual({ response: ASSERTION, remember: true });
    await client.loginWithPasskey(ASSERTION);
    expect(server.last('/api/auth/login/passkey')?.body).toEqual({ response: ASSERTION });
  });
});

describe('step-up that needs a second factor', () => {
  it('tells the prompt a factor is needed, and sends the password with the code', async () => {
    const server = fakeServer('session');
    const asked: ReauthenticationAttempt[] = [];
    const answers = [
      { password: 'pw', method: 'totp', code: '111111' },
      { password: 'pw', method: 'totp', code: '654321' },
    ];
    const client = clientFor(server, 'session', (attempt) => {
      asked.push(attempt);
      return Promise.resolve(answers.shift());
    });
    await client.signIn({ email: USER.email, password: 'pw' });
    await client.completeSecondFactor({ mfaToken: 'mfa-1', method: 'totp', code: '123456' });
    server.forgetFactor();

    expect((await client.fetch('/api/notes', { method: 'POST' })).status).toBe(201);
    expect(asked.map((a) => [a.attempt, a.factorRequired, a.methods, a.error?.code, a.error?.attemptsLeft])).toEqual([
      [1, true, ['password', 'totp'], undefined, undefined],
      [2, true, ['password', 'totp'], 'invalid_second_factor', 9],
    ]);
    expect(server.last('/api/auth/reauthenticate')?.body).toEqual({ password: 'pw', method: 'totp', code: '654321' });
  });

  it('a passkey answer is sent as it is, without a password', async () => {
    const server = fakeServer('session');
    const client = clientFor(server, 'session', () => Promise.resolve({ method: 'passkey', response: ASSERTION }));
    await client.loginWithPasskey(ASSERTION);
    expect((await client.fetch('/api/notes', { method: 'POST' })).status).toBe(201);
    expect(server.seen.filter((s) => s.path === '/api/auth/reauthenticate')).toHaveLength(1);
    expect(server.last('/api/auth/reauthenticate')?.body).toEqual({ method: 'passkey', response: ASSERTION });
  });
});
