import type { Kysely } from 'kysely';
import type { WebAuthnChallengeRecord, WebAuthnChallengeStore, WebAuthnPurpose } from '../types.js';
import type { Database } from './schema.js';

export class SqlWebAuthnChallengeStore implements WebAuthnChallengeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(challenge: WebAuthnChallengeRecord): Promise<void> {
    await this.db
      .insertInto('webauthn_challenges')
      .values({
        challenge: challenge.challenge,
        purpose: challenge.purpose,
        user_id: challenge.userId,
        bound_to: challenge.boundTo,
        expires_at: challenge.expiresAt,
      })
      .execute();
  }

  async take(challenge: string, now: number): Promise<WebAuthnChallengeRecord | undefined> {
    const row = await this.db
      .selectFrom('webauthn_challenges')
      .selectAll()
      .where('challenge', '=', challenge)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    // Deleted whether live or not; only the request whose delete took may use it.
    const deleted = await this.db
      .deleteFrom('webauthn_challenges')
      .where('challenge', '=', challenge)
      .executeTakeFirst();
    if (deleted.numDeletedRows === 0n || row.expires_at <= now) return undefined;
    return {
      challenge: row.challenge,
      purpose: row.purpose as WebAuthnPurpose,
      userId: row.user_id,
      boundTo: row.bound_to,
      expiresAt: row.expires_at,
    };
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('webauthn_challenges').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
