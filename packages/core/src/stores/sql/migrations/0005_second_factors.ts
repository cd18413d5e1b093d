import type { Kysely } from 'kysely';

// Second factors and passkeys (issue 14). Portable schema builder only.

export async function up(db: Kysely<unknown>): Promise<void> {
  // When a second factor was last proven on this session or token family (a 2FA sign-in, a
  // passkey, a step-up with a code), beside the password stamp of 0003.
  await db.schema.alterTable('sessions').addColumn('factor_verified_at', 'bigint').execute();
  await db.schema.alterTable('token_families').addColumn('factor_verified_at', 'bigint').execute();
  // The owner's choice: every step-up asks for the second factor too, not only factor changes.
  await db.schema
    .alterTable('users')
    .addColumn('step_up_requires_factor', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('totp_factors')
    .addColumn('user_id', 'text', (col) => col.primaryKey().references('users.id').onDelete('cascade'))
    /** The shared secret, sealed with a key derived from GATEHOUSE_SECRET. */
    .addColumn('sealed_secret', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    /** null while the setup waits for its first valid code. */
    .addColumn('enabled_at', 'bigint')
    /** The newest time step a code was accepted for: that code and older ones never again. */
    .addColumn('last_used_step', 'bigint')
    .execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('code_hash', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('recovery_codes_user').on('recovery_codes').column('user_id').execute();

  await db.schema
    .createTable('passkeys')
    /** The credential id (base64url), as the authenticator chose it. */
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    /** COSE public key, base64url. */
    .addColumn('public_key', 'text', (col) => col.notNull())
    .addColumn('counter', 'bigint', (col) => col.notNull())
    /** JSON array of transport hints. */
    .addColumn('transports', 'text', (col) => col.notNull())
    .addColumn('device_type', 'text', (col) => col.notNull())
    .addColumn('backed_up', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute();
  await db.schema.createIndex('passkeys_user').on('passkeys').column('user_id').execute();

  // A password that was right but not enough: the attempt waits here for its second factor.
  await db.schema
    .createTable('pending_sign_ins')
    /** SHA-256 of the mfa token (the body half). */
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    /** SHA-256 of the HttpOnly cookie half; null for native apps, which hold no cookies. */
    .addColumn('cookie_hash', 'text')
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('client', 'text', (col) => col.notNull())
    .addColumn('persistent', 'integer', (col) => col.notNull())
    .addColumn('failures', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('pending_sign_ins_user').on('pending_sign_ins').column('user_id').execute();

  // WebAuthn challenges: single-use, short-lived, bound to what they were issued for.
  await db.schema
    .createTable('webauthn_challenges')
    .addColumn('challenge', 'text', (col) => col.primaryKey())
    .addColumn('purpose', 'text', (col) => col.notNull())
    /** Whose ceremony; null for a passkey sign-in, where the passkey names the user. */
    .addColumn('user_id', 'text', (col) => col.references('users.id').onDelete('cascade'))
    /** The pending sign-in or credential (session/family id) the ceremony belongs to. */
    .addColumn('bound_to', 'text')
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webauthn_challenges').execute();
  await db.schema.dropTable('pending_sign_ins').execute();
  await db.schema.dropTable('passkeys').execute();
  await db.schema.dropTable('recovery_codes').execute();
  await db.schema.dropTable('totp_factors').execute();
  await db.schema.alterTable('users').dropColumn('step_up_requires_factor').execute();
  await db.schema.alterTable('token_families').dropColumn('factor_verified_at').execute();
  await db.schema.alterTable('sessions').dropColumn('factor_verified_at').execute();
}
