/**
 * Types the fuzz passes around: what it knows of the two users, and a hostile request as sent.
 *
 * Hostile requests to the sync APIs (issue 18), for sync-fuzz.test.ts. Each request knows
 * whose credential it carries (`actor`, null when none should pass), so the test can tell
 * a refusal that should have happened from one that did. Values are built from the two
 * users' real ids, tokens and names, mutated and crossed, deeper than pure noise.
 */

export interface SyncUser {
  userId: string;
  email: string;
  accountPassword: string;
  appPassword: string;
  feverLogin: string;
  /** The GoogleLogin token and the edit token T. */
  token: string;
  editToken: string;
  feverKey: string;
  /** The same, of an app password revoked since: refused everywhere at once. */
  revoked: { appPassword: string; token: string; editToken: string; feverKey: string };
  /** What a signed-in tab sends: the web session must never stand in for an app password. */
  session: Record<string, string>;
  feedIds: string[];
  feedUrls: string[];
  folderName: string;
  itemIds: number[];
  /** Fever's integers for this user's feeds and folder. */
  feverNumbers: number[];
  continuation: string;
  /** What only this user's data holds (titles, names, ids): in another's answer, a leak. */
  secrets: string[];
}

export interface SyncSeeds {
  users: readonly [SyncUser, SyncUser];
  /** The feed both users read: its items are visible to both, its marks are each their own. */
  shared: { feedId: string; itemIds: number[] };
  /** Addresses a subscribe may try that fail without leaving anything: not feeds, not allowed. */
  failingUrls: string[];
}

export type Actor = 0 | 1 | null;

/** How the fields travel; `oversize` and `chunked` (no Content-Length) pass 64 KiB. */
export type BodyKind =
  'form' | 'untyped' | 'charset' | 'multipart' | 'json' | 'garbage' | 'brokenMultipart' | 'oversize' | 'chunked';

export interface SyncRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  bodyKind: BodyKind;
  fields: [string, string][];
  /** The body of a `garbage` request, base64. */
  noise: string;
  /** Every value sent, unencoded: an answer may echo these, and only these. */
  mentions: string[];
  /** Whose credential passes; null: none should. */
  actor: Actor;
  /** Google Reader POSTs: T is the actor's own, where the server reads it. */
  editTokenOk: boolean;
  /** Loopback address index: failed credentials are counted per address. */
  source: number;
}

export type Pairs = [string, string][];
