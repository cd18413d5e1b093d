import type { Kysely } from 'kysely';
import type { ReaderDatabase } from './schema.js';

/**
 * Everything the reader keeps for one user: read and starred state, subscriptions, folders
 * and the Fever numbers of those folders.
 * Feeds and their items are shared by every subscriber and stay. Given the database handle
 * of Gatehouse's account-deletion transaction, so the account and this go together or not at all.
 */
export async function deleteReaderData(db: Kysely<ReaderDatabase>, userId: string): Promise<void> {
  await db.deleteFrom('item_states').where('user_id', '=', userId).execute();
  await db.deleteFrom('subscriptions').where('user_id', '=', userId).execute();
  const folders = db.selectFrom('folders').select('id').where('user_id', '=', userId);
  await db.deleteFrom('sync_numbers').where('kind', '=', 'folder').where('ref', 'in', folders).execute();
  await db.deleteFrom('folders').where('user_id', '=', userId).execute();
}
