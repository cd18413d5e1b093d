import type { Kysely, Selectable } from 'kysely';
import type { ServiceClientRecord, ServiceClientStore } from '../types.js';
import type { Database, ServiceClientsTable } from './schema.js';

/** Lists live in text columns as JSON so the same schema works on SQLite and PostgreSQL. */
function parseStringArray(json: string, column: string): string[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error(`store: service_clients.${column} is not a JSON array of strings`);
  }
  return value;
}

// PostgreSQL returns int8 columns as strings, SQLite as numbers: Number() reads both.
function toMillis(value: number | string): number {
  return Number(value);
}

function toRecord(row: Selectable<ServiceClientsTable>): ServiceClientRecord {
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secret_hash,
    audiences: parseStringArray(row.audiences, 'audiences'),
    scopes: parseStringArray(row.scopes, 'scopes'),
    createdAt: toMillis(row.created_at),
    revokedAt: row.revoked_at === null ? null : toMillis(row.revoked_at),
  };
}

export class SqlServiceClientStore implements ServiceClientStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(client: ServiceClientRecord): Promise<void> {
    await this.db
      .insertInto('service_clients')
      .values({
        id: client.id,
        name: client.name,
        secret_hash: client.secretHash,
        audiences: JSON.stringify(client.audiences),
        scopes: JSON.stringify(client.scopes),
        created_at: client.createdAt,
        revoked_at: client.revokedAt,
      })
      .execute();
  }

  async findById(id: string): Promise<ServiceClientRecord | undefined> {
    const row = await this.db.selectFrom('service_clients').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async list(): Promise<ServiceClientRecord[]> {
    const rows = await this.db
      .selectFrom('service_clients')
      .selectAll()
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toRecord);
  }

  async revoke(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('service_clients')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
