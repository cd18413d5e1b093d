import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startInstance, type InstanceProcess } from '../instance-process.js';
import { findSetCookie, GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../test-browser.js';
import { createTestDatabase, type TestDatabase } from '../test-backend.js';
import { adaptForLoopback, nginxExample, PrivateNginx, selfSignedCertificate } from './private-nginx.js';

// docs/DEPLOY.md's nginx example, as written there but for ports, upstream addresses and the
// certificate, in front of two production-mode instances on PostgreSQL and Redis.

const ROOT = join(import.meta.dirname, '..', '..');

let database: TestDatabase;
let instances: InstanceProcess[] = [];
let nginx: PrivateNginx;
let origin: string;
let httpPort: number;
/** Accepts the test's self-signed certificate; connects from `localAddress`. */
const tls = (localAddress = '127.0.0.1') => new Agent({ localAddress, connect: { rejectUnauthorized: false } });

beforeAll(async () => {
  database = await createTestDatabase({ backend: 'postgres+redis' });
  const httpsPort = await freePort();
  httpPort = await freePort();
  origin = `https://127.0.0.1:${String(httpsPort)}`;
  const env = {
    ...database.env,
    NODE_ENV: 'production',
    GATEHOUSE_TRUST_PROXY: '1',
    // Production demands a mail setting; these instances send none that a test reads.
    MAIL_URL: 'log:',
    LOG_LEVEL: 'error',
  };
  for (let index = 0; index < 2; index += 1) instances.push(await startInstance({ env, publicOrigin: origin }));

  const directory = PrivateNginx.workDirectory();
  const { certificate, key } = await selfSignedCertificate(directory);
  const config = adaptForLoopback(nginxExample(join(ROOT, 'docs', 'DEPLOY.md')), {
    httpPort,
    httpsPort,
    upstreams: instances.map((instance) => `127.0.0.1:${String(instance.port)}`),
    certificate,
    key,
  });
  nginx = await PrivateNginx.start(directory, config, httpsPort);
});

afterAll(async () => {
  await nginx.stop();
  const codes = await Promise.all(instances.map((instance) => instance.stop()));
  instances = [];
  await database.drop();
  expect(codes).toEqual([0, 0]);
});

describe('the DEPLOY.md nginx example in front of two instances', () => {
  it('redirects plain HTTP to HTTPS', async () => {
    const response = await fetch(`http://127.0.0.1:${String(httpPort)}/api/auth/me`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toMatch(/^https:\/\/127\.0\.0\.1\/api\/auth\/me$/);
  });

  it('signs in over HTTPS with Secure __Host- cookies and HSTS, and the session works on whichever instance answers', async () => {
    const browser = new TestBrowser(origin, undefined, 'TestBrowser/1.0', tls());
    const signup = await browser.signup(uniqueEmail('nginx'), GOOD_PASSWORD);
    expect(signup.status).toBe(201);
    const cookie = findSetCookie(signup, '__Host-gh_session');
    expect(cookie?.attributes.has('secure')).toBe(true);
    expect(signup.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);

    const servedBy = new Set<string>();
    for (let request = 0; request < 6; request += 1) {
      const me = await browser.me();
      expect(me.status).toBe(200);
      servedBy.add(me.headers.get('x-served-by') ?? '');
    }
    // Round robin: both instances answered, with the one session.
    expect([...servedBy].sort()).toEqual(instances.map((instance) => String(instance.port)).sort());

    const cookiesBeforeLogout = new Map(browser.cookies);
    expect((await browser.request('POST', '/api/auth/logout')).status).toBe(204);
    // The cookies as they were before logout, replayed by another client.
    const replay = new TestBrowser(origin, undefined, 'Replay/1.0', tls());
    for (const [name, value] of cookiesBeforeLogout) replay.cookies.set(name, value);
    for (let request = 0; request < 2; request += 1) expect((await replay.me()).status).toBe(401);
  });

  it('records the address nginx saw, not one the client wrote into X-Forwarded-For', async () => {
    const browser = new TestBrowser(origin, undefined, 'Spoofer/1.0', tls('127.0.0.7'));
    const signup = await browser.request('POST', '/api/auth/signup', {
      json: { email: uniqueEmail('spoof'), password: GOOD_PASSWORD },
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    });
    expect(signup.status).toBe(201);
    const list = (await (await browser.request('GET', '/api/auth/sessions')).json()) as {
      sessions: { ip: string | null; current: boolean }[];
    };
    expect(list.sessions.find((session) => session.current)?.ip).toBe('127.0.0.7');
  });

  it('an instance reached directly over plain HTTP sends the client to the public HTTPS origin', async () => {
    const direct = await fetch(`${instances[0]?.origin ?? ''}/api/auth/me`, { redirect: 'manual' });
    expect(direct.status).toBe(308);
    expect(direct.headers.get('location')).toBe(`${origin}/api/auth/me`);
  });
});
