import type { Kysely, Selectable } from 'kysely';
import type { SigningAlgorithm, SigningKeyRecord, SigningKeyStore } from '../types.js';
import type { Database, SigningKeysTable } from './schema.js';

function toAlgorithm(kid: string, alg: string): SigningAlgorithm {
  if (alg === 'EdDSA' || alg === 'ES256') return alg;
  // A row we did not write: refusing it beats verifying with an algorithm nobody chose.
  throw new Error(`store: signing key ${kid} has unsupported alg ${alg}`);
}

function toRecord(row: Selectable<SigningKeysTable>): SigningKeyRecord {
  return {
    kid: row.kid,
    alg: toAlgorithm(row.kid, row.alg),
    publicJwk: row.public_jwk,
    privateJwe: row.private_jwe,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
    verifyUntil: row.verify_until,
  };
}

export class SqlSigningKeyStore implements SigningKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(now: number): Promise<SigningKeyRecord[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where((eb) => eb.or([eb('verify_until', 'is', null), eb('verify_until', '>', now)]))
      // The same order on every instance, so they all agree on which key is the newest.
      .orderBy('created_at', 'desc')
      .orderBy('kid', 'desc')
      .execute();
    return rows.map(toRecord);
  }

  async create(key: SigningKeyRecord): Promise<void> {
    await this.db
      .insertInto('signing_keys')
      .values({
        kid: key.kid,
        alg: key.alg,
        public_jwk: key.publicJwk,
        private_jwe: key.privateJwe,
        created_at: key.createdAt,
        retired_at: key.retiredAt,
        verify_until: key.verifyUntil,
      })
      .execute();
  }

  async retireActive(exceptKid: string, retiredAt: number, verifyUntil: number): Promise<string[]> {
    const rows = await this.db
      .updateTable('signing_keys')
      .set({ retired_at: retiredAt, verify_until: verifyUntil })
      .where('retired_at', 'is', null)
      .where('kid', '!=', exceptKid)
      .returning('kid')
      .execute();
    return rows.map((row) => row.kid);
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db
      .deleteFrom('signing_keys')
      .where('verify_until', 'is not', null)
      .where('verify_until', '<=', now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
