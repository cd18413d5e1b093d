import { hkdfSync } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { compactDecrypt, decodeProtectedHeader, SignJWT } from 'jose';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { secureRandom } from '../crypto.js';
import { openSqliteStores } from '../stores/sql/index.js';
import type { GatehouseStores, SigningAlgorithm } from '../stores/types.js';
import { AccessTokens } from './access-tokens.js';
import { SigningKeys } from './signing-keys.js';
import { scratchDirectories } from '../../../../test-support/scratch.js';

const scratchDirectory = scratchDirectories();

const SECRET = 'signing-key-test-secret-0123456789abcdef';
const OTHER_SECRET = 'a-different-secret-after-a-bad-deploy-0123';
const ISSUER = 'https://gatehouse.test';
const AUDIENCE = 'https://gatehouse.test';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const VERIFY_WINDOW_MS = 15 * MINUTE;
const ROTATION_INTERVAL_MS = 30 * DAY;

let now = Date.now();
const clock = () => now;
const opened: GatehouseStores[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((stores) => stores.close()));
});

function databaseFile(): string {
  return join(scratchDirectory(), 'db.sqlite');
}

async function openStores(file = databaseFile()): Promise<GatehouseStores> {
  const stores = await openSqliteStores(file);
  opened.push(stores);
  return stores;
}

interface LogLine {
  level: number;
  kid?: string;
  msg: string;
}

function capturingLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
  return { log, lines };
}

function signingKeys(
  stores: GatehouseStores,
  options: { secret?: string; algorithm?: SigningAlgorithm; log?: Logger } = {},
): SigningKeys {
  return new SigningKeys({
    store: stores.signingKeys,
    secret: options.secret ?? SECRET,
    algorithm: options.algorithm ?? 'EdDSA',
    rotationIntervalMs: ROTATION_INTERVAL_MS,
    verifyWindowMs: VERIFY_WINDOW_MS,
    clock,
    log: options.log ?? capturingLogger().log,
  });
}

function accessTokens(keys: SigningKeys): AccessTokens {
  return new AccessTokens({ keys, issuer: ISSUER, clockSkewSeconds: 30, clock, random: secureRandom });
}

async function issue(tokens: AccessTokens): Promise<string> {
  const issued = await tokens.issue({ subject: 'user-1', audience: AUDIENCE, clientId: 'web', ttlMs: 10 * MINUTE });
  return issued.token;
}

function kidOf(token: string): string | undefined {
  return decodeProtectedHeader(token).kid;
}

describe('SigningKeys', () => {
  it('keeps its keys across a restart: a new process on the same database signs with the same kid', async () => {
    const file = databaseFile();
    const before = await openStores(file);
    const firstKid = (await signingKeys(before).signingKey()).kid;
    const token = await issue(accessTokens(signingKeys(before)));
    await before.close();
    opened.splice(opened.indexOf(before), 1);

    const after = await openStores(file);
    const restarted = signingKeys(after);
    expect((await restarted.signingKey()).kid).toBe(firstKid);
    expect(await after.signingKeys.list(now)).toHaveLength(1);
    expect(kidOf(token)).toBe(firstKid);
    expect((await accessTokens(restarted).verify(token, AUDIENCE)).ok).toBe(true);
  });

  it('stores the private key only as a JWE under a key derived from the secret: its `d` is nowhere in the row', async () => {
    const file = databaseFile();
    const stores = await openStores(file);
    const { kid } = await signingKeys(stores).signingKey();

    const raw = new Database(file, { readonly: true });
    const rows = raw.prepare('SELECT * FROM signing_keys').all() as Record<string, string | number | null>[];
    raw.close();
    expect(rows).toHaveLength(1);
    const row = rows[0] ?? {};
    const jwe = String(row.private_jwe);
    expect(decodeProtectedHeader(jwe)).toEqual({ alg: 'dir', enc: 'A256GCM', cty: 'jwk+json', kid });
    expect(Object.keys(JSON.parse(String(row.public_jwk)) as object).sort()).toEqual(['crv', 'kty', 'x']);

    // The storage format, pinned: HKDF-SHA256 with this salt and info. Changing it orphans every key.
    const key = new Uint8Array(
      hkdfSync('sha256', SECRET, 'gatehouse/signing-keys', 'gatehouse signing-key encryption v1', 32),
    );
    const privateJwk = JSON.parse(new TextDecoder().decode((await compactDecrypt(jwe, key)).plaintext)) as {
      d: string;
    };
    expect(privateJwk.d).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(rows)).not.toContain(privateJwk.d);
  });

  it('after GATEHOUSE_SECRET changes, makes a new signing key and still verifies the old tokens', async () => {
    const stores = await openStores();
    const oldKeys = signingKeys(stores);
    const oldKid = (await oldKeys.signingKey()).kid;
    const oldToken = await issue(accessTokens(oldKeys));

    const { log, lines } = capturingLogger();
    const newKeys = signingKeys(stores, { secret: OTHER_SECRET, log });
    const newKid = (await newKeys.signingKey()).kid;

    expect(newKid).not.toBe(oldKid);
    expect(lines).toContainEqual(expect.objectContaining({ level: 50, kid: oldKid }));
    expect(await accessTokens(newKeys).verify(oldToken, AUDIENCE)).toMatchObject({ ok: true });
    const oldRecord = (await stores.signingKeys.list(now)).find((record) => record.kid === oldKid);
    expect(oldRecord).toMatchObject({ retiredAt: now, verifyUntil: now + VERIFY_WINDOW_MS });
    expect((await newKeys.jwks()).keys.map((key) => key.kid)).toEqual([newKid, oldKid]);
  });

  it('rotates: the new kid signs, the old verifies until verifyUntil, then maintain() drops it and its tokens', async () => {
    const stores = await openStores();
    const keys = signingKeys(stores);
    const tokens = accessTokens(keys);
    const oldKey = await keys.signingKey();
    const oldToken = await issue(tokens);
    // What a thief holding the old private key would mint: valid for a day, far past the window.
    const forged = await new SignJWT({ client_id: 'web' })
      .setProtectedHeader({ alg: oldKey.alg, kid: oldKey.kid, typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('user-1')
      .setJti('forged-jti')
      .setIssuedAt(Math.floor(now / 1000))
      .setNotBefore(Math.floor(now / 1000))
      .setExpirationTime(Math.floor((now + DAY) / 1000))
      .sign(oldKey.privateKey);

    const newKid = await keys.rotate();
    expect(newKid).not.toBe(oldKey.kid);
    expect((await keys.signingKey()).kid).toBe(newKid);
    expect(kidOf(await issue(tokens))).toBe(newKid);
    expect(await tokens.verify(oldToken, AUDIENCE)).toMatchObject({ ok: true });
    expect(await tokens.verify(forged, AUDIENCE)).toMatchObject({ ok: true });
    expect((await keys.jwks()).keys.map((key) => key.kid)).toEqual([newKid, oldKey.kid]);

    now += VERIFY_WINDOW_MS - 1;
    expect(await keys.maintain()).toEqual({ rotated: false, deleted: 0 });
    expect(await tokens.verify(forged, AUDIENCE)).toMatchObject({ ok: true });

    now += 1;
    // At verifyUntil the key is dead even before maintain() runs; the forged token was
    // verified (and cached) before, and the cache must not outlive the key.
    expect(await tokens.verify(forged, AUDIENCE)).toEqual({ ok: false, reason: 'unknown_kid' });
    expect((await keys.jwks()).keys.map((key) => key.kid)).toEqual([newKid]);

    expect(await keys.maintain()).toEqual({ rotated: false, deleted: 1 });
    expect((await stores.signingKeys.list(0)).map((record) => record.kid)).toEqual([newKid]);
    expect(await accessTokens(keys).verify(forged, AUDIENCE)).toEqual({ ok: false, reason: 'unknown_kid' });
  });

  it('rotates on schedule: maintain() does nothing before the interval and rotates at it', async () => {
    const stores = await openStores();
    const keys = signingKeys(stores);
    const firstKid = (await keys.signingKey()).kid;

    now += ROTATION_INTERVAL_MS - 1;
    expect(await keys.maintain()).toEqual({ rotated: false, deleted: 0 });
    expect((await keys.signingKey()).kid).toBe(firstKid);

    now += 1;
    expect(await keys.maintain()).toEqual({ rotated: true, deleted: 0 });
    const secondKid = (await keys.signingKey()).kid;
    expect(secondKid).not.toBe(firstKid);
    const records = await stores.signingKeys.list(now);
    expect(records.map((record) => [record.kid, record.retiredAt, record.verifyUntil])).toEqual([
      [secondKid, null, null],
      [firstKid, now, now + VERIFY_WINDOW_MS],
    ]);
  });

  it('signs and verifies with ES256 (P-256) when configured', async () => {
    const stores = await openStores();
    const keys = signingKeys(stores, { algorithm: 'ES256' });
    const token = await issue(accessTokens(keys));

    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(await accessTokens(keys).verify(token, AUDIENCE)).toMatchObject({ ok: true });
    expect((await keys.jwks()).keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
  });

  it.each(['EdDSA', 'ES256'] as const)('publishes only public members in jwks() (%s)', async (algorithm) => {
    const stores = await openStores();
    const keys = signingKeys(stores, { algorithm });
    await keys.rotate();

    const { keys: published } = await keys.jwks();
    expect(published).toHaveLength(2);
    const expectedMembers =
      algorithm === 'ES256' ? ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'] : ['alg', 'crv', 'kid', 'kty', 'use', 'x'];
    for (const jwk of published) {
      expect(Object.keys(jwk).sort()).toEqual(expectedMembers);
      expect(jwk).toMatchObject({ alg: algorithm, use: 'sig' });
    }
  });

  it('never looks up a kid that is a path or a URL, and reloads for an unknown kid at most every 5 s', async () => {
    const stores = await openStores();
    const keys = signingKeys(stores);
    await keys.ready();
    const list = vi.spyOn(stores.signingKeys, 'list');

    for (const kid of ['../../dev/null', 'https://attacker.example/jwks.json', '', 'a'.repeat(129), '__proto__ ']) {
      expect(await keys.verificationKey(kid)).toBeUndefined();
    }
    expect(list).not.toHaveBeenCalled();

    expect(await keys.verificationKey('unknown-kid-1')).toBeUndefined();
    expect(await keys.verificationKey('unknown-kid-2')).toBeUndefined();
    expect(list).toHaveBeenCalledTimes(1);
    now += 5_000;
    expect(await keys.verificationKey('unknown-kid-3')).toBeUndefined();
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('verifies a kid another instance rotated in, after reloading the ring from the store', async () => {
    const stores = await openStores();
    const here = signingKeys(stores);
    const elsewhere = signingKeys(stores);
    await here.ready();

    const newKid = await elsewhere.rotate();
    const token = await issue(accessTokens(elsewhere));

    expect(kidOf(token)).toBe(newKid);
    expect(await accessTokens(here).verify(token, AUDIENCE)).toMatchObject({ ok: true });
  });

  it('converges on one signing key when two instances rotate at the same moment', async () => {
    const stores = await openStores();
    const first = signingKeys(stores);
    const second = signingKeys(stores);
    await Promise.all([first.ready(), second.ready()]);

    await Promise.all([first.rotate(), second.rotate()]);
    await first.maintain();
    await second.maintain();

    const kid = (await first.signingKey()).kid;
    expect((await second.signingKey()).kid).toBe(kid);
    const active = (await stores.signingKeys.list(now)).filter((record) => record.retiredAt === null);
    expect(active.map((record) => record.kid)).toEqual([kid]);
  });

  it('refuses bad configuration at construction', async () => {
    const stores = await openStores();
    expect(() => signingKeys(stores, { secret: '' })).toThrow(TypeError);
    expect(() => signingKeys(stores, { algorithm: 'HS256' as SigningAlgorithm })).toThrow(/algorithm/);
  });
});
