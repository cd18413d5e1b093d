import type { Kysely } from 'kysely';

// The account lifecycle (issue 13): verified email, single-use links, step-up, the durable
// mail queue and the devices a user has signed in from. Portable schema builder only.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('email_verified_at', 'bigint').execute();
  // When the password was last entered on this session or token family (sign-in, step-up).
  await db.schema.alterTable('sessions').addColumn('reauthenticated_at', 'bigint').execute();
  await db.schema.alterTable('token_families').addColumn('reauthenticated_at', 'bigint').execute();

  // Links mailed to a user: email verification, password reset, email change. Only the
  // SHA-256 of the 256-bit token is kept, so a leaked table yields no usable link.
  await db.schema
    .createTable('one_time_tokens')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (col) => col.notNull())
    /** The address the link was mailed to (verification, email change). */
    .addColumn('email', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('one_time_tokens_user').on('one_time_tokens').columns(['user_id', 'purpose']).execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    /** The message, encrypted with a key derived from GATEHOUSE_SECRET: it holds live links. */
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('next_attempt_at', 'bigint', (col) => col.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('failed_at', 'bigint')
    .execute();
  await db.schema.createIndex('mail_outbox_due').on('mail_outbox').column('next_attempt_at').execute();

  await db.schema
    .createTable('known_devices')
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('device_hash', 'text', (col) => col.notNull())
    .addColumn('first_seen_at', 'bigint', (col) => col.notNull())
    .addColumn('last_seen_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('known_devices_pk', ['user_id', 'device_hash'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('known_devices').execute();
  await db.schema.dropTable('mail_outbox').execute();
  await db.schema.dropTable('one_time_tokens').execute();
  await db.schema.alterTable('token_families').dropColumn('reauthenticated_at').execute();
  await db.schema.alterTable('sessions').dropColumn('reauthenticated_at').execute();
  await db.schema.alterTable('users').dropColumn('email_verified_at').execute();
}
