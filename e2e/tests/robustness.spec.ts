import fc from 'fast-check';
import { fetch } from 'undici';
import { TestBrowser } from '../../test-support/test-browser.js';
import { NativeClient } from '../../test-support/token-client.js';
import { otherLoopbackAddress, PASSWORD, uniqueEmail } from '../support/accounts.js';
import type { AppServerInfo } from '../support/app-servers.js';
import { appServer } from '../support/environment.js';
import { hostileRequest, send, type Seeds } from '../support/fuzz.js';
import { expect, test } from '../support/fixtures.js';
import { BROWSER_MODES, type Column } from '../support/modes.js';
import { scorecard } from '../support/scorecard.js';

// Robustness: a bounded property-based fuzz (fast-check) of every auth endpoint of the built
// server, in each mode: malformed cookies, headers, tokens (forged, truncated, mutated real
// ones), JSON bodies of every shape, bytes that are not UTF-8, Unicode everywhere. Every
// answer must be below 500, every refusal a problem+json, and the server must still serve a
// normal sign-in afterwards. A failure prints fast-check's seed and path to replay it.
const RUNS = 400;

/** A live browser user's credentials in this mode: what the fuzz mutates. */
async function browserSeeds(server: AppServerInfo): Promise<Seeds> {
  const client = new TestBrowser(server.origin, otherLoopbackAddress(), 'e2e-fuzz-seed/1.0');
  const signup = await client.signup(uniqueEmail(`fuzz-${server.mode}`), PASSWORD);
  expect(signup.status).toBe(201);
  const body = (await signup.json()) as { access_token?: string };
  const csrfToken = await client.csrfToken();
  const values = [...client.cookies.values(), csrfToken];
  if (body.access_token !== undefined) values.push(body.access_token);
  return { origin: server.origin, values, sameOrigin: { cookie: client.cookieHeader('/api/auth/refresh'), csrfToken } };
}

async function nativeSeeds(server: AppServerInfo): Promise<Seeds> {
  const email = uniqueEmail('fuzz-native');
  const seed = new TestBrowser(server.origin, otherLoopbackAddress(), 'e2e-fuzz-seed/1.0');
  expect((await seed.signup(email, PASSWORD)).status).toBe(201);
  const tokens = await new NativeClient(server.origin).signIn(email, PASSWORD);
  return { origin: server.origin, values: [tokens.access_token, tokens.refresh_token] };
}

async function fuzz(server: AppServerInfo, seeds: Seeds): Promise<void> {
  // How the answers spread (kept in the report): a fuzz that only ever met one 400 proved little.
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(hostileRequest(seeds), async (hostile) => {
      const answer = await send(seeds, hostile);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status >= 500) throw new Error(`${String(answer.status)}: ${answer.text.slice(0, 300)}`);
      // A refusal says why, in problem+json (HEAD has no body to say it in).
      const method = hostile.wrongMethod ?? hostile.endpoint[0];
      if (answer.status >= 400 && method !== 'HEAD' && !answer.contentType.startsWith('application/problem+json')) {
        throw new Error(
          `${String(answer.status)} as ${answer.contentType || 'no content type'}: ${answer.text.slice(0, 300)}`,
        );
      }
    }),
    { numRuns: RUNS },
  );
  const spread = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${String(status)}×${String(count)}`);
  test.info().annotations.push({ type: 'statuses', description: spread.join(' ') });
  expect(statuses.size).toBeGreaterThan(3);
}

/** Still up, and still doing its job: health, and a real sign-up that authenticates. */
async function expectServing(server: AppServerInfo): Promise<void> {
  expect((await fetch(`${server.origin}/api/health`)).status).toBe(200);
  const client = new TestBrowser(server.origin, otherLoopbackAddress(), 'e2e-fuzz-after/1.0');
  const signup = await client.signup(uniqueEmail('after-fuzz'), PASSWORD);
  expect(signup.status).toBe(201);
  // memory-token answers with an access token for the Authorization header; the others set cookies.
  const { access_token: accessToken } = (await signup.json()) as { access_token?: string };
  const headers = accessToken === undefined ? {} : { headers: { Authorization: `Bearer ${accessToken}` } };
  expect((await client.request('GET', '/api/auth/me', headers)).status).toBe(200);
}

const OUTCOME = `No 500 in ${String(RUNS)} hostile requests; server stays up`;

for (const mode of BROWSER_MODES) {
  test(
    `${mode}: ${String(RUNS)} malformed requests across every auth endpoint: no 500, refusals in problem+json, server still serving`,
    scorecard('robustness', mode satisfies Column, OUTCOME),
    async () => {
      const server = appServer(mode);
      await fuzz(server, await browserSeeds(server));
      await expectServing(server);
    },
  );
}

test(
  `bearer: ${String(RUNS)} malformed requests built on real native tokens: no 500, refusals in problem+json, server still serving`,
  scorecard('robustness', 'bearer', OUTCOME),
  async () => {
    const server = appServer('session');
    await fuzz(server, await nativeSeeds(server));
    await expectServing(server);
  },
);
