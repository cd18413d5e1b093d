import { createHmac, createPublicKey } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';
import { NativeClient } from '../../../test-support/token-client.js';

/**
 * RFC 8725's catalogue of JWT attacks, each made by hand and sent over HTTP as a bearer
 * token: every one must be answered 401 and leave a `token_rejected` audit event.
 */

let server: TestServer;
let client: NativeClient;
let good: string;
let claims: JWTPayload;
let header: Record<string, unknown>;

beforeAll(async () => {
  server = await startTestServer();
  client = new NativeClient(server.origin);
  const email = uniqueEmail();
  await new TestBrowser(server.origin).signup(email, GOOD_PASSWORD);
  good = (await client.signIn(email, GOOD_PASSWORD)).access_token;
  const [encodedHeader = '', encodedPayload = ''] = good.split('.');
  header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8')) as Record<string, unknown>;
  claims = JSON.parse(Buffer.from(encodedPayload, 'base64url').toString('utf8')) as JWTPayload;
});
afterAll(async () => {
  await server.close();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs with our own current private key, with whatever header and claims the test wants. */
async function signWithOurKey(payload: JWTPayload, protectedHeader: Record<string, unknown> = {}): Promise<string> {
  const key = await server.gatehouse.signingKeys.signingKey();
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...protectedHeader })
    .sign(key.privateKey);
}

async function attackerKey() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
  return { publicJwk: await exportJWK(publicKey), privateKey };
}

async function expectRefused(token: string, reason: string): Promise<void> {
  const seen = new Set((await server.stores.audit.list({ type: 'token_rejected' })).map((event) => event.id));
  const response = await client.whoami(token);
  expect(response.status).toBe(401);
  expect(((await response.json()) as { code: string }).code).toBe('unauthenticated');
  // Past the first few, repeats of one rejection within a minute are counted, not written one
  // by one (issue 15): write the count now, so each attempt shows as one row.
  await server.gatehouse.audit.flush();
  // The test clock stands still, so "newest" cannot be told by time: diff by id.
  const added = (await server.stores.audit.list({ type: 'token_rejected' })).filter((event) => !seen.has(event.id));
  expect(added.map((event) => event.reason)).toEqual([`bearer:${reason}`]);
}

describe('forged and altered access tokens', () => {
  it('accepts the genuine token (the control)', async () => {
    expect((await client.whoami(good)).status).toBe(200);
  });

  it('alg: none', async () => {
    await expectRefused(`${b64({ ...header, alg: 'none' })}.${b64(claims)}.`, 'alg_not_allowed');
  });

  it('HS256 signed with our public key as the HMAC secret (key confusion), as JWK and as PEM', async () => {
    const jwks = (await (await client.request('GET', '/.well-known/jwks.json')).json()) as { keys: JWK[] };
    const publicJwk = jwks.keys.find((key) => key.kid === header.kid);
    expect(publicJwk).toBeDefined();
    const pem = createPublicKey({ key: publicJwk as JWK & { kty: string }, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    for (const secret of [JSON.stringify(publicJwk), pem]) {
      const signingInput = `${b64({ ...header, alg: 'HS256' })}.${b64(claims)}`;
      const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
      await expectRefused(`${signingInput}.${signature}`, 'alg_not_allowed');
    }
  });

  it('a kid that is not ours, and a kid that is a path', async () => {
    const attacker = await attackerKey();
    for (const kid of ['attacker-key', '../../../../dev/null', 'http://evil.example/key']) {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
        .sign(attacker.privateKey);
      await expectRefused(token, 'unknown_kid');
    }
  });

  it('an embedded jwk, a jku and an x5u header', async () => {
    const attacker = await attackerKey();
    for (const extra of [
      { jwk: attacker.publicJwk },
      { jku: 'http://evil.example/jwks.json' },
      { x5u: 'http://evil.example/cert.pem' },
    ]) {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', kid: header.kid as string, typ: 'at+jwt', ...extra })
        .sign(attacker.privateKey);
      await expectRefused(token, 'forbidden_header');
    }
  });

  it('our kid on a token signed by another key', async () => {
    const attacker = await attackerKey();
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: header.kid as string, typ: 'at+jwt' })
      .sign(attacker.privateKey);
    await expectRefused(token, 'bad_signature');
  });

  it('a tampered payload under the original signature', async () => {
    const [encodedHeader, , signature] = good.split('.');
    const tampered = `${encodedHeader ?? ''}.${b64({ ...claims, sub: 'someone-else' })}.${signature ?? ''}`;
    await expectRefused(tampered, 'bad_signature');
  });

  it('expired', async () => {
    const now = Math.floor(server.now() / 1000);
    await expectRefused(
      await signWithOurKey({ ...claims, iat: now - 1300, nbf: now - 1300, exp: now - 700 }),
      'expired',
    );
  });

  it('not yet valid', async () => {
    const now = Math.floor(server.now() / 1000);
    await expectRefused(await signWithOurKey({ ...claims, nbf: now + 600, exp: now + 1200 }), 'not_yet_valid');
  });

  it('wrong issuer, wrong audience', async () => {
    await expectRefused(await signWithOurKey({ ...claims, iss: 'https://evil.example' }), 'wrong_issuer');
    await expectRefused(await signWithOurKey({ ...claims, aud: 'https://other-service.example' }), 'wrong_audience');
  });

  it('wrong typ: a plain JWT, or an ID token, is not an access token', async () => {
    await expectRefused(await signWithOurKey(claims, { typ: 'JWT' }), 'wrong_type');
    await expectRefused(await signWithOurKey(claims, { typ: 'id_token+jwt' }), 'wrong_type');
  });

  it('a required claim missing', async () => {
    for (const claim of ['exp', 'nbf', 'iss', 'aud', 'sub', 'jti']) {
      const partial = Object.fromEntries(Object.entries(claims).filter(([name]) => name !== claim));
      await expectRefused(await signWithOurKey(partial), 'missing_claim');
    }
  });

  it('an oversized token is refused before it is parsed', async () => {
    await expectRefused(await signWithOurKey({ ...claims, padding: 'x'.repeat(5000) }), 'too_large');
  });

  it('a service token (no sid) does not sign a user in', async () => {
    const serviceClaims = Object.fromEntries(Object.entries(claims).filter(([name]) => name !== 'sid'));
    await expectRefused(await signWithOurKey({ ...serviceClaims, client_id: 'svc_0123' }), 'not_a_user_token');
  });

  it('garbage in the Authorization header', async () => {
    await expectRefused('not.a.jwt', 'malformed');
  });
});

describe('key rotation', () => {
  it('a token signed by a rotated-out key is refused once its verify window has passed', async () => {
    const old = await server.gatehouse.signingKeys.signingKey();
    const before = await signWithOurKey(claims);
    const newKid = await server.gatehouse.rotateSigningKey();
    expect(newKid).not.toBe(old.kid);

    // Still inside the window: tokens the old key signed keep working until they expire.
    expect((await client.whoami(before)).status).toBe(200);

    // Past the window, the key is dropped: even a token it signs now, with a fresh exp, is refused.
    server.advance(26 * 60 * 1000); // 10 min lifetime + 30 s skew + 15 min for other instances to notice
    await server.gatehouse.sweepExpired();
    const jwks = (await (await client.request('GET', '/.well-known/jwks.json')).json()) as { keys: JWK[] };
    expect(jwks.keys.map((key) => key.kid)).toEqual([newKid]);
    const now = Math.floor(server.now() / 1000);
    const late = await new SignJWT({ ...claims, iat: now, nbf: now, exp: now + 600 })
      .setProtectedHeader({ alg: old.alg, kid: old.kid, typ: 'at+jwt' })
      .sign(old.privateKey);
    await expectRefused(late, 'unknown_kid');
  });

  it('publishes the JWKS with cache headers and public members only', async () => {
    const response = await client.request('GET', '/.well-known/jwks.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('max-age=300');
    const jwks = (await response.json()) as { keys: JWK[] };
    for (const key of jwks.keys) {
      expect(key.d).toBeUndefined();
      expect(key.kid).toBeTruthy();
      expect(key.use).toBe('sig');
    }
  });
});
