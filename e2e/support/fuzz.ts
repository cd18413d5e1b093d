import fc from 'fast-check';
import { Agent, request } from 'undici';
import { otherLoopbackAddress } from './accounts.js';
import { ACCESS_COOKIE, CSRF_COOKIE, REFRESH_COOKIE, SESSION_COOKIE } from './modes.js';

/**
 * Arbitraries for hostile input to the auth API: malformed cookies, headers, tokens, JSON
 * bodies and Unicode. Header values travel as bytes, so Unicode in them is its UTF-8 read
 * as Latin-1 (what a raw client puts on the wire); bodies may be any bytes at all.
 */

/** Every auth route, with `:id` where a path segment is fuzzed too. */
export const AUTH_ENDPOINTS: readonly (readonly [string, string])[] = [
  ['GET', '/api/auth/csrf'],
  ['POST', '/api/auth/signup'],
  ['POST', '/api/auth/login'],
  ['POST', '/api/auth/logout'],
  ['POST', '/api/auth/logout-all'],
  ['GET', '/api/auth/me'],
  ['GET', '/api/auth/sessions'],
  ['DELETE', '/api/auth/sessions/:id'],
  ['POST', '/api/auth/password'],
  ['POST', '/api/auth/refresh'],
  ['POST', '/api/auth/token'],
  ['POST', '/api/auth/service-token'],
  ['GET', '/api/auth/api-keys'],
  ['POST', '/api/auth/api-keys'],
  ['DELETE', '/api/auth/api-keys/:id'],
  // The account lifecycle (issue 13). DELETE /account is left out on purpose: its only input
  // is the credential, fuzzed on every route here, and a hit would end the fuzz's own user.
  ['POST', '/api/auth/reauthenticate'],
  ['POST', '/api/auth/verify-email/send'],
  ['POST', '/api/auth/verify-email'],
  ['POST', '/api/auth/password-reset'],
  ['POST', '/api/auth/password-reset/check'],
  ['POST', '/api/auth/password-reset/confirm'],
  ['POST', '/api/auth/email'],
  ['POST', '/api/auth/email/confirm'],
  ['POST', '/api/auth/password-check'],
  ['POST', '/api/auth/revoke'],
  // Second factors and passkeys (issue 14).
  ['POST', '/api/auth/login/second-factor'],
  ['POST', '/api/auth/login/second-factor/options'],
  ['POST', '/api/auth/login/passkey/options'],
  ['POST', '/api/auth/login/passkey'],
  ['POST', '/api/auth/reauthenticate/options'],
  ['GET', '/api/auth/second-factors'],
  ['PUT', '/api/auth/second-factors/step-up'],
  ['POST', '/api/auth/totp/setup'],
  ['POST', '/api/auth/totp/enable'],
  ['DELETE', '/api/auth/totp'],
  ['POST', '/api/auth/recovery-codes'],
  ['POST', '/api/auth/passkeys/options'],
  ['POST', '/api/auth/passkeys'],
  ['PATCH', '/api/auth/passkeys/:id'],
  ['DELETE', '/api/auth/passkeys/:id'],
  // App passwords for reader apps (issue 18).
  ['GET', '/api/auth/app-passwords'],
  ['POST', '/api/auth/app-passwords'],
  ['DELETE', '/api/auth/app-passwords/:id'],
  ['GET', '/.well-known/jwks.json'],
];

/** Real credentials of a signed-in user, for the fuzz to mutate (deeper than pure noise). */
export interface Seeds {
  origin: string;
  values: string[];
  /** A real Cookie header and its CSRF token: requests that pass CSRF reach the handlers' own checks. */
  sameOrigin?: { cookie: string; csrfToken: string };
}

const unicode = fc.string({ unit: 'binary', maxLength: 64 });
const asciiNoise = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 96,
});

/** A string as a header carries it: UTF-8 bytes read as Latin-1, control characters other than tab dropped. */
const headerSafe = (text: string) =>
  Buffer.from(text, 'utf8')
    .toString('latin1')
    // eslint-disable-next-line no-control-regex -- exactly the bytes a header cannot carry
    .replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '')
    .trim();

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function mutated(seed: string) {
  return fc.oneof(
    fc.nat({ max: seed.length }).map((at) => seed.slice(0, at)),
    fc
      .tuple(fc.nat({ max: Math.max(seed.length - 1, 0) }), fc.constantFrom('A', '.', '-', '_', '=', 'é', '\u{1F600}'))
      .map(([at, char]) => seed.slice(0, at) + char + seed.slice(at + 1)),
    fc.constant(`${seed}${seed}`),
    fc.constant(seed.split('.').reverse().join('.')),
    fc.constant(seed.split('.').slice(0, 2).join('.') + '.'),
  );
}

/** JWT-shaped or not: forged headers (alg none, odd kids), random segments, mutated real tokens. */
function token(seeds: Seeds) {
  const forgedHeader = fc
    .record({
      alg: fc.oneof(fc.constantFrom('none', 'HS256', 'RS256', 'EdDSA', 'ES256', 'NONE'), unicode),
      kid: fc.option(fc.oneof(unicode, fc.constantFrom('../../etc/passwd', "' or 1=1 --"))),
      typ: fc.option(fc.constantFrom('JWT', 'at+jwt')),
    })
    .map((header) => base64url(JSON.stringify(header)));
  const segment = fc.oneof(
    fc.base64String({ maxLength: 64 }),
    unicode.map(base64url),
    fc.jsonValue().map((v) => base64url(JSON.stringify(v))),
  );
  const jwtShaped = fc.tuple(forgedHeader, segment, segment).map((parts) => parts.join('.'));
  return fc.oneof(
    jwtShaped,
    asciiNoise,
    unicode,
    fc.constantFrom(...seeds.values).chain(mutated),
    fc.constantFrom(...seeds.values),
  );
}

function cookieHeader(seeds: Seeds) {
  const name = fc.oneof(
    fc.constantFrom(SESSION_COOKIE, ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE),
    asciiNoise,
    unicode,
  );
  const pair = fc.tuple(name, fc.oneof(token(seeds), fc.constant(''))).map(([n, v]) => `${n}=${v}`);
  return fc.oneof(
    fc.array(pair, { maxLength: 6 }).map((pairs) => pairs.join('; ')),
    asciiNoise,
    unicode,
    fc.constantFrom('=', ';;;', '__Host-gh_session', '__Host-gh_session="', `${SESSION_COOKIE}=a; ${SESSION_COOKIE}=b`),
  );
}

/** JSON of every shape, the fields the routes read with every wrong type, and bytes that are not JSON. */
function body(seeds: Seeds) {
  const field = fc.oneof(fc.jsonValue({ maxDepth: 3 }), unicode, token(seeds), fc.emailAddress());
  const fields = fc.dictionary(
    fc.constantFrom(
      'email',
      'password',
      'name',
      'remember',
      'refresh_token',
      'currentPassword',
      'newPassword',
      'scopes',
      'client_id',
      'client_secret',
      '__proto__',
      'constructor',
    ),
    field,
    { maxKeys: 5 },
  );
  return fc.oneof(
    fields.map((value) => JSON.stringify(value)),
    fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
    unicode,
    fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
    fc.nat({ max: 5_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
    fc.constantFrom(
      '',
      'null',
      '{',
      '{"email":',
      '\u0000',
      '{"email":"a@b.c","password":"x"}x',
      '{"__proto__":{"admin":true},"email":"a@example.test","password":"correct horse battery staple"}',
      '{"email":"a@example.test","email":["b@example.test"],"password":"correct horse battery staple"}',
    ),
    fc.constant('x'.repeat(20_000)),
  );
}

/** Mostly JSON, so bodies get past the media-type check to the parsers and validators. */
const contentType = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/merge-patch+json',
    ),
  },
  { weight: 1, arbitrary: asciiNoise },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** One hostile request: endpoint, method (now and then the wrong one), headers and body. */
export function hostileRequest(seeds: Seeds) {
  const idSegment = fc.oneof(
    fc.uuid(),
    unicode.map(encodeURIComponent),
    fc.constantFrom('..%2F..', '%00', '%', 'a'.repeat(2_000)),
  );
  return fc.record({
    endpoint: fc.constantFrom(...AUTH_ENDPOINTS),
    // Now and then (1 in 8) a method the route does not have.
    wrongMethod: fc.oneof(
      { weight: 7, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') },
    ),
    // Half the time the request passes CSRF as a same-origin tab would, so the fuzz gets past it.
    passCsrf: fc.boolean(),
    id: idSegment,
    query: fc.option(unicode.map((q) => `?${encodeURIComponent(q)}=${encodeURIComponent(q)}`)),
    cookie: fc.option(cookieHeader(seeds)),
    authorization: fc.option(
      fc.oneof(
        token(seeds).map((t) => `Bearer ${t}`),
        token(seeds),
        fc.constantFrom('Bearer', 'Bearer ', 'Basic Og==', 'bearer  x.y.z', 'Bearer a b c'),
      ),
    ),
    origin: fc.option(
      fc.oneof(
        fc.constant(seeds.origin),
        fc.constantFrom('null', 'http://127.0.0.1:1', 'file://'),
        asciiNoise,
        unicode,
      ),
    ),
    secFetchSite: fc.option(fc.oneof(fc.constantFrom('same-origin', 'same-site', 'cross-site', 'none'), asciiNoise)),
    csrf: fc.option(fc.oneof(token(seeds), fc.constant(''))),
    contentType,
    body: fc.option(body(seeds)),
  });
}

export type HostileRequest = typeof hostileRequest extends (seeds: Seeds) => fc.Arbitrary<infer R> ? R : never;

export interface FuzzAnswer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * Sends one hostile request from a loopback address of its own (so the fuzz never spends
 * the browser's rate-limit budget on 127.0.0.1), as raw as undici allows.
 */
export async function send(seeds: Seeds, hostile: HostileRequest): Promise<FuzzAnswer> {
  const { origin } = seeds;
  const [defaultMethod, template] = hostile.endpoint;
  const method = hostile.wrongMethod ?? defaultMethod;
  const path = template.replace(':id', hostile.id) + (hostile.query ?? '');
  const headers: Record<string, string> = {};
  const set = (name: string, value: string | null) => {
    if (value !== null) headers[name] = headerSafe(value);
  };
  set('cookie', hostile.cookie);
  set('authorization', hostile.authorization);
  set('origin', hostile.origin);
  set('sec-fetch-site', hostile.secFetchSite);
  set('x-csrf-token', hostile.csrf);
  set('content-type', hostile.contentType);
  if (hostile.passCsrf && seeds.sameOrigin !== undefined) {
    const fuzzed = hostile.cookie === null ? '' : `; ${headers.cookie ?? ''}`;
    headers.cookie = `${seeds.sameOrigin.cookie}${fuzzed}`;
    headers.origin = origin;
    headers['sec-fetch-site'] = 'same-origin';
    headers['x-csrf-token'] = seeds.sameOrigin.csrfToken;
  }
  const hasBody = hostile.body !== null && method !== 'GET' && method !== 'HEAD';
  const dispatcher = new Agent({ localAddress: otherLoopbackAddress() });
  try {
    const response = await request(`${origin}${path}`, {
      method,
      headers,
      dispatcher,
      ...(hasBody ? { body: hostile.body ?? '' } : {}),
    });
    const text = await response.body.text();
    const type = response.headers['content-type'];
    return { status: response.statusCode, contentType: typeof type === 'string' ? type : '', text };
  } finally {
    await dispatcher.close();
  }
}
