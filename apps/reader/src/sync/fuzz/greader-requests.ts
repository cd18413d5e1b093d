/** Hostile Google Reader requests: credentials, every route, and how a draft goes on the wire. */

import fc from 'fast-check';
import type { Actor, Pairs, SyncRequest, SyncSeeds } from './fuzz-types.js';
import { greaderValue, streamIds } from './greader-values.js';
import { ascii, hostileText, md5, mutated } from './hostile-values.js';
import {
  bodyKind,
  bodyRead,
  JUNK_NAMES,
  mentionsOf,
  noise,
  percentEncode,
  placement,
  queryOf,
  rawQuery,
} from './request-parts.js';

/** Who a Google Reader request claims to be, and whether that should pass. */
function googleLogin(seeds: SyncSeeds): fc.Arbitrary<{ headers: Record<string, string>; actor: Actor }> {
  const [a, b] = seeds.users;
  const as = (token: string) => ({ authorization: `GoogleLogin auth=${token}` });
  const refused = fc.oneof(
    fc.constant({}),
    mutated(a.token).map(as),
    ascii.map(as),
    ascii.map((value) => ({ authorization: value })),
    fc.constantFrom(
      { authorization: `GoogleLogin auth=${a.revoked.token}` },
      { authorization: `Bearer ${a.token}` },
      { authorization: `GoogleLogin ${a.token}` },
      { authorization: 'GoogleLogin auth=' },
      { authorization: `GoogleLogin auth=${a.token},x` },
      { authorization: `GoogleLogin auth=${a.appPassword}` },
      { authorization: `GoogleLogin auth=${a.editToken}` },
      { authorization: `GoogleLogin auth=${a.feverKey}` },
      { authorization: `Basic ${Buffer.from(`${a.email}:${a.appPassword}`).toString('base64')}` },
      a.session,
    ),
  );
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant({ headers: as(a.token), actor: 0 as const }) },
    { weight: 2, arbitrary: fc.constant({ headers: as(b.token), actor: 1 as const }) },
    { weight: 5, arbitrary: refused.map((headers) => ({ headers, actor: null })) },
  );
}

/** ClientLogin's Email and Passwd: the app password in the spellings the spec tolerates, or anything else. */
function clientLogin(seeds: SyncSeeds): fc.Arbitrary<{ email: string; passwd: string; actor: Actor }> {
  const user = fc.constantFrom(0 as const, 1 as const);
  const good = user.chain((index) => {
    const { email, appPassword } = seeds.users[index];
    const passwd = fc.constantFrom(
      appPassword,
      appPassword.toUpperCase(),
      appPassword.replaceAll('-', ''),
      appPassword.replaceAll('-', ' '),
    );
    return fc.record({ email: fc.constantFrom(email, email.toUpperCase()), passwd, actor: fc.constant(index) });
  });
  const [a, b] = seeds.users;
  const bad = fc.record({
    email: fc.oneof(fc.constantFrom(a.email, b.email, ''), hostileText),
    passwd: fc.oneof(
      fc.constantFrom(
        a.accountPassword,
        a.revoked.appPassword,
        a.feverKey,
        a.token,
        md5(`${a.email}:${a.accountPassword}`),
        '',
      ),
      mutated(a.appPassword.replaceAll('-', '')),
      hostileText,
    ),
    actor: fc.constant(null),
  });
  // Crossed: one user's address with the other's app password.
  const crossed = fc.constant({ email: a.email, passwd: b.appPassword, actor: null });
  return fc.oneof({ weight: 2, arbitrary: good }, { weight: 3, arbitrary: bad }, { weight: 1, arbitrary: crossed });
}

const API = '/reader/api/0';

interface GreaderRoute {
  method: string;
  path: string;
  /** Always sent (repeated names, repeated), so most requests get past "missing parameter". */
  required: string[];
  /** Any of these too. */
  optional: string[];
  pathStream?: true;
}

const LISTING = ['n', 'c', 'r', 'ot', 'nt', 'xt', 'it', 'xt'];

/** Every Google Reader route and the parameters it reads. */
const GREADER_ROUTES: readonly GreaderRoute[] = [
  { method: 'POST', path: '/accounts/ClientLogin', required: [], optional: ['output', 'service', 'accountType'] },
  { method: 'GET', path: `${API}/token`, required: [], optional: ['output'] },
  { method: 'GET', path: `${API}/user-info`, required: [], optional: ['output'] },
  { method: 'GET', path: `${API}/subscription/list`, required: [], optional: ['output'] },
  { method: 'POST', path: `${API}/subscription/edit`, required: ['ac', 's'], optional: ['s', 's', 't', 'a', 'r'] },
  { method: 'POST', path: `${API}/subscription/quickadd`, required: ['quickadd'], optional: [] },
  { method: 'GET', path: `${API}/tag/list`, required: [], optional: ['output'] },
  { method: 'POST', path: `${API}/rename-tag`, required: ['s', 'dest'], optional: ['t', 'dest'] },
  { method: 'POST', path: `${API}/disable-tag`, required: ['s'], optional: ['t', 's'] },
  { method: 'POST', path: `${API}/edit-tag`, required: ['i', 'a'], optional: ['i', 'r', 'a'] },
  { method: 'GET', path: `${API}/unread-count`, required: [], optional: ['output', 'all'] },
  { method: 'POST', path: `${API}/mark-all-as-read`, required: ['s'], optional: ['ts'] },
  { method: 'GET', path: `${API}/stream/contents`, required: [], optional: ['s', ...LISTING], pathStream: true },
  { method: 'GET', path: `${API}/stream/items/ids`, required: ['s'], optional: ['s', ...LISTING] },
  { method: 'POST', path: `${API}/stream/items/contents`, required: ['i'], optional: ['i', 'r', 'output'] },
  { method: 'GET', path: '/reader/atom', required: [], optional: LISTING, pathStream: true },
  { method: 'GET', path: `${API}/no-such-route`, required: [], optional: ['s'] },
];

const wrongMethod = fc.oneof(
  { weight: 9, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
);

/** One hostile Google Reader request, before it is put on the wire (the stream in the path, if any, as `encoding` says). */
function greaderDraft(seeds: SyncSeeds) {
  // Routes that write, or take item ids and stream ids, twice as often: that is where the checks are.
  const busy = GREADER_ROUTES.filter((route) => route.required.length > 0 || route.pathStream === true);
  const route = fc.oneof(fc.constantFrom(...GREADER_ROUTES), fc.constantFrom(...busy));
  return route.chain((route) => {
    // Where GETs put their parameters is the query, POSTs the body; now and then the other.
    const where = route.method === 'GET' ? placement.map((p) => (p === 'body' ? 'query' : 'body')) : placement;
    const pair = (name: string) => fc.tuple(fc.constant(name), greaderValue(seeds, route.path, name), where);
    const extraName = fc.constantFrom(...JUNK_NAMES, ...route.optional, ...route.required, 'i', 's');
    const pairs = fc
      .tuple(
        fc.tuple(...route.required.map(pair)),
        fc.subarray(route.optional).chain((names) => fc.tuple(...names.map(pair))),
        fc.array(extraName.chain(pair), { maxLength: 2 }),
      )
      .map(([required, optional, extra]) => [...required, ...optional, ...extra]);
    return fc.record({
      route: fc.constant(route),
      doubledSlash: fc.boolean(),
      wrongMethod,
      auth: googleLogin(seeds),
      login: clientLogin(seeds),
      loginPlacement: placement,
      editToken: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom('own', 'own', 'ownNewline') },
        { weight: 3, arbitrary: fc.constantFrom('other', 'revoked', 'mutated', 'missing', 'garbage') },
      ),
      editTokenPlacement: placement,
      mutatedToken: mutated(seeds.users[0].editToken),
      pairs,
      pathStream: route.pathStream ? fc.option(streamIds(seeds), { freq: 4 }) : fc.constant(null),
      encoding: fc.constantFrom('full', 'full', 'slashes', 'badPercent'),
      rawQuery,
      bodyKind,
      noise,
      source: fc.nat({ max: 63 }),
    });
  });
}

type GreaderDraft = typeof greaderDraft extends (seeds: SyncSeeds) => fc.Arbitrary<infer R> ? R : never;

/** The wire request a Google Reader draft makes, and whose credential it carries. */
function buildGreader(seeds: SyncSeeds, draft: GreaderDraft): SyncRequest {
  const { route } = draft;
  const method = draft.wrongMethod ?? route.method;
  const readBody = bodyRead('greader', method, draft.bodyKind);
  const query: Pairs = [];
  const fields: Pairs = [];
  const put = (where: string, entry: [string, string]) => (where === 'query' ? query : fields).push(entry);
  for (const [name, value, where] of draft.pairs) put(where, [name, value]);

  // ClientLogin's credential is its Email and Passwd, and counts only where the server reads them.
  const isLogin = route.path === '/accounts/ClientLogin';
  if (isLogin) {
    put(draft.loginPlacement, ['Email', draft.login.email]);
    put(draft.loginPlacement, ['Passwd', draft.login.passwd]);
  }
  const loginSeen = draft.loginPlacement === 'query' || readBody;
  const actor: Actor = isLogin ? (loginSeen ? draft.login.actor : null) : draft.auth.actor;

  const [a, b] = seeds.users;
  const own = actor === null ? a : seeds.users[actor];
  const other = own === a ? b : a;
  const tokens: Record<string, string | null> = {
    own: own.editToken,
    ownNewline: `${own.editToken}\n`,
    other: other.editToken,
    revoked: own.revoked.editToken,
    mutated: draft.mutatedToken,
    missing: null,
    garbage: 'T',
  };
  const editToken = tokens[draft.editToken] ?? null;
  if (editToken !== null) put(draft.editTokenPlacement, ['T', editToken]);
  const tokenSeen = draft.editTokenPlacement === 'query' || readBody;
  const editTokenOk = actor !== null && tokenSeen && (draft.editToken === 'own' || draft.editToken === 'ownNewline');

  let path = `/api/greader${draft.doubledSlash ? '/' : ''}${route.path}`;
  if (draft.pathStream !== null) {
    const encoded =
      draft.encoding === 'slashes'
        ? percentEncode(draft.pathStream, /[A-Za-z0-9_.~:/-]/u)
        : percentEncode(draft.pathStream);
    path += `/${encoded}${draft.encoding === 'badPercent' ? '%E' : ''}`;
  }
  const search = queryOf(query) + draft.rawQuery;
  if (search !== '') path += `?${search}`;
  return {
    method,
    path,
    headers: isLogin ? {} : draft.auth.headers,
    bodyKind: draft.bodyKind,
    fields,
    noise: draft.noise,
    mentions: mentionsOf(query, fields, [draft.pathStream ?? '', ...Object.values(draft.auth.headers)]),
    actor,
    editTokenOk,
    source: draft.source,
  };
}

/** Hostile Google Reader requests, as sent (fast-check shrinks the draft, and prints this). */
export function greaderRequests(seeds: SyncSeeds): fc.Arbitrary<SyncRequest> {
  return greaderDraft(seeds).map((draft) => buildGreader(seeds, draft));
}
