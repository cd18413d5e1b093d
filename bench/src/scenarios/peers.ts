import { BenchClient } from '../http-client.js';
import { paired } from '../paired.js';
import { startServer } from '../processes.js';
import type { BenchResults } from '../results.js';
import { row } from './gatehouse.js';

interface SignedIn {
  /** What the "who am I" request carries. */
  headers: Record<string, string>;
  logout(): Promise<void>;
}

interface Peer {
  name: string;
  script: string;
  env?: Record<string, string>;
  signIn(origin: string): Promise<SignedIn>;
}

const SECTION = 'Peers';
const EMAIL = 'bench@example.test';
const PASSWORD = 'correct horse battery staple bench';

const expressSession: Peer = {
  name: 'express-session + connect-redis: GET /api/me',
  script: 'src/servers/express-session-server.js',
  async signIn(origin) {
    const client = new BenchClient(origin);
    await client.expect(200, 'POST', '/api/login', { json: { email: EMAIL } });
    return {
      headers: { Cookie: client.cookieHeader() },
      logout: async () => {
        await client.expect(204, 'POST', '/api/logout');
      },
    };
  },
};

function betterAuth(cookieCache: boolean): Peer {
  return {
    name: `Better Auth getSession, cookie cache ${cookieCache ? 'on (5 min)' : 'off'}: GET /api/me`,
    script: 'src/servers/better-auth-server.ts',
    env: { BENCH_COOKIE_CACHE: cookieCache ? '1' : '0' },
    async signIn(origin) {
      // Better Auth checks Origin on state-changing requests, as a browser would send it.
      const client = new BenchClient(origin, { Origin: origin });
      await client.expect(200, 'POST', '/api/auth/sign-up/email', {
        json: { email: EMAIL, password: PASSWORD, name: 'Bench' },
      });
      return {
        headers: { Cookie: client.cookieHeader() },
        logout: async () => {
          await client.expect(200, 'POST', '/api/auth/sign-out', { json: {} });
        },
      };
    },
  };
}

const joseStateless: Peer = {
  name: 'jose jwtVerify per request (stateless JWT): GET /api/me',
  script: 'src/servers/jose-server.ts',
  async signIn(origin) {
    const client = new BenchClient(origin);
    const { access_token: token } = await client.expect<{ access_token: string }>(200, 'POST', '/api/login');
    return {
      headers: { Authorization: `Bearer ${token}` },
      logout: async () => {
        await client.expect(204, 'POST', '/api/logout', { headers: { Authorization: `Bearer ${token}` } });
      },
    };
  },
};

export const PEERS: readonly Peer[] = [expressSession, betterAuth(false), betterAuth(true), joseStateless];

/** Each peer in its own process: its baseline, its "who am I", and whether logout really ends the credential. */
export async function runPeers(): Promise<BenchResults> {
  const results: BenchResults = { throughput: [], figures: [] };
  for (const peer of PEERS) {
    const started = await startServer(peer.script, peer.env);
    if (!started.ok) {
      results.throughput.push({ section: SECTION, scenario: peer.name, note: `not run: ${started.unavailable}` });
      continue;
    }
    const { server } = started;
    try {
      const signedIn = await peer.signIn(server.origin);
      const me = await paired(server, { path: '/api/health' }, { path: '/api/me', headers: signedIn.headers });
      const rejected = await logoutThenReplay(server.origin, signedIn);
      results.throughput.push(row(SECTION, peer.name, me, { rejectsAfterLogout: rejected }));
    } finally {
      await server.stop();
    }
  }
  return results;
}

async function logoutThenReplay(origin: string, signedIn: SignedIn): Promise<boolean> {
  const before = await status(origin, signedIn.headers);
  if (before !== 200) throw new Error(`${origin}: credential refused before logout (${String(before)})`);
  await signedIn.logout();
  return (await status(origin, signedIn.headers)) === 401;
}

async function status(origin: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${origin}/api/me`, { headers });
  await response.arrayBuffer();
  return response.status;
}
