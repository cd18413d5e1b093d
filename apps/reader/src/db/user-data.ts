import type { Kysely } from 'kysely';
import { deleteUserRules } from '../filters/filter-rule-store.js';
import { deleteUserTags } from '../tags/tag-store.js';
import type { ReaderDatabase } from './schema.js';

/**
 * Everything the reader keeps for one user: read and starred state, subscriptions, folders,
 * the Fever numbers of those folders, reading preferences, filter rules and tags.
 * Feeds and their items are shared by every subscriber and stay. Given the database handle
 * of Gatehouse's account-deletion transaction, so the account and this go together or not at all.
 */
export async function deleteReaderData(db: Kysely<ReaderDatabase>, userId: string): Promise<void> {
  // Filter rules (with their computed hits) and tags first: rules point at subscriptions.
  await deleteUserRules(db, userId);
  await deleteUserTags(db, userId);
  await db.deleteFrom('item_states').where('user_id', '=', userId).execute();
  await db.deleteFrom('subscriptions').where('user_id', '=', userId).execute();
  const folders = db.selectFrom('folders').select('id').where('user_id', '=', userId);
  await db.deleteFrom('sync_numbers').where('kind', '=', 'folder').where('ref', 'in', folders).execute();
  await db.deleteFrom('folders').where('user_id', '=', userId).execute();
  await db.deleteFrom('preferences').where('user_id', '=', userId).execute();
}
