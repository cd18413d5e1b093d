/** Hostile Fever calls: api keys, every call and its values, and how a draft goes on the wire. */

import fc from 'fast-check';
import type { Actor, Pairs, SyncRequest, SyncSeeds } from './fuzz-types.js';
import { hostileText, md5, mostly, mutated } from './hostile-values.js';
import { bodyKind, bodyRead, JUNK_NAMES, mentionsOf, noise, placement, queryOf, rawQuery } from './request-parts.js';

/** Fever's api_key: valid in any case, or of every wrong shape, including the account password's md5. */
function feverKey(seeds: SyncSeeds): fc.Arbitrary<{ key: string | null; actor: Actor }> {
  const [a, b] = seeds.users;
  const refused = fc.oneof(
    fc.constantFrom(
      md5(`${a.email}:${a.accountPassword}`),
      a.revoked.feverKey,
      md5(`${a.feverLogin}:${b.appPassword}`),
      md5(`${b.feverLogin}:${a.appPassword}`),
      md5(`${a.feverLogin}:${a.appPassword.replaceAll('-', '')}`),
      a.token,
      a.appPassword,
      '',
      '0'.repeat(32),
      'x'.repeat(5000),
    ),
    mutated(a.feverKey),
    hostileText,
  );
  return fc.oneof(
    {
      weight: 10,
      arbitrary: fc.constantFrom(a.feverKey, a.feverKey.toUpperCase()).map((key) => ({ key, actor: 0 as const })),
    },
    { weight: 2, arbitrary: fc.constant({ key: b.feverKey, actor: 1 as const }) },
    { weight: 4, arbitrary: refused.map((key) => ({ key, actor: null })) },
    { weight: 1, arbitrary: fc.constant({ key: null, actor: null }) },
  );
}

const FEVER_READS = ['groups', 'feeds', 'favicons', 'items', 'links', 'unread_item_ids', 'saved_item_ids'];
const FEVER_NAMES = [
  ...FEVER_READS,
  'since_id',
  'max_id',
  'with_ids',
  'mark',
  'as',
  'id',
  'id',
  'before',
  'api',
  'refresh',
];

function feverValue(seeds: SyncSeeds, name: string): fc.Arbitrary<string> {
  const [a, b] = seeds.users;
  const number = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constantFrom(
        ...[...a.itemIds, ...b.itemIds, ...seeds.shared.itemIds, ...a.feverNumbers, ...b.feverNumbers].map(String),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom('0', '-1', '1e3', '0x10', '+5', '1.0', ' 1', '9'.repeat(17), '9007199254740993', ''),
    },
    { weight: 1, arbitrary: fc.oneof(fc.integer().map(String), fc.double().map(String), hostileText) },
  );
  switch (name) {
    case 'since_id':
    case 'max_id':
    case 'id':
      return number;
    case 'with_ids':
      return fc.oneof(
        fc.array(number, { maxLength: 8 }).map((ids) => ids.join(',')),
        fc.constant(Array.from({ length: 51 }, (_, n) => String(n + 1)).join(',')),
        fc.constantFrom(',,', '1,', ' 1 , 2 ', b.itemIds.join(','), [...a.itemIds, ...b.itemIds].join(',')),
      );
    case 'mark':
      return mostly(
        fc.constantFrom('item', 'feed', 'group'),
        fc.oneof(fc.constantFrom('ITEM', 'items', ''), hostileText),
      );
    case 'as':
      return mostly(
        fc.constantFrom('read', 'unread', 'saved', 'unsaved'),
        fc.oneof(fc.constantFrom('READ', 'kindled'), hostileText),
      );
    case 'before':
      return fc.oneof(
        fc.constantFrom('', '0', '-1', '1e3', '9'.repeat(16), '9007199254741', '1717243200', '1717243200.5'),
        hostileText,
      );
    default:
      return fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: hostileText });
  }
}

/** One hostile Fever call. */
function feverDraft(seeds: SyncSeeds) {
  const name = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...FEVER_NAMES) },
    { weight: 1, arbitrary: fc.constantFrom(...JUNK_NAMES) },
  );
  const pair = name.chain((n) => fc.tuple(fc.constant(n), feverValue(seeds, n), placement));
  const value = (n: string) => feverValue(seeds, n);
  // A whole call most of the time, so the fuzz gets past "which call" to the values in it.
  const command = fc.oneof(
    fc.tuple(value('mark'), value('as'), value('id')).map(([mark, as, id]) => [
      ['mark', mark],
      ['as', as],
      ['id', id],
    ]),
    fc
      .tuple(fc.constantFrom('feed', 'group'), mostly(fc.constant('read'), value('as')), value('id'), value('before'))
      .map(([mark, as, id, before]) => [
        ['mark', mark],
        ['as', as],
        ['id', id],
        ['before', before],
      ]),
    fc.constantFrom('since_id', 'max_id', 'with_ids').chain((n) =>
      value(n).map((v) => [
        ['items', ''],
        [n, v],
      ]),
    ),
    fc.subarray(FEVER_READS, { minLength: 1 }).map((names) => names.map((n) => [n, ''])),
  );
  return fc.record({
    command: fc.tuple(command as fc.Arbitrary<Pairs>, placement),
    // Clients append `?api` to what the user typed: with and without a slash, doubled; and paths below it.
    path: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('/api/fever/', '/api/fever', '/api/fever//') },
      { weight: 1, arbitrary: fc.constantFrom('/api/fever/x', '/api/fever/%00', '/api/fever/..%2F') },
    ),
    method: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('POST', 'POST', 'GET') },
      { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
    ),
    key: feverKey(seeds),
    keyPlacement: placement,
    pairs: fc.array(pair, { maxLength: 4 }),
    rawQuery,
    bodyKind,
    noise,
    source: fc.nat({ max: 63 }),
  });
}

type FeverDraft = typeof feverDraft extends (seeds: SyncSeeds) => fc.Arbitrary<infer R> ? R : never;

function buildFever(draft: FeverDraft): SyncRequest {
  const query: Pairs = [];
  const fields: Pairs = [];
  const [command, where] = draft.command;
  (where === 'query' ? query : fields).push(...command);
  for (const [name, value, at] of draft.pairs) (at === 'query' ? query : fields).push([name, value]);
  // One api_key only: with two, which wins is a detail (PHP's last), not a credential question.
  if (draft.key.key !== null) (draft.keyPlacement === 'query' ? query : fields).push(['api_key', draft.key.key]);
  const seen = draft.keyPlacement === 'query' || bodyRead('fever', draft.method, draft.bodyKind);
  const search = queryOf(query);
  return {
    method: draft.method,
    path: `${draft.path}?api${search === '' ? '' : `&${search}`}${draft.rawQuery}`,
    headers: {},
    bodyKind: draft.bodyKind,
    fields,
    noise: draft.noise,
    mentions: mentionsOf(query, fields, []),
    actor: seen ? draft.key.actor : null,
    editTokenOk: false,
    source: draft.source,
  };
}

/** Hostile Fever calls, as sent. */
export function feverRequests(seeds: SyncSeeds): fc.Arbitrary<SyncRequest> {
  return feverDraft(seeds).map(buildFever);
}
