import { describe, expect, it } from 'vitest';
import { OWASP_ARGON2ID, PasswordHasher } from './passwords.js';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id at the OWASP parameters', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(hash, 'correct horse battery stapler')).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hasher.hash('same password')).not.toBe(await hasher.hash('same password'));
  });

  it('treats canonically equivalent Unicode spellings as the same password', async () => {
    const composed = 'caf\u00e9 au lait';
    const decomposed = 'cafe\u0301 au lait';
    expect(await hasher.verify(await hasher.hash(composed), decomposed)).toBe(true);
  });

  it('answers false, not an exception, for a corrupt stored hash', async () => {
    expect(await hasher.verify('not-a-hash', 'whatever1')).toBe(false);
    expect(await hasher.verify('', 'whatever1')).toBe(false);
  });

  it('flags hashes made with other parameters for rehashing', async () => {
    const weak = new PasswordHasher({ ...OWASP_ARGON2ID, memoryCost: 8192 });
    expect(hasher.needsRehash(await weak.hash('password123'))).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('password123'))).toBe(false);
    expect(hasher.needsRehash('$2b$10$bcrypt-style-hash')).toBe(true);
  });

  it('answers every caller when more verifications arrive than may run at once, failures included', async () => {
    const oneAtATime = new PasswordHasher(OWASP_ARGON2ID, 1);
    const stored = await oneAtATime.hash('correct horse battery staple');
    const outcomes = await Promise.all([
      oneAtATime.verify(stored, 'correct horse battery staple'),
      oneAtATime.verify('not-a-hash', 'correct horse battery staple'),
      oneAtATime.verify(stored, 'wrong horse battery staple'),
      oneAtATime.verifyDummy('correct horse battery staple'),
      oneAtATime.verify(stored, 'correct horse battery staple'),
    ]);
    expect(outcomes).toEqual([true, false, false, false, true]);
  });

  it('runs a real verification for unknown accounts and always fails', async () => {
    expect(await hasher.verifyDummy('gatehouse-dummy-password')).toBe(false);
    expect(await hasher.verifyDummy('anything at all')).toBe(false);
  });
});
