import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWTHeaderParameters } from 'jose';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secureRandom } from '../crypto.js';
import { openSqliteStores } from '../stores/sql/index.js';
import type { GatehouseStores } from '../stores/types.js';
import { AccessTokens } from './access-tokens.js';
import { createAccessTokenVerifier, JwksUnavailableError, type AccessTokenVerifierOptions } from './jwks-verifier.js';
import { SigningKeys } from './signing-keys.js';
import { scratchDirectories } from '../../../../test-support/scratch.js';

const scratchDirectory = scratchDirectories();

const ISSUER = 'https://gatehouse.test';
const SERVICE = 'feeds-api';

let now = Date.now();
const clock = () => now;

let stores: GatehouseStores;
let keys: SigningKeys;
let tokens: AccessTokens;
let server: Server;
let jwksUrl: string;
let jwksFetches: number;
let jwksStatus: number;

beforeEach(async () => {
  now = Date.now();
  stores = await openSqliteStores(join(scratchDirectory(), 'db.sqlite'));
  keys = new SigningKeys({
    store: stores.signingKeys,
    secret: 'jwks-verifier-test-secret-0123456789abcdef',
    algorithm: 'EdDSA',
    rotationIntervalMs: 30 * 24 * 3_600_000,
    verifyWindowMs: 15 * 60_000,
    clock,
    log: pino({ level: 'silent' }),
  });
  tokens = new AccessTokens({ keys, issuer: ISSUER, clockSkewSeconds: 30, clock, random: secureRandom });
  jwksFetches = 0;
  jwksStatus = 200;
  // Gatehouse's /.well-known/jwks.json, as another service sees it: over real HTTP.
  server = createServer((request, response) => {
    jwksFetches += 1;
    if (request.url !== '/.well-known/jwks.json' || jwksStatus !== 200) {
      response.writeHead(jwksStatus === 200 ? 404 : jwksStatus).end();
      return;
    }
    keys.jwks().then(
      (jwks) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/.well-known/jwks.json`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await stores.close();
});

function verifier(options: Partial<AccessTokenVerifierOptions> = {}) {
  return createAccessTokenVerifier({ jwksUrl, issuer: ISSUER, audience: SERVICE, clock, ...options });
}

async function issue(audience = SERVICE): Promise<string> {
  return (await tokens.issue({ subject: 'svc-client', audience, clientId: 'svc-client', ttlMs: 300_000 })).token;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('createAccessTokenVerifier', () => {
  it('verifies a Gatehouse token with keys from the JWKS, fetching it once for many requests', async () => {
    const verify = verifier();
    const token = await issue();

    const result = await verify(token);
    expect(result).toMatchObject({ ok: true, claims: { iss: ISSUER, aud: SERVICE, sub: 'svc-client' } });
    expect(await verify(await issue())).toMatchObject({ ok: true });
    expect(jwksFetches).toBe(1);
  });

  it('refetches the JWKS when a token names a kid it has not seen (after rotate())', async () => {
    const verify = verifier({ refetchCooldownMs: 0 });
    expect(await verify(await issue())).toMatchObject({ ok: true });

    await keys.rotate();
    const rotated = await issue();
    expect(await verify(rotated)).toMatchObject({ ok: true });
    expect(jwksFetches).toBe(2);
  });

  it('does not let made-up kids hammer Gatehouse: one fetch per cooldown', async () => {
    const verify = verifier();
    expect(await verify(await issue())).toMatchObject({ ok: true });
    const attacker = await generateKeyPair('EdDSA');

    for (let i = 0; i < 5; i += 1) {
      const token = await new SignJWT({ client_id: 'x' })
        .setProtectedHeader({ alg: 'EdDSA', kid: `made-up-${String(i)}`, typ: 'at+jwt' })
        .sign(attacker.privateKey);
      expect(await verify(token)).toEqual({ ok: false, reason: 'unknown_kid' });
    }
    expect(jwksFetches).toBe(1);
  });

  it('refuses a token minted for another service', async () => {
    expect(await verifier()(await issue('billing-api'))).toEqual({ ok: false, reason: 'wrong_audience' });
  });

  it('refuses an expired token by the injected clock', async () => {
    const token = await issue();
    now += (300 + 31) * 1000;
    expect(await verifier()(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses forged tokens with the same reasons as Gatehouse itself', async () => {
    const verify = verifier();
    const good = await issue();
    const { kid } = await keys.signingKey();
    const publicJwk = (await keys.jwks()).keys[0];
    const attacker = await generateKeyPair('EdDSA');
    const attackerJwk = await exportJWK(attacker.publicKey);
    const attackerEc = await generateKeyPair('ES256');
    const claims = { iss: ISSUER, aud: SERVICE, sub: 'admin', jti: 'j', client_id: 'svc' };
    const signByAttacker = (header: JWTHeaderParameters, key = attacker.privateKey) =>
      new SignJWT(claims)
        .setProtectedHeader(header)
        .setIssuedAt(Math.floor(now / 1000))
        .setNotBefore(Math.floor(now / 1000))
        .setExpirationTime(Math.floor(now / 1000) + 300)
        .sign(key);
    const hs256Input = `${b64url({ alg: 'HS256', kid, typ: 'at+jwt' })}.${b64url(claims)}`;
    const [header, , signature] = good.split('.');

    const attacks: [string, string][] = [
      [`${b64url({ alg: 'none', kid, typ: 'at+jwt' })}.${b64url(claims)}.`, 'alg_not_allowed'],
      [
        `${hs256Input}.${createHmac('sha256', JSON.stringify(publicJwk)).update(hs256Input).digest('base64url')}`,
        'alg_not_allowed',
      ],
      [await signByAttacker({ alg: 'ES256', kid, typ: 'at+jwt' }, attackerEc.privateKey), 'alg_not_allowed'],
      [await signByAttacker({ alg: 'EdDSA', kid, typ: 'at+jwt' }), 'bad_signature'],
      [await signByAttacker({ alg: 'EdDSA', kid, typ: 'at+jwt', jwk: attackerJwk }), 'forbidden_header'],
      [
        await signByAttacker({ alg: 'EdDSA', kid, typ: 'at+jwt', jku: 'https://attacker.example/j' }),
        'forbidden_header',
      ],
      [
        await signByAttacker({ alg: 'EdDSA', kid: await calculateJwkThumbprint(attackerJwk), typ: 'at+jwt' }),
        'unknown_kid',
      ],
      [await signByAttacker({ alg: 'EdDSA', kid: '../../dev/null', typ: 'at+jwt' }), 'unknown_kid'],
      [
        `${header ?? ''}.${b64url({ ...claims, exp: 9_999_999_999, iat: 0, nbf: 0 })}.${signature ?? ''}`,
        'bad_signature',
      ],
      ['x'.repeat(5000), 'too_large'],
    ];
    for (const [token, reason] of attacks) {
      expect({ token: token.slice(0, 60), result: await verify(token) }).toEqual({
        token: token.slice(0, 60),
        result: { ok: false, reason },
      });
    }
    expect(await verify(good)).toMatchObject({ ok: true });
  });

  it('throws JwksUnavailableError (fail closed, not a 401) when the JWKS cannot be fetched', async () => {
    jwksStatus = 503;
    await expect(verifier()(await issue())).rejects.toBeInstanceOf(JwksUnavailableError);
  });

  it('refuses a JWKS URL over plain http to anything but loopback', () => {
    expect(() => verifier({ jwksUrl: 'http://gatehouse.example/.well-known/jwks.json' })).toThrow(TypeError);
    expect(() => verifier({ jwksUrl: 'https://gatehouse.example/.well-known/jwks.json' })).not.toThrow();
  });
});
