/**
 * Stream ids: the names the protocol gives to lists of items and to tags.
 *
 * - `feed/<x>`: one feed; `<x>` is our feed's id (what subscription/list hands out) or,
 *   from clients that only know the address, the feed's URL;
 * - `user/<user>/label/<name>`: a folder;
 * - `user/<user>/state/com.google/<state>`: reading-list, starred, read, …
 *
 * `<user>` is `-` ("the signed-in user") in what we write; clients that echo a numeric user
 * id back get the same meaning, since a token only ever reaches its own user's data. This
 * module is syntax only: whether the feed or folder exists is stream-scope.ts's question.
 */

export type StreamId =
  { kind: 'feed'; feed: string } | { kind: 'label'; name: string } | { kind: 'state'; state: string };

const USER_PART = /^user\/[^/]+\/(label|state)\/(.+)$/su;
const STATE_PART = /^com\.google\/([a-z][a-z-]{0,40})$/u;

/** Parses a stream id; undefined when it is none of the three shapes. */
export function parseStreamId(value: string): StreamId | undefined {
  if (value.startsWith('feed/')) {
    const feed = value.slice('feed/'.length);
    return feed === '' ? undefined : { kind: 'feed', feed };
  }
  const match = USER_PART.exec(value);
  if (match === null) return undefined;
  const [, type, rest = ''] = match;
  if (type === 'label') return { kind: 'label', name: rest };
  const state = STATE_PART.exec(rest)?.[1];
  return state === undefined ? undefined : { kind: 'state', state };
}

export function feedStreamId(feedId: string): string {
  return `feed/${feedId}`;
}

export function labelStreamId(name: string): string {
  return `user/-/label/${name}`;
}

export function stateStreamId(state: string): string {
  return `user/-/state/com.google/${state}`;
}

export const READING_LIST = stateStreamId('reading-list');
export const STARRED = stateStreamId('starred');
export const READ = stateStreamId('read');
