import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStores, testBackendName, type TestStores } from '../../../../test-support/test-stores.js';
import {
  EmailTakenError,
  type GatehouseStores,
  type OneTimeTokenRecord,
  type SessionRecord,
  type UserRecord,
} from './types.js';

// One contract, every backend: run with GATEHOUSE_TEST_BACKEND=sqlite|postgres|postgres+redis.
// Times are real epoch milliseconds (13 digits), which PostgreSQL keeps in int8.
const NOW = 1_800_000_000_123;
const MINUTE = 60_000;

let opened: TestStores;
let stores: GatehouseStores;

beforeEach(async () => {
  opened = await openTestStores();
  stores = opened.stores;
  await stores.users.create(user('user-1'));
  await stores.users.create(user('user-2'));
});

afterEach(async () => {
  await opened.close();
});

function user(id: string): UserRecord {
  return {
    id,
    email: `${id}@example.test`,
    name: id === 'user-1' ? null : 'Two',
    passwordHash: 'h',
    createdAt: NOW,
    updatedAt: NOW + 1,
    emailVerifiedAt: null,
  };
}

function session(id: string, userId = 'user-1', overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    userId,
    tokenHash: `hash-${id}`,
    csrfSecret: `csrf-${id}`,
    createdAt: NOW,
    lastSeenAt: NOW,
    absoluteExpiresAt: NOW + 60 * MINUTE,
    persistent: true,
    ip: '192.0.2.1',
    userAgent: null,
    ...overrides,
  };
}

describe(`store contract on ${testBackendName()}`, () => {
  describe('users', () => {
    it('round-trips a user with times as numbers', async () => {
      expect(await stores.users.findById('user-2')).toEqual(user('user-2'));
      expect(await stores.users.findByEmail('user-1@example.test')).toEqual(user('user-1'));
      expect(typeof (await stores.users.findById('user-1'))?.createdAt).toBe('number');
      expect(await stores.users.findById('nobody')).toBeUndefined();
    });

    it('says whether any account exists: until the last one is deleted', async () => {
      expect(await stores.users.hasAny()).toBe(true);
      expect(await stores.users.delete('user-1')).toBe(true);
      expect(await stores.users.hasAny()).toBe(true);
      expect(await stores.users.delete('user-2')).toBe(true);
      expect(await stores.users.hasAny()).toBe(false);
    });

    it('refuses a second account with the same email as EmailTakenError and keeps the first', async () => {
      await expect(stores.users.create({ ...user('user-3'), email: 'user-1@example.test' })).rejects.toBeInstanceOf(
        EmailTakenError,
      );
      expect((await stores.users.findByEmail('user-1@example.test'))?.id).toBe('user-1');
      expect(await stores.users.findById('user-3')).toBeUndefined();
    });
  });

  describe('sessions', () => {
    it('round-trips a session exactly, booleans and numbers intact', async () => {
      await stores.sessions.create(session('s1', 'user-1', { persistent: false, userAgent: 'UA' }));
      const expected = session('s1', 'user-1', { persistent: false, userAgent: 'UA' });
      expect(await stores.sessions.findByTokenHash('hash-s1')).toEqual(expected);
      // A second read may come from a cache (Redis): it must be the same record.
      expect(await stores.sessions.findByTokenHash('hash-s1')).toEqual(expected);
      expect(await stores.sessions.findByTokenHash('hash-unknown')).toBeUndefined();
    });

    it('a touch is seen by the next lookup, even after the session was read (and cached)', async () => {
      await stores.sessions.create(session('s1'));
      await stores.sessions.findByTokenHash('hash-s1');
      await stores.sessions.touch('s1', NOW + 5 * MINUTE);
      expect((await stores.sessions.findByTokenHash('hash-s1'))?.lastSeenAt).toBe(NOW + 5 * MINUTE);
    });

    it('a deleted session is gone for the next lookup, even after it was read (and cached)', async () => {
      await stores.sessions.create(session('s1'));
      await stores.sessions.findByTokenHash('hash-s1');
      expect(await stores.sessions.deleteForUser('user-1', 's1')).toBe(true);
      expect(await stores.sessions.findByTokenHash('hash-s1')).toBeUndefined();
      expect(await stores.sessions.deleteForUser('user-1', 's1')).toBe(false);
    });

    it("cannot delete another user's session", async () => {
      await stores.sessions.create(session('s1', 'user-1'));
      expect(await stores.sessions.deleteForUser('user-2', 's1')).toBe(false);
      expect(await stores.sessions.findByTokenHash('hash-s1')).toMatchObject({ id: 's1' });
    });

    it('deletes every session of a user but the one kept, and lists the rest newest first', async () => {
      await stores.sessions.create(session('a', 'user-1', { lastSeenAt: NOW + 1 }));
      await stores.sessions.create(session('b', 'user-1', { lastSeenAt: NOW + 3 }));
      await stores.sessions.create(session('c', 'user-1', { lastSeenAt: NOW + 2 }));
      await stores.sessions.create(session('d', 'user-2'));
      expect((await stores.sessions.listForUser('user-1')).map((s) => s.id)).toEqual(['b', 'c', 'a']);
      for (const id of ['a', 'b', 'c']) await stores.sessions.findByTokenHash(`hash-${id}`);

      expect((await stores.sessions.deleteAllForUser('user-1', 'c')).sort()).toEqual(['a', 'b']);
      expect(await stores.sessions.findByTokenHash('hash-a')).toBeUndefined();
      expect(await stores.sessions.findByTokenHash('hash-b')).toBeUndefined();
      expect((await stores.sessions.listForUser('user-1')).map((s) => s.id)).toEqual(['c']);
      expect(await stores.sessions.listForUser('user-2')).toHaveLength(1);
    });

    it('deleteExpired removes sessions past their absolute or idle limit, and only those', async () => {
      await stores.sessions.create(session('old', 'user-1', { absoluteExpiresAt: NOW + MINUTE }));
      await stores.sessions.create(session('idle', 'user-1', { lastSeenAt: NOW - 61 * MINUTE }));
      await stores.sessions.create(session('live', 'user-1'));
      expect(await stores.sessions.deleteExpired(NOW + MINUTE, 60 * MINUTE)).toBe(2);
      expect((await stores.sessions.listForUser('user-1')).map((s) => s.id)).toEqual(['live']);
    });
  });

  describe('rate limits', () => {
    it('counts hits in a window, restarts it when it ends, and resets on demand', async () => {
      expect(await stores.rateLimits.hit('k', MINUTE, NOW)).toEqual({ count: 1, resetAt: NOW + MINUTE });
      expect(await stores.rateLimits.hit('k', MINUTE, NOW + 10)).toEqual({ count: 2, resetAt: NOW + MINUTE });
      expect(await stores.rateLimits.hit('k', MINUTE, NOW + MINUTE)).toEqual({ count: 1, resetAt: NOW + 2 * MINUTE });
      await stores.rateLimits.reset('k');
      expect(await stores.rateLimits.hit('k', MINUTE, NOW + MINUTE + 1)).toMatchObject({ count: 1 });
    });

    it('counts concurrent hits exactly once each (the increment is atomic)', async () => {
      const results = await Promise.all(Array.from({ length: 25 }, () => stores.rateLimits.hit('busy', MINUTE, NOW)));
      expect(results.map((result) => result.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 25 }, (_, index) => index + 1),
      );
    });

    it('refund takes back one hit of the same window only, never below zero', async () => {
      const { resetAt } = await stores.rateLimits.hit('r', MINUTE, NOW);
      await stores.rateLimits.hit('r', MINUTE, NOW + 1);
      await stores.rateLimits.refund('r', resetAt);
      expect(await stores.rateLimits.hit('r', MINUTE, NOW + 2)).toEqual({ count: 2, resetAt });
      // A refund for another window (one that ended, or never was) changes nothing.
      await stores.rateLimits.refund('r', resetAt + 1);
      await stores.rateLimits.refund('r', resetAt - MINUTE);
      expect(await stores.rateLimits.hit('r', MINUTE, NOW + 3)).toEqual({ count: 3, resetAt });
      // The window ended and restarted: the late refund must not eat into the new one.
      const next = await stores.rateLimits.hit('r', MINUTE, NOW + MINUTE);
      await stores.rateLimits.refund('r', resetAt);
      expect(await stores.rateLimits.hit('r', MINUTE, NOW + MINUTE + 1)).toEqual({ count: 2, resetAt: next.resetAt });
      // Never below zero, and a missing key stays missing.
      await stores.rateLimits.hit('z', MINUTE, NOW);
      for (let i = 0; i < 3; i++) await stores.rateLimits.refund('z', NOW + MINUTE);
      expect(await stores.rateLimits.hit('z', MINUTE, NOW + 1)).toEqual({ count: 1, resetAt: NOW + MINUTE });
      await stores.rateLimits.refund('missing', NOW + MINUTE);
      expect(await stores.rateLimits.hit('missing', MINUTE, NOW + 5)).toEqual({ count: 1, resetAt: NOW + 5 + MINUTE });
    });

    it('concurrent hits and refunds leave the exact count (both are atomic)', async () => {
      const { resetAt } = await stores.rateLimits.hit('mixed', MINUTE, NOW);
      await Promise.all(Array.from({ length: 9 }, () => stores.rateLimits.hit('mixed', MINUTE, NOW)));
      // From 10, ten refunds cannot reach zero in any interleaving: 10 + 20 - 10.
      await Promise.all([
        ...Array.from({ length: 20 }, () => stores.rateLimits.hit('mixed', MINUTE, NOW)),
        ...Array.from({ length: 10 }, () => stores.rateLimits.refund('mixed', resetAt)),
      ]);
      expect((await stores.rateLimits.hit('mixed', MINUTE, NOW)).count).toBe(21);
    });

    it('deleteExpired removes windows that ended and keeps running ones', async () => {
      await stores.rateLimits.hit('short', MINUTE, NOW);
      await stores.rateLimits.hit('long', 10 * MINUTE, NOW);
      expect(await stores.rateLimits.deleteExpired(NOW + MINUTE)).toBe(1);
      expect(await stores.rateLimits.hit('long', 10 * MINUTE, NOW + MINUTE)).toMatchObject({ count: 2 });
      expect(await stores.rateLimits.hit('short', MINUTE, NOW + MINUTE)).toMatchObject({ count: 1 });
    });
  });

  describe('revocations', () => {
    it('answers isRevoked from the store until the entry expires', async () => {
      await stores.revocations.add({ kind: 'sid', value: 'family-1', expiresAt: NOW + MINUTE });
      expect(await stores.revocations.isRevoked('sid', 'family-1', NOW)).toBe(true);
      expect(await stores.revocations.isRevoked('jti', 'family-1', NOW)).toBe(false);
      expect(await stores.revocations.isRevoked('sid', 'family-1', NOW + MINUTE)).toBe(false);
    });

    it('keeps the later expiry whichever order two denials of one value arrive in', async () => {
      await stores.revocations.add({ kind: 'jti', value: 'j', expiresAt: NOW + 10 * MINUTE });
      await stores.revocations.add({ kind: 'jti', value: 'j', expiresAt: NOW + MINUTE });
      expect(await stores.revocations.listActive(NOW)).toEqual([
        { kind: 'jti', value: 'j', expiresAt: NOW + 10 * MINUTE },
      ]);
      await stores.revocations.add({ kind: 'jti', value: 'j', expiresAt: NOW + 20 * MINUTE });
      expect(await stores.revocations.isRevoked('jti', 'j', NOW + 15 * MINUTE)).toBe(true);
    });

    it('deleteExpired removes only entries that expired', async () => {
      await stores.revocations.add({ kind: 'api_key', value: 'old', expiresAt: NOW });
      await stores.revocations.add({ kind: 'api_key', value: 'new', expiresAt: NOW + MINUTE });
      expect(await stores.revocations.deleteExpired(NOW)).toBe(1);
      expect(await stores.revocations.listActive(NOW - MINUTE)).toEqual([
        { kind: 'api_key', value: 'new', expiresAt: NOW + MINUTE },
      ]);
    });
  });

  describe('API keys and audit', () => {
    it('round-trips an API key with its scopes and nulls, and revokes it once, for its owner only', async () => {
      const key = {
        id: 'k1',
        userId: 'user-1',
        name: 'CI',
        secretHash: 'sh',
        scopes: ['read', 'write'],
        createdAt: NOW,
        expiresAt: null,
        lastUsedAt: null,
        revokedAt: null,
      };
      await stores.apiKeys.create(key);
      expect(await stores.apiKeys.findById('k1')).toEqual(key);
      expect(await stores.apiKeys.revoke('user-2', 'k1', NOW + 1)).toBe(false);
      expect(await stores.apiKeys.revoke('user-1', 'k1', NOW + 1)).toBe(true);
      expect(await stores.apiKeys.revoke('user-1', 'k1', NOW + 2)).toBe(false);
      expect(await stores.apiKeys.findById('k1')).toMatchObject({ revokedAt: NOW + 1 });
      expect(await stores.apiKeys.listForUser('user-1')).toEqual([]);
    });

    it('finds an app password by either hash, lists the live ones newest first, and revokes for the owner only', async () => {
      const appPassword = (id: string, userId: string, createdAt: number) => ({
        id,
        userId,
        name: `device ${id}`,
        secretHash: `secret-${id}`,
        feverKeyHash: `fever-${id}`,
        feverLogin: `${userId}@example.test`,
        createdAt,
        lastUsedAt: null,
        lastUsedClient: null,
        revokedAt: null,
      });
      await stores.appPasswords.create(appPassword('a1', 'user-1', NOW));
      await stores.appPasswords.create(appPassword('a2', 'user-1', NOW + 1));
      await stores.appPasswords.create(appPassword('a3', 'user-2', NOW));
      expect(await stores.appPasswords.findBySecretHash('secret-a1')).toEqual(appPassword('a1', 'user-1', NOW));
      expect(await stores.appPasswords.findByFeverKeyHash('fever-a3')).toMatchObject({ id: 'a3', userId: 'user-2' });
      expect(await stores.appPasswords.findBySecretHash('fever-a1')).toBeUndefined();
      expect((await stores.appPasswords.listForUser('user-1')).map((row) => row.id)).toEqual(['a2', 'a1']);

      await stores.appPasswords.touch('a1', NOW + 5, 'NetNewsWire/6');
      expect(await stores.appPasswords.findById('a1')).toMatchObject({
        lastUsedAt: NOW + 5,
        lastUsedClient: 'NetNewsWire/6',
      });
      expect(await stores.appPasswords.revoke('user-2', 'a1', NOW + 6)).toBe(false);
      expect(await stores.appPasswords.revoke('user-1', 'a1', NOW + 6)).toBe(true);
      expect(await stores.appPasswords.revoke('user-1', 'a1', NOW + 7)).toBe(false);
      expect(await stores.appPasswords.findById('a1')).toMatchObject({ revokedAt: NOW + 6 });
      expect(await stores.appPasswords.revokeAllForUser('user-1', NOW + 8)).toBe(1);
      expect(await stores.appPasswords.listForUser('user-1')).toEqual([]);
      expect(await stores.appPasswords.listForUser('user-2')).toHaveLength(1);
      expect(await stores.users.delete('user-2')).toBe(true);
      expect(await stores.appPasswords.findById('a3')).toBeUndefined();
    });

    it('lists audit events newest first, filtered by user and type', async () => {
      const base = { sessionId: null, ip: null, userAgent: null, reason: null };
      await stores.audit.record({ ...base, id: 'e1', type: 'signup', at: NOW, userId: 'user-1' });
      await stores.audit.record({ ...base, id: 'e2', type: 'logout', at: NOW + 2, userId: 'user-1' });
      await stores.audit.record({ ...base, id: 'e3', type: 'logout', at: NOW + 1, userId: 'user-2' });
      expect((await stores.audit.list({ type: 'logout' })).map((event) => event.id)).toEqual(['e2', 'e3']);
      expect(await stores.audit.list({ userId: 'user-1', limit: 1 })).toEqual([
        { ...base, id: 'e2', type: 'logout', at: NOW + 2, userId: 'user-1', count: 1, lastAt: NOW + 2 },
      ]);
    });

    it('keeps a burst count, and deletes by age for retention', async () => {
      const base = { sessionId: null, ip: '203.0.113.7', userAgent: null, reason: 'bearer:malformed', userId: null };
      await stores.audit.record({ ...base, id: 'old', type: 'token_rejected', at: NOW - 10 });
      await stores.audit.record({
        ...base,
        id: 'burst',
        type: 'token_rejected',
        at: NOW,
        count: 1995,
        lastAt: NOW + 59,
      });
      expect(await stores.audit.list({ type: 'token_rejected' })).toEqual([
        expect.objectContaining({ id: 'burst', count: 1995, at: NOW, lastAt: NOW + 59 }),
        expect.objectContaining({ id: 'old', count: 1, lastAt: NOW - 10 }),
      ]);
      expect(await stores.audit.deleteOlderThan(NOW)).toBe(1);
      expect(await stores.audit.deleteOlderThan(NOW)).toBe(0);
      expect((await stores.audit.list()).map((event) => event.id)).toEqual(['burst']);
    });
  });

  describe('the account lifecycle', () => {
    const token = (hash: string, overrides: Partial<OneTimeTokenRecord> = {}): OneTimeTokenRecord => ({
      tokenHash: hash,
      userId: 'user-1',
      purpose: 'reset_password',
      email: 'user-1@example.test',
      createdAt: NOW,
      expiresAt: NOW + 30 * MINUTE,
      usedAt: null,
      ...overrides,
    });

    it('uses a one-time token once: of two racing consumers exactly one gets it', async () => {
      await stores.oneTimeTokens.create(token('t1'));
      expect(await stores.oneTimeTokens.findLive('t1', 'reset_password', NOW + 1)).toEqual(token('t1'));
      expect(await stores.oneTimeTokens.findLive('t1', 'verify_email', NOW + 1)).toBeUndefined();
      const results = await Promise.all([
        stores.oneTimeTokens.consume('t1', 'reset_password', NOW + 2),
        stores.oneTimeTokens.consume('t1', 'reset_password', NOW + 2),
      ]);
      expect(results.filter((result) => result !== undefined)).toHaveLength(1);
      expect(results.find((result) => result !== undefined)).toEqual(token('t1', { usedAt: NOW + 2 }));
      expect(await stores.oneTimeTokens.findLive('t1', 'reset_password', NOW + 3)).toBeUndefined();
    });

    it('refuses an expired one-time token, voids a user’s tokens by purpose, deletes expired ones', async () => {
      await stores.oneTimeTokens.create(token('old'));
      await stores.oneTimeTokens.create(token('verify', { purpose: 'verify_email' }));
      await stores.oneTimeTokens.create(token('theirs', { userId: 'user-2' }));
      expect(await stores.oneTimeTokens.consume('old', 'reset_password', NOW + 30 * MINUTE)).toBeUndefined();
      expect(await stores.oneTimeTokens.voidForUser('user-1', ['reset_password'], NOW + 1)).toBe(1);
      expect(await stores.oneTimeTokens.findLive('verify', 'verify_email', NOW + 2)).toBeDefined();
      expect(await stores.oneTimeTokens.findLive('theirs', 'reset_password', NOW + 2)).toBeDefined();
      expect(await stores.oneTimeTokens.deleteExpired(NOW + 31 * MINUTE)).toBe(3);
    });

    it('accepts a TOTP time step once, only newer ones after it, and never overwrites an enabled factor', async () => {
      const pending = { userId: 'user-1', sealedSecret: 'sealed', createdAt: NOW, enabledAt: null, lastUsedStep: null };
      expect(await stores.totp.savePending(pending)).toBe(true);
      expect(await stores.totp.useStep('user-1', 100)).toBe(false); // not enabled yet
      expect(await stores.totp.useStep('user-1', 100, NOW + 1)).toBe(true); // enables
      expect(await stores.totp.useStep('user-1', 100)).toBe(false); // the same code again
      expect(await stores.totp.useStep('user-1', 99)).toBe(false); // an older one
      expect(await stores.totp.useStep('user-1', 101)).toBe(true);
      expect(await stores.totp.savePending({ ...pending, sealedSecret: 'other' })).toBe(false);
      expect((await stores.totp.find('user-1'))?.sealedSecret).toBe('sealed');
      expect(await stores.totp.delete('user-1')).toBe(true);
      expect(await stores.totp.find('user-1')).toBeUndefined();
    });

    it('uses a recovery code once, and only its owner can', async () => {
      await stores.recoveryCodes.replace('user-1', ['h1', 'h2'], NOW);
      expect(await stores.recoveryCodes.consume('user-2', 'h1', NOW)).toBe(false);
      expect(await stores.recoveryCodes.consume('user-1', 'h1', NOW)).toBe(true);
      expect(await stores.recoveryCodes.consume('user-1', 'h1', NOW)).toBe(false);
      expect(await stores.recoveryCodes.remaining('user-1')).toBe(1);
      await stores.recoveryCodes.replace('user-1', ['h3'], NOW);
      expect(await stores.recoveryCodes.consume('user-1', 'h2', NOW)).toBe(false);
      expect(await stores.recoveryCodes.remaining('user-1')).toBe(1);
    });

    it('moves a passkey counter forward only from the value it was read at', async () => {
      await stores.passkeys.create({
        id: 'cred-1',
        userId: 'user-1',
        name: 'Laptop',
        publicKey: 'pk',
        counter: 5,
        transports: ['internal'],
        deviceType: 'singleDevice',
        backedUp: false,
        createdAt: NOW,
        lastUsedAt: null,
      });
      expect(await stores.passkeys.recordUse('cred-1', 5, 6, false, NOW + 1)).toBe(true);
      expect(await stores.passkeys.recordUse('cred-1', 5, 7, false, NOW + 2)).toBe(false); // raced
      expect(await stores.passkeys.find('cred-1')).toMatchObject({ counter: 6, lastUsedAt: NOW + 1 });
      expect(await stores.passkeys.rename('user-2', 'cred-1', 'Mine')).toBe(false);
      expect(await stores.passkeys.delete('user-2', 'cred-1')).toBe(false);
      expect(await stores.passkeys.countForUser('user-1')).toBe(1);
    });

    it('ends a pending sign-in once, counts its failures, and hands a WebAuthn challenge out once', async () => {
      await stores.pendingSignIns.create({
        tokenHash: 't1',
        cookieHash: 'c1',
        userId: 'user-1',
        client: 'session',
        persistent: true,
        failures: 0,
        createdAt: NOW,
        expiresAt: NOW + MINUTE,
      });
      expect(await stores.pendingSignIns.findLive('t1', NOW + MINUTE)).toBeUndefined(); // expired
      expect(await stores.pendingSignIns.addFailure('t1')).toBe(1);
      expect(await stores.pendingSignIns.findLive('t1', NOW)).toMatchObject({ failures: 1, persistent: true });
      expect(await stores.pendingSignIns.delete('t1')).toBe(true);
      expect(await stores.pendingSignIns.delete('t1')).toBe(false);

      const challenge = { challenge: 'ch', purpose: 'sign_in' as const, userId: null, boundTo: null };
      await stores.webauthnChallenges.create({ ...challenge, expiresAt: NOW + MINUTE });
      expect(await stores.webauthnChallenges.take('ch', NOW)).toMatchObject(challenge);
      expect(await stores.webauthnChallenges.take('ch', NOW)).toBeUndefined();
      await stores.webauthnChallenges.create({ ...challenge, expiresAt: NOW + MINUTE });
      expect(await stores.webauthnChallenges.take('ch', NOW + MINUTE)).toBeUndefined(); // expired, and gone
      expect(await stores.webauthnChallenges.take('ch', NOW)).toBeUndefined();
    });

    it('stamps and reads a step-up on a session, and answers undefined for a session that is gone', async () => {
      await stores.sessions.create(session('s1'));
      expect(await stores.stepUps.lastAt('session', 's1')).toEqual({ password: null, factor: null });
      await stores.stepUps.mark('session', 's1', NOW + 5, { password: true, factor: false });
      expect(await stores.stepUps.lastAt('session', 's1')).toEqual({ password: NOW + 5, factor: null });
      await stores.stepUps.mark('session', 's1', NOW + 9, { password: false, factor: true });
      expect(await stores.stepUps.lastAt('session', 's1')).toEqual({ password: NOW + 5, factor: NOW + 9 });
      await stores.sessions.deleteForUser('user-1', 's1');
      expect(await stores.stepUps.lastAt('session', 's1')).toBeUndefined();
      expect(await stores.stepUps.lastAt('token_family', 'nope')).toBeUndefined();
    });

    it('tells a new device from a known one, per user', async () => {
      expect(await stores.knownDevices.remember('user-1', 'd1', NOW)).toBe(true);
      expect(await stores.knownDevices.remember('user-1', 'd1', NOW + 1)).toBe(false);
      expect(await stores.knownDevices.remember('user-2', 'd1', NOW + 1)).toBe(true);
    });

    it('verifies and changes an email, refusing one that is taken', async () => {
      await stores.users.markEmailVerified('user-1', NOW + 7);
      expect(await stores.users.findById('user-1')).toMatchObject({ emailVerifiedAt: NOW + 7 });
      await expect(stores.users.updateEmail('user-1', 'user-2@example.test', NOW + 8)).rejects.toBeInstanceOf(
        EmailTakenError,
      );
      await stores.users.updateEmail('user-1', 'new@example.test', NOW + 9);
      expect(await stores.users.findByEmail('new@example.test')).toMatchObject({
        id: 'user-1',
        emailVerifiedAt: NOW + 9,
      });
    });

    it('revokes every live API key of a user, and deletes a user with everything of theirs', async () => {
      const key = (id: string, userId: string) => ({
        id,
        userId,
        name: id,
        secretHash: `sh-${id}`,
        scopes: ['read'],
        createdAt: NOW,
        expiresAt: null,
        lastUsedAt: null,
        revokedAt: null,
      });
      await stores.apiKeys.create(key('k1', 'user-1'));
      await stores.apiKeys.create(key('k2', 'user-1'));
      await stores.apiKeys.create(key('k3', 'user-2'));
      const revoked = await stores.apiKeys.revokeAllForUser('user-1', NOW + 1);
      expect(revoked.map((k) => k.id).sort()).toEqual(['k1', 'k2']);
      expect(await stores.apiKeys.revokeAllForUser('user-1', NOW + 2)).toEqual([]);
      expect(await stores.apiKeys.findById('k3')).toMatchObject({ revokedAt: null });

      await stores.sessions.create(session('s1'));
      await stores.oneTimeTokens.create(token('t1'));
      await stores.knownDevices.remember('user-1', 'd1', NOW);
      const base = { sessionId: null, ip: null, userAgent: null, reason: null };
      await stores.audit.record({ ...base, id: 'e1', type: 'signup', at: NOW, userId: 'user-1' });
      expect(await stores.users.delete('user-1')).toBe(true);
      expect(await stores.audit.pseudonymize('user-1', 'deleted:x')).toBe(1);
      expect(await stores.users.findById('user-1')).toBeUndefined();
      expect(await stores.apiKeys.findById('k1')).toBeUndefined();
      expect(await stores.sessions.findByTokenHash('hash-s1')).toBeUndefined();
      expect(await stores.oneTimeTokens.findLive('t1', 'reset_password', NOW + 1)).toBeUndefined();
      expect((await stores.audit.list({ userId: 'deleted:x' })).map((event) => event.id)).toEqual(['e1']);
      expect(await stores.users.delete('user-1')).toBe(false);
      // Someone signing up again with that id starts with no known devices.
      await stores.users.create(user('user-1'));
      expect(await stores.knownDevices.remember('user-1', 'd1', NOW + 1)).toBe(true);
      expect(await stores.users.findById('user-2')).toBeDefined();
    });
  });
});
