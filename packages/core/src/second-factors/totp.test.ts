import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Secret, TOTP } from 'otpauth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStores } from '../stores/sql/index.js';
import type { GatehouseStores } from '../stores/types.js';
import { TotpFactor } from './totp.js';
import { scratchDirectories } from '../../../../test-support/scratch.js';

const scratchDirectory = scratchDirectories();
const SECRET = 'test-secret-of-at-least-thirty-two-characters';
const STEP_MS = 30_000;

let file: string;
let stores: GatehouseStores;
let now: number;
const clock = () => now;

/** The code an authenticator app shows for `secret` at `at`. */
function codeAt(secret: string, at: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at });
}

beforeEach(async () => {
  file = join(scratchDirectory(), 'totp.sqlite');
  stores = await openSqliteStores(file);
  now = Date.UTC(2026, 11, 7, 12, 0, 10);
  await stores.users.create({
    id: 'user-1',
    email: 'ada@example.test',
    name: null,
    passwordHash: 'x',
    createdAt: now,
    updatedAt: now,
    emailVerifiedAt: now,
  });
});

afterEach(async () => {
  await stores.close();
});

function factor(secret = SECRET): TotpFactor {
  return new TotpFactor(stores.totp, secret, clock, 'Gatehouse Reader');
}

async function enabled(totp: TotpFactor): Promise<string> {
  const setup = await totp.begin('user-1', 'ada@example.test');
  if (setup === undefined) throw new Error('no setup');
  expect(await totp.enable('user-1', codeAt(setup.secret, now))).toBe('enabled');
  now += STEP_MS; // the enabling code is used up; the next one is fresh
  return setup.secret;
}

describe('TOTP', () => {
  it('offers an otpauth URI with the issuer, the account and the standard parameters', async () => {
    const setup = await factor().begin('user-1', 'ada@example.test');
    const uri = new URL(setup?.uri ?? '');
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Gatehouse Reader:ada@example.test');
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({
      secret: setup?.secret,
      issuer: 'Gatehouse Reader',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
    expect(setup?.secret).toMatch(/^[A-Z2-7]{32}$/);
  });

  it('stays off after a wrong code and turns on with the right one', async () => {
    const totp = factor();
    const setup = await totp.begin('user-1', 'ada@example.test');
    expect(await totp.enable('user-1', '000000')).toBe('wrong');
    expect(await totp.isEnabled('user-1')).toBe(false);
    expect(await totp.enable('user-1', codeAt(setup?.secret ?? '', now))).toBe('enabled');
    expect(await totp.isEnabled('user-1')).toBe(true);
    expect(await totp.begin('user-1', 'ada@example.test')).toBeUndefined();
  });

  it('accepts a code once: the same code replayed in its window is refused, and so is an older one', async () => {
    const totp = factor();
    const secret = await enabled(totp);
    const code = codeAt(secret, now);
    expect(await totp.verify('user-1', code)).toBe(true);
    expect(await totp.verify('user-1', code)).toBe(false);
    expect(await totp.verify('user-1', codeAt(secret, now - STEP_MS))).toBe(false);
    now += STEP_MS;
    expect(await totp.verify('user-1', codeAt(secret, now))).toBe(true);
  });

  it('allows one step of clock skew either way, not two', async () => {
    const totp = factor();
    const secret = await enabled(totp);
    now += 10 * STEP_MS;
    expect(await totp.verify('user-1', codeAt(secret, now - 2 * STEP_MS))).toBe(false);
    expect(await totp.verify('user-1', codeAt(secret, now + 2 * STEP_MS))).toBe(false);
    expect(await totp.verify('user-1', codeAt(secret, now - STEP_MS))).toBe(true);
    expect(await totp.verify('user-1', codeAt(secret, now + STEP_MS))).toBe(true);
  });

  it('keeps the secret encrypted at rest, and useless under another GATEHOUSE_SECRET', async () => {
    const totp = factor();
    const secret = await enabled(totp);
    const raw = new SQLite(file, { readonly: true });
    const row = raw.prepare('select sealed_secret from totp_factors').get() as { sealed_secret: string };
    raw.close();
    expect(row.sealed_secret).not.toContain(secret);
    expect(row.sealed_secret.split('.')).toHaveLength(5); // a compact JWE
    await expect(
      factor('another-secret-of-at-least-thirty-two-chars').verify('user-1', codeAt(secret, now)),
    ).rejects.toThrow();
  });

  it('refuses malformed codes without looking further', async () => {
    const totp = factor();
    await enabled(totp);
    for (const code of ['', '12345', '1234567', 'abcdef', '12 34 5x']) {
      expect(await totp.verify('user-1', code)).toBe(false);
    }
  });
});
