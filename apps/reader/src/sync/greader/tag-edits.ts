import type { Marks } from './item-states.js';
import { badRequest } from './protocol-errors.js';
import { parseStreamId } from './stream-ids.js';

/**
 * edit-tag's `a=` (add) and `r=` (remove) tags as read/starred marks. Google Reader had more
 * states than we keep; clients send some of them along with the ones that matter:
 * newsboat marks unread with `r=read&a=kept-unread&a=tracking-kept-unread`, and shares with
 * `broadcast`. Those are accepted and have no effect; anything else (an item label, an
 * unknown state) is refused, so a client never believes something was stored that was not.
 */
export function marksFromTags(add: readonly string[], remove: readonly string[]): Marks {
  if (add.length === 0 && remove.length === 0) throw badRequest('MissingParameter', 'Name a tag with a=… or r=…');
  const marks: Marks = {};
  const set = (mark: keyof Marks, value: boolean) => {
    if (marks[mark] !== undefined && marks[mark] !== value) {
      throw badRequest('ConflictingTags', `The request both sets and clears ${mark}.`);
    }
    marks[mark] = value;
  };
  for (const tag of add) {
    const state = stateOf(tag);
    if (state === 'read') set('read', true);
    else if (state === 'starred') set('starred', true);
    // "Kept unread" is Google's explicit unread: we keep no separate flag, only unread.
    else if (state === 'kept-unread') set('read', false);
  }
  for (const tag of remove) {
    const state = stateOf(tag);
    if (state === 'read') set('read', false);
    else if (state === 'starred') set('starred', false);
    // Removing kept-unread (sent along with a=read) does not by itself mark anything read.
  }
  return marks;
}

/** Accepted without effect: shares, likes and Google's tracking flags. */
const INERT_STATE = /^(?:broadcast|like|fresh|tracking-[a-z-]+)$/u;
const KEPT_STATES = new Set(['read', 'starred', 'kept-unread']);

function stateOf(tag: string): string | undefined {
  const stream = parseStreamId(tag);
  if (stream?.kind === 'state') {
    if (KEPT_STATES.has(stream.state)) return stream.state;
    if (INERT_STATE.test(stream.state)) return undefined;
  }
  if (stream?.kind === 'label')
    throw badRequest('UnsupportedTag', 'Items cannot carry labels here; folders hold feeds.');
  throw badRequest('UnsupportedTag', `Not a tag this server keeps: ${tag.slice(0, 200)}`);
}

/** Folder names follow the web reader's rule: trimmed, 1 to 100 characters. */
export const MAX_FOLDER_NAME = 100;

/** The folder name in a `user/<user>/label/<name>` id; 400 for anything else. */
export function labelName(text: string, parameter: string): string {
  const stream = parseStreamId(text);
  if (stream?.kind !== 'label') throw badRequest('InvalidParameter', `${parameter} must be user/-/label/<folder>.`);
  return folderName(stream.name, parameter);
}

export function folderName(value: string, parameter: string): string {
  const name = value.trim();
  if (name === '' || name.length > MAX_FOLDER_NAME) {
    throw badRequest('InvalidParameter', `${parameter}: a folder name is 1 to ${String(MAX_FOLDER_NAME)} characters.`);
  }
  return name;
}
