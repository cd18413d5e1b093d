import { describe, expect, it } from 'vitest';
import { MeBodies, toPublicSession } from './serializers.js';
import type { SessionRecord, UserRecord } from './stores/types.js';

const NOW = Date.UTC(2026, 0, 1);

const user: UserRecord = {
  id: 'user-1',
  email: 'ada@example.test',
  name: 'Ada',
  passwordHash: 'secret-hash',
  createdAt: NOW,
  updatedAt: NOW,
  emailVerifiedAt: null,
};

const session: SessionRecord = {
  id: 'session-1',
  userId: 'user-1',
  tokenHash: 'hash',
  csrfSecret: 'csrf',
  createdAt: NOW,
  lastSeenAt: NOW,
  absoluteExpiresAt: NOW + 1000,
  persistent: true,
  ip: null,
  userAgent: null,
};

function body(bodies: MeBodies, forUser: UserRecord, forSession: SessionRecord): unknown {
  const text =
    bodies.get(forUser, forSession) ??
    bodies.remember(forUser, forSession, toPublicSession(forSession, forSession.absoluteExpiresAt, forSession.id));
  return JSON.parse(text);
}

describe('MeBodies', () => {
  it('keeps the answer for the records it was made from, and only those', () => {
    const bodies = new MeBodies();
    expect(bodies.get(user, session)).toBeUndefined();
    body(bodies, user, session);
    expect(bodies.get(user, session)).toBeDefined();
    // A touched session and a reloaded user are new records: nothing old is served for them.
    expect(bodies.get(user, { ...session, lastSeenAt: NOW + 1 })).toBeUndefined();
    expect(bodies.get({ ...user, name: 'Ada L.' }, session)).toBeUndefined();
  });

  it('answers with the new record once it is replaced, never the password hash', () => {
    const bodies = new MeBodies();
    body(bodies, user, session);
    const renamed = { ...user, name: 'Ada L.' };
    const touched = { ...session, lastSeenAt: NOW + 5 };
    const answer = body(bodies, renamed, touched) as { user: Record<string, unknown>; session: { lastSeenAt: string } };
    expect(answer.user).toEqual({
      id: 'user-1',
      email: 'ada@example.test',
      name: 'Ada L.',
      emailVerified: false,
      createdAt: new Date(NOW).toISOString(),
    });
    expect(answer.session.lastSeenAt).toBe(new Date(NOW + 5).toISOString());
  });
});
