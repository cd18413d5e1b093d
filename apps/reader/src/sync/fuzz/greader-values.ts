/** Values for Google Reader parameters: stream ids, item ids, and what each parameter name takes. */

import fc from 'fast-check';
import type { SyncSeeds } from './fuzz-types.js';
import { hostileText, mostly, mutated } from './hostile-values.js';

const READING_LIST = 'user/-/state/com.google/reading-list';

export function streamIds(seeds: SyncSeeds): fc.Arbitrary<string> {
  const [a, b] = seeds.users;
  const own = [
    READING_LIST,
    'user/-/state/com.google/starred',
    'user/-/state/com.google/read',
    'user/-/state/com.google/kept-unread',
    ...a.feedIds.map((id) => `feed/${id}`),
    `feed/${seeds.shared.feedId}`,
    `feed/${a.feedUrls[0] ?? ''}`,
    `user/-/label/${a.folderName}`,
    `user/${a.userId}/label/${a.folderName}`,
  ];
  const theirs = [
    ...b.feedIds.map((id) => `feed/${id}`),
    ...b.feedUrls.map((url) => `feed/${url}`),
    `user/-/label/${b.folderName}`,
    `user/${b.userId}/label/${b.folderName}`,
    `user/${b.userId}/state/com.google/starred`,
  ];
  const malformed = [
    '',
    'feed',
    'feed/',
    'user/-/label/',
    'user//label/x',
    'user/-/state/com.google/',
    'user/-/state/com.google/bogus',
    'user/-/state/com.google/READ',
    'user/-/state/com.google/constructor',
    'user/-/state/com.google/__proto__',
    'user/-/state/com.example/read',
    `user/-/state/com.google/${'a'.repeat(41)}`,
    'label/x',
    '__proto__',
    'feed/00000000-0000-0000-0000-000000000000',
    `user/-/label/${'x'.repeat(5000)}`,
    'feed/\u0000',
    'user/-/label/\u0000',
    `feed/${a.feedIds[0] ?? ''}\u0000`,
    `feed/${(a.feedIds[0] ?? '').toUpperCase()}`,
    `feed/ ${a.feedIds[0] ?? ''}`,
    "user/-/label/' OR 1=1 --",
    'feed/%',
  ];
  const prefixed = fc
    .tuple(
      fc.constantFrom('', 'feed/', 'user/-/label/', 'user/-/state/com.google/', `user/${b.userId}/label/`),
      hostileText,
    )
    .map(([prefix, text]) => prefix + text);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...own) },
    { weight: 3, arbitrary: fc.constantFrom(...theirs) },
    { weight: 3, arbitrary: fc.constantFrom(...malformed) },
    { weight: 1, arbitrary: fc.uuid().map((id) => `feed/${id}`) },
    { weight: 2, arbitrary: prefixed },
  );
}

/** Item ids in every spelling the protocol has, and in every broken one; ours, theirs and none. */
function itemIds(seeds: SyncSeeds): fc.Arbitrary<string> {
  const [a, b] = seeds.users;
  const number = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...[...a.itemIds, ...seeds.shared.itemIds].map(BigInt)) },
    { weight: 2, arbitrary: fc.constantFrom(...b.itemIds.map(BigInt)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(0n, -1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n, 10n ** 17n),
    },
    { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }) },
  );
  const spelled = fc.tuple(number, fc.nat({ max: 6 })).map(([id, how]) => {
    const magnitude = id < 0n ? -id : id;
    const hex = magnitude.toString(16);
    const sign = id < 0n ? '-' : '';
    const forms = [
      `${sign}${magnitude.toString()}`,
      `tag:google.com,2005:reader/item/${sign}${hex.padStart(16, '0')}`,
      `tag:google.com,2005:reader/item/${sign}${hex}`,
      `${sign}${hex.padStart(16, '0')}`,
      `${sign}0x${hex}`,
      `${sign}${hex.padStart(16, '0').toUpperCase()}`,
      ` ${String(id)} `,
    ];
    return forms[how] ?? String(id);
  });
  const broken = fc.constantFrom(
    '',
    ' ',
    '-0',
    '1.0',
    '1e2',
    '0x',
    'tag:google.com,2005:reader/item/',
    'tag:google.com,2005:reader/item/zz',
    `tag:google.com,2005:reader/item/${'0'.repeat(16)}1`,
    '1'.repeat(17),
    '9'.repeat(17),
    '9'.repeat(400),
    '１',
    '1\u0000',
    'NaN',
    '__proto__',
  );
  return fc.oneof(
    { weight: 12, arbitrary: spelled },
    { weight: 1, arbitrary: broken },
    { weight: 1, arbitrary: hostileText },
  );
}

const stateIds = (...states: string[]) => states.map((state) => `user/-/state/com.google/${state}`);
/** The states edit-tag keeps or accepts without effect; then ones it must refuse. */
const TAGS = stateIds('read', 'starred', 'kept-unread', 'tracking-kept-unread', 'broadcast');
const BAD_TAGS = stateIds('bogus', 'READ', 'reading-list', '');

export function greaderValue(seeds: SyncSeeds, route: string, name: string): fc.Arbitrary<string> {
  const [a, b] = seeds.users;
  const streams = streamIds(seeds);
  // Folders: ours, theirs, near misses (case, spaces, too long), or any stream id at all.
  const labels = mostly(
    fc.constantFrom(
      `user/-/label/${a.folderName}`,
      `user/${a.userId}/label/${a.folderName}`,
      `user/-/label/ ${a.folderName} `,
      `user/-/label/${a.folderName.toUpperCase()}`,
      `user/-/label/${a.folderName} 2`,
      `user/-/label/${b.folderName}`,
      `user/${b.userId}/label/${b.folderName}`,
      'user/-/label/ ',
      `user/-/label/${'y'.repeat(101)}`,
    ),
    streams,
  );
  const tags = mostly(fc.constantFrom(...TAGS), fc.oneof(fc.constantFrom(...BAD_TAGS), labels));
  // Subscribing tries feed ids (ours: already subscribed, a no-op; theirs: no address at all)
  // and what fails without a fetch; never a feed's address, since subscribing to a public
  // feed by its address is allowed, and that user's titles in the answer would be no leak.
  const feeds = mostly(
    fc.constantFrom(...a.feedIds, ...b.feedIds, seeds.shared.feedId, ...seeds.failingUrls),
    hostileText,
  );
  const folderRoute = route.endsWith('subscription/edit') || route.endsWith('-tag');
  const seconds = fc.oneof(
    fc.constantFrom('', '-1', '1e9', '9'.repeat(30), '1.', '.5', '1717243200', '1717243200.5', 'yesterday', '0x10'),
    fc.double().map(String),
    fc.integer().map(String),
  );
  switch (name) {
    case 's':
      if (route.endsWith('subscription/edit')) return feeds.map((feed) => `feed/${feed}`);
      return route.endsWith('rename-tag') || route.endsWith('disable-tag') ? labels : streams;
    case 'it':
    case 'xt':
      return streams;
    case 'dest':
      return labels;
    case 'i':
      return itemIds(seeds);
    case 'a':
    case 'r':
      if (route.endsWith('subscription/edit')) return labels;
      return folderRoute ? tags : fc.constantFrom('o', 'd', 'n', 'x', '', 'O');
    case 'n':
      return mostly(
        fc.integer({ min: 1, max: 1000 }).map(String),
        fc.oneof(
          fc.constantFrom('0', '-1', '1.5', '1e3', '0x10', ' 5', '+5', '１２', '9'.repeat(20), '1001', '10001', 'NaN'),
          fc.double().map(String),
          fc.integer().map(String),
        ),
      );
    case 'c':
      return fc.oneof(
        fc.constantFrom(a.continuation, b.continuation),
        mutated(a.continuation),
        fc
          .tuple(
            fc.constantFrom('d', 'o', 'x', ''),
            fc.oneof(fc.integer(), fc.double()),
            fc.oneof(fc.nat(), fc.double()),
          )
          .map(([mark, at, id]) => Buffer.from(`${mark}.${String(at)}.${String(id)}`).toString('base64url')),
        fc.constant(Buffer.from(`d.${'9'.repeat(16)}.${'9'.repeat(16)}`).toString('base64url')),
        hostileText,
      );
    case 'ot':
    case 'nt':
      return seconds;
    case 'ts':
      return fc.oneof(
        fc.constantFrom('', '-1', '1e3', '9'.repeat(17), '9'.repeat(18), '1.5'),
        fc.bigInt({ min: 0n, max: 10n ** 17n }).map(String),
      );
    case 'ac':
      return mostly(fc.constantFrom('subscribe', 'unsubscribe', 'edit'), fc.oneof(hostileText, fc.constant('EDIT')));
    case 't':
      return fc.oneof(hostileText, fc.constantFrom('y'.repeat(201), a.folderName, b.folderName));
    case 'quickadd':
      return fc.oneof(
        feeds,
        feeds.map((feed) => `feed/${feed}`),
      );
    case 'output':
      return fc.constantFrom('json', 'xml', '', 'JSON');
    default:
      return hostileText;
  }
}
