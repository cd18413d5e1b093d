import type { Kysely } from 'kysely';

// App passwords for reader apps (issue 18). Portable schema builder only.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('app_passwords')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    // Both hashes are looked up directly: ClientLogin by the password, Fever by its api_key.
    .addColumn('secret_hash', 'text', (col) => col.notNull().unique())
    .addColumn('fever_key_hash', 'text', (col) => col.notNull().unique())
    .addColumn('fever_login', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('last_used_client', 'text')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('app_passwords_user_id').on('app_passwords').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('app_passwords').execute();
}
