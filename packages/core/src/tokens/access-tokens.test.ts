import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import { join } from 'node:path';
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
} from 'jose';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { secureRandom } from '../crypto.js';
import { openSqliteStores } from '../stores/sql/index.js';
import type { GatehouseStores } from '../stores/types.js';
import { AccessTokens, type AccessTokenVerification } from './access-tokens.js';
import { REQUIRED_CLAIMS } from './jwt-checks.js';
import { SigningKeys, type ActiveSigningKey } from './signing-keys.js';
import { scratchDirectories } from '../../../../test-support/scratch.js';

const scratchDirectory = scratchDirectories();

const ISSUER = 'https://gatehouse.test';
const AUDIENCE = 'https://gatehouse.test';
const SKEW_SECONDS = 30;

let now = Date.now();
const clock = () => now;
const seconds = () => Math.floor(now / 1000);

let stores: GatehouseStores;
let keys: SigningKeys;
let tokens: AccessTokens;
let ours: ActiveSigningKey;

beforeEach(async () => {
  now = Date.now();
  stores = await openSqliteStores(join(scratchDirectory(), 'db.sqlite'));
  keys = new SigningKeys({
    store: stores.signingKeys,
    secret: 'access-token-test-secret-0123456789abcdef',
    algorithm: 'EdDSA',
    rotationIntervalMs: 30 * 24 * 3_600_000,
    verifyWindowMs: 15 * 60_000,
    clock,
    log: pino({ level: 'silent' }),
  });
  tokens = new AccessTokens({ keys, issuer: ISSUER, clockSkewSeconds: SKEW_SECONDS, clock, random: secureRandom });
  ours = await keys.signingKey();
});

afterEach(async () => {
  await stores.close();
});

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function goodClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-1',
    jti: 'jti-1',
    iat: seconds(),
    nbf: seconds(),
    exp: seconds() + 600,
    client_id: 'web',
    ...overrides,
  };
}

function sign(key: CryptoKey, header: JWTHeaderParameters, claims: JWTPayload = goodClaims()): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header).sign(key);
}

/** A token signed by our own key, with whatever header and claims the test wants. */
function signedByUs(header: Partial<JWTHeaderParameters> = {}, claims?: JWTPayload): Promise<string> {
  return sign(ours.privateKey, { alg: ours.alg, kid: ours.kid, typ: 'at+jwt', ...header }, claims);
}

async function attackerKey(
  alg: 'EdDSA' | 'ES256' = 'EdDSA',
): Promise<{ privateKey: CryptoKey; jwk: JWK; kid: string }> {
  const pair = await generateKeyPair(alg);
  const jwk = await exportJWK(pair.publicKey);
  return { privateKey: pair.privateKey, jwk, kid: await calculateJwkThumbprint(jwk) };
}

function hs256(header: object, claims: object, secret: string): string {
  const input = `${b64url(header)}.${b64url(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

function rejected(reason: string): AccessTokenVerification {
  return { ok: false, reason } as AccessTokenVerification;
}

describe('AccessTokens.issue', () => {
  it('signs an RFC 9068 token with our kid and every claim; verify hands every claim back', async () => {
    const issued = await tokens.issue({
      subject: 'user-1',
      sid: 'family-1',
      audience: AUDIENCE,
      clientId: 'web',
      scope: 'feeds:read',
      ttlMs: 600_000,
    });

    expect(decodeProtectedHeader(issued.token)).toEqual({ alg: 'EdDSA', kid: ours.kid, typ: 'at+jwt' });
    expect(issued.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(issued.expiresAt).toBe((seconds() + 600) * 1000);
    expect(await tokens.verify(issued.token, AUDIENCE)).toEqual({
      ok: true,
      claims: {
        iss: ISSUER,
        aud: AUDIENCE,
        sub: 'user-1',
        sid: 'family-1',
        jti: issued.jti,
        iat: seconds(),
        nbf: seconds(),
        exp: seconds() + 600,
        client_id: 'web',
        scope: 'feeds:read',
      },
    });
  });

  it('leaves sid and scope out when not given, and gives every token its own jti', async () => {
    const input = { subject: 'service-1', audience: 'feeds-api', clientId: 'svc', ttlMs: 60_000 };
    const first = await tokens.issue(input);
    const second = await tokens.issue(input);

    expect(first.jti).not.toBe(second.jti);
    const verified = await tokens.verify(first.token, 'feeds-api');
    expect(verified.ok && Object.keys(verified.claims).sort()).toEqual(
      ['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'nbf', 'sub'].sort(),
    );
  });
});

describe('AccessTokens.verify refuses forged and stale tokens', () => {
  it('rejects alg "none" (unsigned), even with our kid', async () => {
    const token = `${b64url({ alg: 'none', kid: ours.kid, typ: 'at+jwt' })}.${b64url(goodClaims())}.`;
    expect(await tokens.verify(token, AUDIENCE)).toEqual(rejected('alg_not_allowed'));
  });

  it('rejects HS256 signed with our public key as the HMAC secret (key confusion), as JWK JSON and as PEM', async () => {
    const publicJwk = (await keys.jwks()).keys[0];
    const pem = createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const header = { alg: 'HS256', kid: ours.kid, typ: 'at+jwt' };

    for (const secret of [JSON.stringify(publicJwk), pem]) {
      expect(await tokens.verify(hs256(header, goodClaims(), secret), AUDIENCE)).toEqual(rejected('alg_not_allowed'));
    }
  });

  it('rejects an allowed alg that is not the alg of the key the kid names (ES256 against our EdDSA key)', async () => {
    const attacker = await attackerKey('ES256');
    const token = await sign(attacker.privateKey, { alg: 'ES256', kid: ours.kid, typ: 'at+jwt' });
    expect(await tokens.verify(token, AUDIENCE)).toEqual(rejected('alg_not_allowed'));
  });

  it('rejects a kid that is not ours, and a token with no kid', async () => {
    const attacker = await attackerKey();
    const foreign = await sign(attacker.privateKey, { alg: 'EdDSA', kid: attacker.kid, typ: 'at+jwt' });
    const noKid = await sign(ours.privateKey, { alg: 'EdDSA', typ: 'at+jwt' });

    expect(await tokens.verify(foreign, AUDIENCE)).toEqual(rejected('unknown_kid'));
    expect(await tokens.verify(noKid, AUDIENCE)).toEqual(rejected('unknown_kid'));
  });

  it('rejects a kid that is a path or a URL without ever asking the store about it', async () => {
    const list = vi.spyOn(stores.signingKeys, 'list');
    for (const kid of ['../../dev/null', 'https://attacker.example/key.pem', "x' OR '1'='1"]) {
      const token = await signedByUs({ kid });
      expect(await tokens.verify(token, AUDIENCE)).toEqual(rejected('unknown_kid'));
    }
    expect(list).not.toHaveBeenCalled();
  });

  it('rejects an embedded jwk header, even when the kid is ours', async () => {
    const attacker = await attackerKey();
    for (const kid of [attacker.kid, ours.kid]) {
      const token = await sign(attacker.privateKey, { alg: 'EdDSA', kid, typ: 'at+jwt', jwk: attacker.jwk });
      expect(await tokens.verify(token, AUDIENCE)).toEqual(rejected('forbidden_header'));
    }
  });

  it.each([
    ['jku', 'https://attacker.example/jwks.json'],
    ['x5u', 'https://attacker.example/cert.pem'],
    ['x5c', ['MIIB']],
  ])('rejects a %s header pointing at the attacker’s key', async (name, value) => {
    const attacker = await attackerKey();
    const token = await sign(attacker.privateKey, { alg: 'EdDSA', kid: ours.kid, typ: 'at+jwt', [name]: value });
    expect(await tokens.verify(token, AUDIENCE)).toEqual(rejected('forbidden_header'));
  });

  it('rejects a crit header', async () => {
    const token = `${b64url({ alg: 'EdDSA', kid: ours.kid, typ: 'at+jwt', crit: ['exp'] })}.${b64url(goodClaims())}.sig`;
    expect(await tokens.verify(token, AUDIENCE)).toEqual(rejected('forbidden_header'));
  });

  it('rejects a tampered payload (sub changed, signature kept)', async () => {
    const [header, , signature] = (await signedByUs()).split('.');
    const tampered = `${header ?? ''}.${b64url(goodClaims({ sub: 'admin' }))}.${signature ?? ''}`;
    expect(await tokens.verify(tampered, AUDIENCE)).toEqual(rejected('bad_signature'));
  });

  it('rejects a token signed by a stranger that claims our kid', async () => {
    const attacker = await attackerKey();
    const token = await sign(attacker.privateKey, { alg: 'EdDSA', kid: ours.kid, typ: 'at+jwt' });
    expect(await tokens.verify(token, AUDIENCE)).toEqual(rejected('bad_signature'));
  });

  it('rejects an expired token past the clock skew, whether verified fresh or from the cache', async () => {
    const { token } = await tokens.issue({ subject: 'user-1', audience: AUDIENCE, clientId: 'web', ttlMs: 60_000 });
    const fresh = (await tokens.issue({ subject: 'user-1', audience: AUDIENCE, clientId: 'web', ttlMs: 60_000 })).token;

    now += (60 + SKEW_SECONDS - 1) * 1000;
    expect(await tokens.verify(token, AUDIENCE)).toMatchObject({ ok: true });
    now += 1000;
    expect(await tokens.verify(token, AUDIENCE)).toEqual(rejected('expired'));
    expect(await tokens.verify(fresh, AUDIENCE)).toEqual(rejected('expired'));
  });

  it('rejects a token not yet valid (nbf beyond the skew), and accepts one within it', async () => {
    const early = await signedByUs({}, goodClaims({ nbf: seconds() + SKEW_SECONDS + 60 }));
    const slightlyEarly = await signedByUs({}, goodClaims({ nbf: seconds() + SKEW_SECONDS - 5 }));

    expect(await tokens.verify(early, AUDIENCE)).toEqual(rejected('not_yet_valid'));
    expect(await tokens.verify(slightlyEarly, AUDIENCE)).toMatchObject({ ok: true });
  });

  it('rejects the wrong issuer', async () => {
    const token = await signedByUs({}, goodClaims({ iss: 'https://attacker.example' }));
    expect(await tokens.verify(token, AUDIENCE)).toEqual(rejected('wrong_issuer'));
  });

  it('rejects a token for another audience, also when it sits in the cache', async () => {
    const { token } = await tokens.issue({
      subject: 'user-1',
      audience: 'billing-api',
      clientId: 'svc',
      ttlMs: 60_000,
    });
    expect(await tokens.verify(token, AUDIENCE)).toEqual(rejected('wrong_audience'));
    expect(await tokens.verify(token, 'billing-api')).toMatchObject({ ok: true });
    expect(await tokens.verify(token, AUDIENCE)).toEqual(rejected('wrong_audience'));
  });

  it('rejects the wrong typ: "JWT" (an ID token or any other JWT) and none at all', async () => {
    expect(await tokens.verify(await signedByUs({ typ: 'JWT' }), AUDIENCE)).toEqual(rejected('wrong_type'));
    const untyped = await sign(ours.privateKey, { alg: ours.alg, kid: ours.kid });
    expect(await tokens.verify(untyped, AUDIENCE)).toEqual(rejected('wrong_type'));
  });

  it.each(REQUIRED_CLAIMS)('rejects a token missing the %s claim', async (claim) => {
    const claims = Object.fromEntries(Object.entries(goodClaims()).filter(([name]) => name !== claim));
    expect(await tokens.verify(await signedByUs({}, claims), AUDIENCE)).toEqual(rejected('missing_claim'));
  });

  it.each([
    ['sub', 42],
    ['jti', ''],
    ['client_id', { id: 'web' }],
    ['exp', String(Math.floor(Date.now() / 1000) + 600)],
    ['iat', null],
    ['aud', [AUDIENCE]],
    ['sid', 7],
  ])('rejects a %s claim of the wrong JSON type', async (claim, value) => {
    const token = await signedByUs({}, goodClaims({ [claim]: value }));
    expect(await tokens.verify(token, AUDIENCE)).toEqual(rejected('missing_claim'));
  });

  it('rejects a 5000-character token before parsing it', async () => {
    const good = await signedByUs();
    const padded = `${good}${'A'.repeat(5000 - good.length)}`;
    expect(padded).toHaveLength(5000);
    expect(await tokens.verify(padded, AUDIENCE)).toEqual(rejected('too_large'));
  });

  it.each(['', 'not-a-jwt', 'a.b.c', '..', `${b64url([1])}.${b64url({})}.x`])(
    'answers malformed input %j with a reason, never a throw',
    async (token) => {
      expect(await tokens.verify(token, AUDIENCE)).toEqual(rejected('malformed'));
    },
  );
});

describe('AccessTokens construction', () => {
  it('refuses a missing issuer or a negative skew', () => {
    const base = { keys, issuer: ISSUER, clockSkewSeconds: 30, clock, random: secureRandom };
    expect(() => new AccessTokens({ ...base, issuer: '' })).toThrow(TypeError);
    expect(() => new AccessTokens({ ...base, clockSkewSeconds: -1 })).toThrow(TypeError);
  });
});
