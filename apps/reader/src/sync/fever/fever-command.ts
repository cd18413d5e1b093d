import type { FeverParams } from './fever-request.js';

/** Items per `items` answer, and the most ids `with_ids` may name: the protocol's 50. */
export const ITEMS_PER_PAGE = 50;

/** Which items an `items` call asks for (one of since_id, max_id, with_ids; none means since_id=0). */
export type ItemSelector =
  | { kind: 'since'; id: number }
  /** `max_id=0` is how a client starts from the newest: no upper bound. */
  | { kind: 'max'; id: number | undefined }
  | { kind: 'ids'; ids: number[] };

export type ItemMarkAs = 'read' | 'unread' | 'saved' | 'unsaved';

export type FeverMark =
  | { target: 'item'; id: number; as: ItemMarkAs }
  /** Feeds and groups can only be marked read; `before` is Unix seconds, absent = now. Group 0 is everything. */
  | { target: 'feed' | 'group'; id: number; before: number | undefined };

/** One Fever call, validated: what to change first, then what to answer with. */
export interface FeverCommand {
  mark: FeverMark | undefined;
  groups: boolean;
  feeds: boolean;
  favicons: boolean;
  links: boolean;
  unreadItemIds: boolean;
  savedItemIds: boolean;
  items: ItemSelector | undefined;
}

/** A parameter the protocol does not allow: answered 400, before anything is changed. */
export class FeverInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeverInputError';
  }
}

/** Parameters whose mere presence asks for a member of the answer (`?api&groups&feeds`). */
const READS = {
  groups: 'groups',
  feeds: 'feeds',
  favicons: 'favicons',
  links: 'links',
  unreadItemIds: 'unread_item_ids',
  savedItemIds: 'saved_item_ids',
} as const;

const ITEM_MARKS: readonly string[] = ['read', 'unread', 'saved', 'unsaved'] satisfies ItemMarkAs[];

/**
 * Reads a Fever call. Every check happens here, before the call changes or reads anything,
 * so a bad parameter never leaves half a mark behind. Unknown parameters are ignored (clients
 * send `api`, `refresh`, …); a known one with a bad value is refused, never guessed at.
 */
export function parseFeverCommand(params: FeverParams): FeverCommand {
  return {
    mark: params.has('mark') ? parseMark(params) : undefined,
    groups: params.has(READS.groups),
    feeds: params.has(READS.feeds),
    favicons: params.has(READS.favicons),
    links: params.has(READS.links),
    unreadItemIds: params.has(READS.unreadItemIds),
    savedItemIds: params.has(READS.savedItemIds),
    items: params.has('items') ? parseItemSelector(params) : undefined,
  };
}

function parseItemSelector(params: FeverParams): ItemSelector {
  // An empty since_id or max_id is an absent one; an empty with_ids names no item.
  const given = ['since_id', 'max_id', 'with_ids'].filter(
    (name) => params.has(name) && (name === 'with_ids' || params.get(name) !== ''),
  );
  if (given.length > 1)
    throw new FeverInputError(`items: use one of since_id, max_id and with_ids, not ${given.join(' and ')}`);
  const [name] = given;
  if (name === 'with_ids') return { kind: 'ids', ids: parseIdList(params.get('with_ids') ?? '') };
  if (name === 'max_id') {
    const id = wholeNumber('max_id', params.get('max_id'));
    return { kind: 'max', id: id === 0 ? undefined : id };
  }
  if (name === 'since_id') return { kind: 'since', id: wholeNumber('since_id', params.get('since_id')) };
  return { kind: 'since', id: 0 };
}

function parseIdList(value: string): number[] {
  // Spaces and a trailing comma are tolerated; anything that is not a number is not.
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length > ITEMS_PER_PAGE) {
    throw new FeverInputError(`with_ids: at most ${String(ITEMS_PER_PAGE)} ids`);
  }
  return [...new Set(parts.map((part) => wholeNumber('with_ids', part)))];
}

function parseMark(params: FeverParams): FeverMark {
  const target = (params.get('mark') ?? '').toLowerCase();
  const as = (params.get('as') ?? '').toLowerCase();
  const id = wholeNumber('id', params.get('id'));
  if (target === 'item') {
    if (!ITEM_MARKS.includes(as)) throw new FeverInputError('as: an item is marked read, unread, saved or unsaved');
    return { target, id, as: as as ItemMarkAs };
  }
  if (target === 'feed' || target === 'group') {
    if (as !== 'read') throw new FeverInputError(`as: a ${target} can only be marked read`);
    const before = params.get('before');
    return { target, id, before: before === undefined || before === '' ? undefined : unixSeconds(before) };
  }
  throw new FeverInputError('mark: must be item, feed or group');
}

/**
 * A non-negative decimal integer JavaScript holds exactly. `-1`, `1e3`, `0x10`, `+5`, `1.0`
 * and 20-digit numbers are refused: a lenient parse would turn them into some other id.
 */
function wholeNumber(name: string, value: string | undefined): number {
  if (value === undefined || !/^\d{1,16}$/u.test(value)) {
    throw new FeverInputError(`${name}: must be a non-negative whole number`);
  }
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new FeverInputError(`${name}: too large`);
  return number;
}

/** Unix seconds, small enough that milliseconds stay exact. */
function unixSeconds(value: string): number {
  const seconds = wholeNumber('before', value);
  if (!Number.isSafeInteger(seconds * 1000)) throw new FeverInputError('before: too large');
  return seconds;
}
