import { GatehouseError } from '@gatehouse/core';
import type { ItemCursor } from '../db/item-store.js';

/** Opaque to clients: where the next page starts (the last item of this one). */
export function encodeCursor(cursor: ItemCursor): string {
  return Buffer.from(`${String(cursor.publishedAt)}.${String(cursor.id)}`, 'utf8').toString('base64url');
}

export function decodeCursor(value: string): ItemCursor {
  const match = /^(-?\d{1,16})\.(\d{1,16})$/u.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match) {
    throw new GatehouseError('validation_failed', 'The cursor is not valid: use the nextCursor of a list.', {
      fields: { cursor: 'is not valid' },
    });
  }
  return { publishedAt: Number(match[1]), id: Number(match[2]) };
}
