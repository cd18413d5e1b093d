import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokenVerifier } from '@gatehouse/core';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { NativeClient } from '../../../test-support/token-client.js';

const BILLING = 'https://billing.internal';

let server: TestServer;
let client: NativeClient;
let clientId: string;
let clientSecret: string;

beforeAll(async () => {
  server = await startTestServer();
  client = new NativeClient(server.origin);
  const registered = await server.gatehouse.serviceClients.register({
    name: 'reports',
    audiences: [BILLING],
    scopes: ['invoices:read', 'invoices:write'],
  });
  clientId = registered.client.id;
  clientSecret = registered.clientSecret;
});
afterAll(async () => {
  await server.close();
});

interface ServiceToken {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

describe('service tokens (client credentials)', () => {
  it('issues a short-lived token for an allowed audience that the target service verifies from the JWKS alone', async () => {
    const response = await client.request('POST', '/api/auth/service-token', {
      json: { client_id: clientId, client_secret: clientSecret, audience: BILLING, scope: 'invoices:read' },
    });
    expect(response.status).toBe(200);
    const token = (await response.json()) as ServiceToken;
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'invoices:read' });

    const verify = createAccessTokenVerifier({
      jwksUrl: `${server.origin}/.well-known/jwks.json`,
      issuer: server.origin,
      audience: BILLING,
    });
    const result = await verify(token.access_token);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.claims).toMatchObject({ sub: clientId, client_id: clientId, aud: BILLING });

    const forOtherService = createAccessTokenVerifier({
      jwksUrl: `${server.origin}/.well-known/jwks.json`,
      issuer: server.origin,
      audience: 'https://mail.internal',
    });
    expect(await forOtherService(token.access_token)).toEqual({ ok: false, reason: 'wrong_audience' });
  });

  it('accepts HTTP Basic client authentication', async () => {
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    const response = await client.request('POST', '/api/auth/service-token', {
      json: { audience: BILLING },
      headers: { Authorization: `Basic ${basic}` },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as ServiceToken).scope).toBe('invoices:read invoices:write');
  });

  it('refuses a wrong secret (401) and an audience or scope the client may not have (403), auditing each', async () => {
    const wrong = await client.request('POST', '/api/auth/service-token', {
      json: { client_id: clientId, client_secret: 'x'.repeat(43), audience: BILLING },
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { code: string }).code).toBe('invalid_credentials');

    const audience = await client.request('POST', '/api/auth/service-token', {
      json: { client_id: clientId, client_secret: clientSecret, audience: server.origin },
    });
    expect(audience.status).toBe(403);

    const scope = await client.request('POST', '/api/auth/service-token', {
      json: { client_id: clientId, client_secret: clientSecret, audience: BILLING, scope: 'admin' },
    });
    expect(scope.status).toBe(403);

    const refused = await server.stores.audit.list({ type: 'service_token_refused' });
    expect(refused.map((event) => event.reason).sort()).toEqual(['audience', 'bad_client_credentials', 'scope']);
  });

  it('a revoked client gets nothing', async () => {
    const other = await server.gatehouse.serviceClients.register({ name: 'old', audiences: [BILLING] });
    expect(await server.gatehouse.serviceClients.revoke(other.client.id)).toBe(true);
    const response = await client.request('POST', '/api/auth/service-token', {
      json: { client_id: other.client.id, client_secret: other.clientSecret, audience: BILLING },
    });
    expect(response.status).toBe(401);
  });

  it('a service token does not authenticate as a user on our own API', async () => {
    const selfAudience = await server.gatehouse.serviceClients.register({ name: 'self', audiences: [server.origin] });
    const response = await client.request('POST', '/api/auth/service-token', {
      json: { client_id: selfAudience.client.id, client_secret: selfAudience.clientSecret, audience: server.origin },
    });
    const token = (await response.json()) as ServiceToken;
    expect((await client.whoami(token.access_token)).status).toBe(401);
  });

  it('needs no CSRF token and sets no cookie', async () => {
    const response = await client.request('POST', '/api/auth/service-token', {
      json: { client_id: clientId, client_secret: clientSecret, audience: BILLING },
    });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});
