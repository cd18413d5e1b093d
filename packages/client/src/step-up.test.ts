import { afterEach, describe, expect, it } from 'vitest';
import { createAuthClient, type AuthClient } from './auth-client.js';
import type { ReauthenticationAttempt } from './types.js';

const PASSWORD = 'correct horse battery staple';

function problem(status: number, code: string): Response {
  return new Response(JSON.stringify({ status, code, detail: code }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

/**
 * A server whose POST /api/notes needs a recent password: refused with 403
 * reauthentication_required until /reauthenticate has seen PASSWORD. Records every request.
 */
function fakeServer(options: { reauthenticateAnswer?: () => Response } = {}) {
  const requests: { method: string; path: string; body: string | null }[] = [];
  let reauthenticated = false;
  const fetchImpl = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const path = new URL(input instanceof Request ? input.url : input, 'http://app.test').pathname;
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? init.body : null;
    requests.push({ method, path, body });
    await Promise.resolve();
    if (path === '/api/auth/csrf') return Response.json({ csrfToken: 'masked' });
    if (path === '/api/auth/reauthenticate') {
      if (options.reauthenticateAnswer) return options.reauthenticateAnswer();
      const given = (JSON.parse(body ?? '{}') as { password?: string }).password;
      if (given !== PASSWORD) return problem(401, 'invalid_credentials');
      reauthenticated = true;
      return Response.json({ reauthenticatedUntil: new Date().toISOString() });
    }
    if (path === '/api/notes')
      return reauthenticated
        ? Response.json({ saved: body }, { status: 201 })
        : problem(403, 'reauthentication_required');
    return problem(404, 'not_found');
  };
  return { fetchImpl, requests, notes: () => requests.filter((r) => r.path === '/api/notes') };
}

const clients: AuthClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

function clientWith(
  server: ReturnType<typeof fakeServer>,
  prompt?: (attempt: ReauthenticationAttempt) => Promise<string | null | undefined>,
): AuthClient {
  const client = createAuthClient({
    baseUrl: 'http://app.test',
    fetch: server.fetchImpl,
    ...(prompt ? { onReauthenticationRequired: prompt } : {}),
  });
  clients.push(client);
  return client;
}

describe('step-up re-authentication in the client', () => {
  it('asks for the password, renews the window and sends the same request once more', async () => {
    const server = fakeServer();
    const asked: ReauthenticationAttempt[] = [];
    const client = clientWith(server, (attempt) => {
      asked.push(attempt);
      return Promise.resolve(PASSWORD);
    });
    const response = await client.fetch('/api/notes', { method: 'POST', body: 'the note' });
    expect(response.status).toBe(201);
    expect(asked).toEqual([{ attempt: 1, maxAttempts: 3, factorRequired: false, methods: ['password'] }]);
    expect(server.notes().map((r) => r.body)).toEqual(['the note', 'the note']);
  });

  it('asks again after a wrong password, saying so, and returns the 403 when the user gives up', async () => {
    const server = fakeServer();
    const asked: ReauthenticationAttempt[] = [];
    const answers = ['wrong one', null];
    const client = clientWith(server, (attempt) => {
      asked.push(attempt);
      return Promise.resolve(answers.shift());
    });
    const response = await client.fetch('/api/notes', { method: 'POST', body: 'x' });
    expect(response.status).toBe(403);
    expect(asked.map((a) => [a.attempt, a.error?.code])).toEqual([
      [1, undefined],
      [2, 'invalid_credentials'],
    ]);
    expect(server.notes()).toHaveLength(1); // never sent again
  });

  it('stops after three wrong passwords', async () => {
    const server = fakeServer();
    let prompts = 0;
    const client = clientWith(server, () => {
      prompts += 1;
      return Promise.resolve('still wrong');
    });
    expect((await client.fetch('/api/notes', { method: 'POST', body: 'x' })).status).toBe(403);
    expect(prompts).toBe(3);
    expect(server.requests.filter((r) => r.path === '/api/auth/reauthenticate')).toHaveLength(3);
  });

  it('shows a rate limit to the prompt instead of failing silently', async () => {
    const server = fakeServer({ reauthenticateAnswer: () => problem(429, 'rate_limited') });
    const asked: ReauthenticationAttempt[] = [];
    const client = clientWith(server, (attempt) => {
      asked.push(attempt);
      return Promise.resolve(attempt.attempt === 1 ? PASSWORD : null);
    });
    expect((await client.fetch('/api/notes', { method: 'POST', body: 'x' })).status).toBe(403);
    expect(asked[1]?.error?.code).toBe('rate_limited');
  });

  it('requests refused together share one prompt', async () => {
    const server = fakeServer();
    let prompts = 0;
    const client = clientWith(server, async () => {
      prompts += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return PASSWORD;
    });
    const answers = await Promise.all([
      client.fetch('/api/notes', { method: 'POST', body: 'a' }),
      client.fetch('/api/notes', { method: 'POST', body: 'b' }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([201, 201]);
    expect(prompts).toBe(1);
  });

  it('without a prompt, or with a body that cannot be sent twice, the 403 comes back as it was', async () => {
    const server = fakeServer();
    expect((await clientWith(server).fetch('/api/notes', { method: 'POST', body: 'x' })).status).toBe(403);

    let prompts = 0;
    const client = clientWith(server, () => {
      prompts += 1;
      return Promise.resolve(PASSWORD);
    });
    const stream = new ReadableStream({
      start(controller) {
        controller.close();
      },
    });
    const response = await client.fetch('/api/notes', { method: 'POST', body: stream });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'reauthentication_required' });
    expect(prompts).toBe(0);
  });

  it('methods that need a recent password go through the prompt too', async () => {
    const server = fakeServer();
    const client = clientWith(server, () => Promise.resolve(PASSWORD));
    // reauthenticate() itself never prompts: a wrong password is the caller's answer.
    await expect(client.reauthenticate('nope')).rejects.toMatchObject({ status: 401, code: 'invalid_credentials' });
    await client.reauthenticate(PASSWORD);
    expect((await client.fetch('/api/notes', { method: 'POST', body: 'x' })).status).toBe(201);
  });
});
