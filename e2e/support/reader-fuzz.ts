import fc from 'fast-check';
import { request, type Dispatcher } from 'undici';
import type { FuzzAnswer } from './fuzz.js';

/**
 * Arbitraries for hostile input to the reader's API (apps/reader/src/routes): the auth fuzz
 * (fuzz.ts) stops at the credential, so most of these requests carry a real signed-in
 * user's and reach the handlers: bodies shaped like each route's input with every wrong
 * type, ids of the user's own things and of nothing, item queries with search syntax and
 * forged cursors, feed URLs aimed at the server's own network, OPML files broken every way.
 * No request here needs the network: feed URLs are refused, unresolvable (.invalid) or
 * invalid before any connection.
 */

/**
 * Every reader API route (routes/index.ts), with `:id` where a path segment is fuzzed. The
 * DELETEs come last: once the seeded folder and subscription are gone, the routes after
 * them would only ever answer 404.
 */
export const READER_ENDPOINTS = [
  ['GET', '/api/folders'],
  ['POST', '/api/folders'],
  ['PATCH', '/api/folders/:id'],
  ['GET', '/api/subscriptions'],
  ['POST', '/api/subscriptions'],
  ['PATCH', '/api/subscriptions/:id'],
  ['POST', '/api/subscriptions/:id/refresh'],
  ['GET', '/api/items'],
  ['POST', '/api/items/mark-read'],
  ['POST', '/api/items/read'],
  ['GET', '/api/items/:id'],
  ['PATCH', '/api/items/:id'],
  ['POST', '/api/items/:id/full-text'],
  ['PUT', '/api/items/:id/tags'],
  ['GET', '/api/catalogue'],
  ['GET', '/api/opml'],
  ['POST', '/api/opml'],
  ['GET', '/api/filters'],
  ['POST', '/api/filters'],
  ['PATCH', '/api/filters/:id'],
  ['DELETE', '/api/filters/:id'],
  ['GET', '/api/tags'],
  ['PATCH', '/api/tags/:id'],
  ['DELETE', '/api/tags/:id'],
  ['GET', '/api/preferences'],
  ['PATCH', '/api/preferences'],
  ['GET', '/api/first-run'],
  ['DELETE', '/api/subscriptions/:id'],
  ['DELETE', '/api/folders/:id'],
] as const;

export type ReaderEndpoint = (typeof READER_ENDPOINTS)[number];

/** Signed-in users of one mode: what reaches the handlers, and what the fuzz aims at. */
export interface ReaderSeeds {
  origin: string;
  /**
   * Per user, the headers a same-origin tab sends: Cookie, X-CSRF-Token, Origin,
   * Sec-Fetch-Site (and Authorization in memory-token mode). One user with nothing at all
   * (empty lists, an empty export: where the OPML 500 was) and one with a folder and a
   * subscription.
   */
  users: Record<string, string>[];
  /** Real credential values, to send mutated. */
  values: string[];
  /** Ids of the second user's things, by kind. */
  ids: { folders: string[]; subscriptions: string[]; items: string[] };
}

const allIds = (seeds: ReaderSeeds) => [...seeds.ids.folders, ...seeds.ids.subscriptions, ...seeds.ids.items];

const unicode = fc.string({ unit: 'binary', maxLength: 64 });
const asciiNoise = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 96,
});

/** A control or special character somewhere in a string: what C-string and line-based code trips on. */
const withControl = fc
  .tuple(asciiNoise, fc.nat(), fc.constantFrom('\u0000', '\u0001', '\u001b', '\u007f', '\u2028', '\ufeff', '\uffff'))
  .map(([text, at, char]) => {
    const cut = at % (text.length + 1);
    return `${text.slice(0, cut)}${char}${text.slice(cut)}`;
  });

/** Text that has broken parsers before: empty, prototype keys, quotes, FTS5 syntax, NUL, lone surrogates, long. */
const hostileText = fc.oneof(
  unicode,
  asciiNoise,
  withControl,
  fc.constantFrom(
    '',
    ' ',
    '__proto__',
    'constructor',
    '\u0000',
    'a\u0000b\u0000c',
    '"',
    '"""',
    "'",
    '%',
    '\\',
    'NEAR(a b)',
    'a* OR b^',
    '"a" AND "b',
    '*',
    '\ud800',
    '\udfff\ud800',
    '１２３',
    '中文标题',
    '<script>alert(1)</script>',
    '../..',
    'x'.repeat(101),
    'y'.repeat(201),
    'z'.repeat(5_000),
  ),
);

/** Feed addresses no fetch may reach or that fail without any network. */
const hostileUrl = fc.oneof(
  fc.constantFrom(
    'http://10.0.0.1/feed.xml',
    'http://127.0.0.1:1/',
    'http://[::1]/feed.xml',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:0:7f00:1]/',
    'http://[64:ff9b:1::a00:1]/',
    'http://[2001::1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://localhost/feed.xml',
    'http://admin.localhost./',
    'http://0x7f.1/',
    'http://2130706433/',
    'http://0/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:application/rss+xml,<rss/>',
    'ftp://feed.invalid/',
    'http://user:secret@feed.invalid/',
    'https://feed.invalid/rss.xml',
    'feed.invalid/rss',
    'http://[::1',
    'http://%zz/',
    'https://feed.invalid:99999/',
    'https://feed.invalid:0/',
    `https://feed.invalid/${'a'.repeat(2_100)}`,
  ),
  unicode.map((text) => `https://feed.invalid/${text}`),
  unicode.map((text) => `http://10.0.0.1/${encodeURIComponent(text)}`),
);

function idValue(seeds: ReaderSeeds) {
  return fc.oneof(
    fc.constantFrom(...allIds(seeds)),
    fc.uuid(),
    hostileText,
    fc.integer(),
    fc.constant(null),
    fc.jsonValue({ maxDepth: 2 }),
  );
}

const isoTime = fc.oneof(
  fc.date({ noInvalidDate: true, min: new Date(-8.64e15), max: new Date(8.64e15) }).map((d) => d.toISOString()),
  fc.constantFrom('2024-01-01T00:00:00Z', '2024-13-45T99:99:99Z', '+275760-09-13T00:00:00.000Z', '0', 'now', ''),
);

/** JSON bodies shaped like each route's input, every field of every wrong type, and bytes that are not JSON. */
/** Mostly a valid value, so the request gets past validation to what comes after it. */
function mostly<T, U>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>): fc.Arbitrary<T | U> {
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: hostile });
}

function jsonBody(seeds: ReaderSeeds) {
  const anything = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    hostileText,
    hostileUrl,
    idValue(seeds),
    fc.boolean(),
    isoTime,
  );
  const folderId = fc.constantFrom(...seeds.ids.folders);
  const subscriptionId = fc.constantFrom(...seeds.ids.subscriptions);
  const shaped = fc.oneof(
    fc.record({ name: mostly(hostileText, anything) }, { requiredKeys: [] }),
    fc.record(
      {
        url: mostly(hostileUrl, anything),
        folderId: mostly(fc.oneof(folderId, fc.constant(null)), idValue(seeds)),
        title: mostly(fc.oneof(hostileText, fc.constant(null)), anything),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        view: mostly(fc.constantFrom('all', 'unread', 'starred'), anything),
        subscriptionId: mostly(subscriptionId, idValue(seeds)),
        folderId: mostly(folderId, idValue(seeds)),
        q: hostileText,
        upTo: mostly(isoTime, anything),
      },
      { requiredKeys: ['view'] },
    ),
    fc.record({ read: mostly(fc.boolean(), anything), starred: mostly(fc.boolean(), anything) }, { requiredKeys: [] }),
    fc.record({ fullText: mostly(fc.boolean(), anything) }, { requiredKeys: [] }),
    fc.record(
      {
        action: mostly(fc.constantFrom('hide', 'keepOnly', 'star', 'markRead'), anything),
        subscriptionId: mostly(fc.oneof(subscriptionId, fc.constant(null)), idValue(seeds)),
        fields: mostly(fc.subarray(['title', 'author', 'content']), anything),
        keywords: mostly(fc.array(hostileText, { maxLength: 25 }), anything),
      },
      { requiredKeys: [] },
    ),
    fc.record({ tags: mostly(fc.array(hostileText, { maxLength: 25 }), anything) }, { requiredKeys: [] }),
    fc.record({ ids: mostly(fc.array(idValue(seeds), { maxLength: 110 }), anything) }, { requiredKeys: [] }),
    fc.record(
      {
        language: mostly(fc.constantFrom('en', 'zh-CN', null), anything),
        theme: mostly(fc.constantFrom('system', 'light', 'dark'), anything),
        fontSize: mostly(fc.constantFrom('small', 'medium', 'large', 'x-large'), anything),
        lineWidth: mostly(fc.constantFrom('narrow', 'medium', 'wide'), anything),
        markReadOnScroll: mostly(fc.boolean(), anything),
      },
      { requiredKeys: [] },
    ),
  );
  const loose = fc.dictionary(
    fc.constantFrom(
      'name',
      'url',
      'folderId',
      'title',
      'view',
      'subscriptionId',
      'q',
      'upTo',
      'read',
      'starred',
      'fullText',
      'action',
      'keywords',
      'tags',
      'ids',
      'language',
      'theme',
      '__proto__',
      'constructor',
    ),
    anything,
    { maxKeys: 6 },
  );
  return fc.oneof(
    { weight: 6, arbitrary: fc.oneof(shaped, loose).map((value) => JSON.stringify(value)) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
        unicode,
        fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
        fc.nat({ max: 5_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
        fc.constantFrom(
          '',
          'null',
          '{',
          '{"name":',
          '{"__proto__":{"admin":true},"name":"x"}',
          '{"url":"https://feed.invalid/","url":["x"]}',
          '{"read":true}x',
        ),
      ),
    },
    { weight: 1, arbitrary: fc.constant(`{"name":"${'x'.repeat(70_000)}"}`) },
  );
}

const escapeXml = (text: string) =>
  text.replace(/[&<>"]/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** OPML files: well-formed with hostile outlines, deeply nested, truncated, unescaped, in odd encodings. */
function opmlBody() {
  const feed = fc.record({
    folder: fc.option(hostileText),
    title: fc.option(hostileText),
    xmlUrl: fc.option(hostileUrl),
  });
  const document = fc.array(feed, { maxLength: 8 }).map((feeds) => {
    const outlines = feeds.map(({ folder, title, xmlUrl }) => {
      const attributes = [
        title === null ? '' : ` text="${escapeXml(title)}"`,
        xmlUrl === null ? '' : ` type="rss" xmlUrl="${escapeXml(xmlUrl)}"`,
      ].join('');
      const inner = `<outline${attributes}/>`;
      return folder === null ? inner : `<outline text="${escapeXml(folder)}">${inner}</outline>`;
    });
    return `<?xml version="1.0" encoding="utf-8"?><opml version="2.0"><head><title>t</title></head><body>${outlines.join('')}</body></opml>`;
  });
  const nested = fc
    .nat({ max: 40 })
    .map(
      (depth) =>
        `<opml version="2.0"><body>${'<outline text="f">'.repeat(depth)}<outline xmlUrl="https://feed.invalid/deep"/>${'</outline>'.repeat(depth)}</body></opml>`,
    );
  return fc.oneof(
    { weight: 4, arbitrary: document },
    { weight: 1, arbitrary: nested },
    // Cut anywhere, or with a raw (unescaped) attribute.
    { weight: 1, arbitrary: fc.tuple(document, fc.nat()).map(([text, at]) => text.slice(0, at % (text.length + 1))) },
    {
      weight: 1,
      arbitrary: hostileText.map((text) => `<opml version="2.0"><body><outline text="${text}"/></body></opml>`),
    },
    // Other encodings than the one declared: UTF-16 with and without its byte order mark.
    {
      weight: 1,
      arbitrary: document.map((text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])),
    },
    { weight: 1, arbitrary: document.map((text) => Buffer.from(text, 'utf16le')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '<opml/>',
        '<opml version="2.0"><body/></opml>',
        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><opml version="2.0"><body><outline text="&b;" xmlUrl="https://feed.invalid/&b;"/></body></opml>',
        `<opml version="2.0"><body>${'<outline xmlUrl="https://feed.invalid/x"/>'.repeat(2_100)}</body></opml>`,
      ),
    },
  );
}

const jsonContentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json; charset=latin1',
      'application/json; charset=x-bogus',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'text/x-opml',
    ),
  },
  { weight: 1, arbitrary: asciiNoise },
  { weight: 1, arbitrary: fc.constant(null) },
);

const opmlContentType = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'text/x-opml',
      'application/xml',
      'text/xml; charset=utf-8',
      'application/x-opml; charset="utf-16"',
      'application/xml; charset=utf-16le',
      'text/xml; charset=x-bogus',
      'application/xml; charset=shift_jis',
      'text/xml; charset=',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/plain') },
  { weight: 1, arbitrary: asciiNoise },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** Query strings of GET /api/items (and noise for every other route). */
function queryString(seeds: ReaderSeeds) {
  const cursor = fc.oneof(
    fc
      .tuple(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constant(-8.64e15)), fc.nat())
      .map(([at, id]) => Buffer.from(`${String(at)}.${String(id)}`).toString('base64url')),
    fc.constant(Buffer.from(`${'9'.repeat(16)}.${'9'.repeat(16)}`).toString('base64url')),
    unicode.map((text) => Buffer.from(text).toString('base64url')),
    hostileText,
  );
  const limit = fc.oneof(
    fc.integer().map(String),
    fc.constantFrom('0', '-1', '101', '1e309', 'NaN', '0x10', ' 5', '5.5', '', 'Infinity', '1'.repeat(400)),
  );
  const hostileId = fc.oneof(
    hostileText,
    idValue(seeds).map((value) => (typeof value === 'string' ? value : JSON.stringify(value))),
  );
  const params = fc.record(
    {
      view: mostly(fc.constantFrom('all', 'unread', 'starred'), hostileText),
      subscriptionId: mostly(fc.constantFrom(...seeds.ids.subscriptions), hostileId),
      folderId: mostly(fc.constantFrom(...seeds.ids.folders), hostileId),
      q: hostileText,
      cursor: mostly(fc.constant(''), cursor),
      limit: mostly(fc.integer({ min: 1, max: 100 }).map(String), limit),
    },
    { requiredKeys: [] },
  );
  return fc
    .tuple(
      params,
      fc.constantFrom(
        '',
        '&view=all&view=unread',
        '&q=%',
        '&q=%ZZ&limit=%',
        '&limit=1&limit=2',
        '&__proto__=x&constructor=y',
      ),
    )
    .map(([fields, raw]) => {
      const search = new URLSearchParams();
      // Lone surrogates cannot be percent-encoded: URLSearchParams sends U+FFFD, as a browser does.
      for (const [key, text] of Object.entries(fields)) search.append(key, text);
      const query = search.toString() + raw;
      return query === '' ? '' : `?${query}`;
    });
}

/** A credential as the fuzz sends it: a real one mostly, else one header mutated or missing. */
function credentials(seeds: ReaderSeeds) {
  const mutatedValue = fc
    .tuple(fc.constantFrom(...seeds.values), fc.nat(), fc.constantFrom('A', '.', '', '\u00e9', '='))
    .map(
      ([value, at, char]) =>
        value.slice(0, at % (value.length + 1)) + char + value.slice((at % (value.length + 1)) + 1),
    );
  // The last user has things to aim at: most requests are theirs.
  const user = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...seeds.users) },
    { weight: 2, arbitrary: fc.constant(seeds.users.at(-1) ?? {}) },
  );
  return fc.oneof(
    { weight: 7, arbitrary: user },
    {
      weight: 1,
      arbitrary: fc
        .tuple(user, fc.nat(), fc.option(fc.oneof(mutatedValue, asciiNoise)))
        .map(([real, which, replacement]) => {
          const names = Object.keys(real);
          const name = names[which % names.length] ?? 'cookie';
          const headers: Record<string, string> = { ...real };
          if (replacement === null) Reflect.deleteProperty(headers, name);
          else headers[name] = name === 'authorization' ? `Bearer ${replacement}` : replacement;
          return headers;
        }),
    },
  );
}

/** The ids a route's `:id` names: the user's own folder, subscription or items. */
function ownIdsFor(seeds: ReaderSeeds, endpoint: ReaderEndpoint): string[] {
  const path = endpoint[1];
  if (path.startsWith('/api/folders')) return seeds.ids.folders;
  if (path.startsWith('/api/subscriptions')) return seeds.ids.subscriptions;
  return seeds.ids.items;
}

/** One hostile request to one reader route. */
export function hostileReaderRequest(seeds: ReaderSeeds, endpoint: ReaderEndpoint) {
  const isOpml = endpoint[1] === '/api/opml';
  return fc.record({
    endpoint: fc.constant(endpoint),
    // Now and then (1 in 8) a method the route does not have; DELETE only on its own routes (above).
    wrongMethod: fc.oneof(
      { weight: 7, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'HEAD') },
    ),
    id: fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...ownIdsFor(seeds, endpoint)) },
      fc.constantFrom(...allIds(seeds)),
      fc.uuid(),
      fc.constantFrom('1', '0', '-1', '999999999999999', '9999999999999999', '1e3', '0x1', '1.5'),
      unicode.map(encodeURIComponent),
      fc.constantFrom('..%2F..', '%00', '%', '%2e%2e', 'a'.repeat(2_000)),
    ),
    query: fc.oneof({ weight: 3, arbitrary: queryString(seeds) }, { weight: 1, arbitrary: fc.constant('') }),
    credentials: credentials(seeds),
    contentType: isOpml ? opmlContentType : jsonContentType,
    body: fc.option(isOpml ? fc.oneof(opmlBody(), jsonBody(seeds)) : jsonBody(seeds), { freq: 8 }),
  });
}

export type HostileReaderRequest = typeof hostileReaderRequest extends (
  seeds: ReaderSeeds,
  endpoint: ReaderEndpoint,
) => fc.Arbitrary<infer R>
  ? R
  : never;

/** A string as a header carries it: UTF-8 read as Latin-1, control characters other than tab dropped. */
const headerSafe = (text: string) =>
  Buffer.from(text, 'utf8')
    .toString('latin1')
    // eslint-disable-next-line no-control-regex -- exactly the bytes a header cannot carry
    .replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '')
    .trim();

/** Sends one hostile request over the caller's connection pool (one loopback address per run). */
export async function sendToReader(
  seeds: ReaderSeeds,
  hostile: HostileReaderRequest,
  dispatcher: Dispatcher,
): Promise<FuzzAnswer> {
  const [defaultMethod, template] = hostile.endpoint;
  const method = hostile.wrongMethod ?? defaultMethod;
  const path = template.replace(':id', hostile.id) + hostile.query;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(hostile.credentials)) headers[name] = headerSafe(value);
  if (hostile.contentType !== null) headers['content-type'] = headerSafe(hostile.contentType);
  const hasBody = hostile.body !== null && method !== 'GET' && method !== 'HEAD';
  const response = await request(`${seeds.origin}${path}`, {
    method,
    headers,
    dispatcher,
    ...(hasBody ? { body: hostile.body ?? '' } : {}),
  });
  const text = await response.body.text();
  const type = response.headers['content-type'];
  return { status: response.statusCode, contentType: typeof type === 'string' ? type : '', text };
}
