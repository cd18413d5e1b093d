import { randomUUID } from 'node:crypto';
import { GatehouseError } from '@gatehouse/core';
import { sql, type Kysely } from 'kysely';
import { isUniqueViolation } from '../db/folder-store.js';
import type { ReaderDatabase } from '../db/schema.js';
import { ItemVisibility } from '../filters/item-visibility.js';
import { TAG_LIMITS, tagKey } from './tag-name.js';

export interface TagRecord {
  id: string;
  name: string;
  /** Items with the tag that the user can see in their lists (subscribed, not hidden). */
  count: number;
}

/**
 * A user's tags and which items carry them. Every method takes the user id first and
 * filters on it. A tag exists while some item carries it: taking it off the last one
 * deletes it, so the list holds no empty names.
 */
export class TagStore {
  constructor(private readonly db: Kysely<ReaderDatabase>) {}

  async list(userId: string): Promise<TagRecord[]> {
    const visibility = await ItemVisibility.of(this.db, userId);
    const count = sql<number | string>`(SELECT COUNT(*) FROM item_tags AS it
      INNER JOIN items ON items.id = it.item_id
      INNER JOIN subscriptions AS s ON s.feed_id = items.feed_id AND s.user_id = t.user_id
      WHERE it.tag_id = t.id AND ${visibility.shown('items', 's')})`;
    const rows = await this.db
      .selectFrom('tags as t')
      .select(['t.id', 't.name', count.as('count')])
      .where('t.user_id', '=', userId)
      .orderBy('t.name_key')
      .execute();
    return rows.map((row) => ({ id: row.id, name: row.name, count: Number(row.count) }));
  }

  async findByName(userId: string, name: string): Promise<{ id: string; name: string } | undefined> {
    return this.db
      .selectFrom('tags')
      .select(['id', 'name'])
      .where('user_id', '=', userId)
      .where('name_key', '=', tagKey(name))
      .executeTakeFirst();
  }

  /** Tag names per item, sorted, for the items asked about (absent: no tags). */
  async ofItems(userId: string, itemIds: readonly number[]): Promise<Map<number, string[]>> {
    const tags = new Map<number, string[]>();
    if (itemIds.length === 0) return tags;
    const rows = await this.db
      .selectFrom('item_tags as it')
      .innerJoin('tags as t', 't.id', 'it.tag_id')
      .select(['it.item_id', 't.name'])
      .where('it.user_id', '=', userId)
      .where('it.item_id', 'in', itemIds)
      .orderBy('t.name_key')
      .execute();
    for (const row of rows) tags.set(row.item_id, [...(tags.get(row.item_id) ?? []), row.name]);
    return tags;
  }

  /**
   * Makes `names` the item's tags: new names become tags, tags no item carries any more go.
   * The caller checks the user can see the item and that there are at most tagsPerItem.
   */
  async setItemTags(userId: string, itemId: number, names: readonly string[], now: number): Promise<string[]> {
    await this.db.transaction().execute(async (trx) => {
      const ids = await ensureTags(trx, userId, names, now);
      const before = await trx
        .selectFrom('item_tags')
        .select('tag_id')
        .where('user_id', '=', userId)
        .where('item_id', '=', itemId)
        .execute();
      const dropped = before.map((row) => row.tag_id).filter((id) => !ids.includes(id));
      if (dropped.length > 0) {
        await trx.deleteFrom('item_tags').where('item_id', '=', itemId).where('tag_id', 'in', dropped).execute();
        await deleteUnused(trx, dropped);
      }
      const added = ids.filter((id) => !before.some((row) => row.tag_id === id));
      if (added.length > 0) {
        await trx
          .insertInto('item_tags')
          .values(added.map((tagId) => ({ tag_id: tagId, item_id: itemId, user_id: userId, created_at: now })))
          .execute();
      }
    });
    return (await this.ofItems(userId, [itemId])).get(itemId) ?? [];
  }

  /** False if the user has no such tag; 400 if another of their tags has the name. */
  async rename(userId: string, id: string, name: string): Promise<boolean> {
    try {
      const result = await this.db
        .updateTable('tags')
        .set({ name, name_key: tagKey(name) })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new GatehouseError('validation_failed', 'You already have a tag with that name.', {
        fields: { name: 'is already taken by another tag' },
      });
    }
  }

  /** Takes the tag off every item and deletes it. */
  async delete(userId: string, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const owned = await trx
        .selectFrom('tags')
        .select('id')
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (owned === undefined) return false;
      await trx.deleteFrom('item_tags').where('tag_id', '=', id).execute();
      await trx.deleteFrom('tags').where('id', '=', id).execute();
      return true;
    });
  }
}

/** The ids of the user's tags with these names, creating the missing ones within the cap. */
async function ensureTags(
  db: Kysely<ReaderDatabase>,
  userId: string,
  names: readonly string[],
  now: number,
): Promise<string[]> {
  const wanted = new Map(names.map((name) => [tagKey(name), name]));
  if (wanted.size === 0) return [];
  const existing = await db
    .selectFrom('tags')
    .select(['id', 'name_key'])
    .where('user_id', '=', userId)
    .where('name_key', 'in', [...wanted.keys()])
    .execute();
  const missing = [...wanted].filter(([key]) => !existing.some((row) => row.name_key === key));
  if (missing.length > 0) {
    const { count } = await db
      .selectFrom('tags')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    if (Number(count) + missing.length > TAG_LIMITS.tagsPerUser) {
      throw new GatehouseError(
        'conflict',
        `You have ${String(count)} tags and ${String(TAG_LIMITS.tagsPerUser)} is the most allowed: reuse or delete one.`,
        { extensions: { limit: 'tags_per_user', max: TAG_LIMITS.tagsPerUser } },
      );
    }
    await db
      .insertInto('tags')
      .values(
        missing.map(([key, name]) => ({ id: randomUUID(), user_id: userId, name, name_key: key, created_at: now })),
      )
      .execute();
  }
  const rows = await db
    .selectFrom('tags')
    .select('id')
    .where('user_id', '=', userId)
    .where('name_key', 'in', [...wanted.keys()])
    .execute();
  return rows.map((row) => row.id);
}

async function deleteUnused(db: Kysely<ReaderDatabase>, tagIds: readonly string[]): Promise<void> {
  await db
    .deleteFrom('tags')
    .where('id', 'in', tagIds)
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('item_tags').select('item_tags.tag_id').whereRef('item_tags.tag_id', '=', 'tags.id')),
      ),
    )
    .execute();
}

/** Deletes every tag of a user and takes them off every item (account deletion). */
export async function deleteUserTags(db: Kysely<ReaderDatabase>, userId: string): Promise<void> {
  await db.deleteFrom('item_tags').where('user_id', '=', userId).execute();
  await db.deleteFrom('tags').where('user_id', '=', userId).execute();
}
