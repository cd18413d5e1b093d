import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm run profile -w @gatehouse/bench -- <scenario> [sqlite|postgres-redis] [seconds]`:
 * one Gatehouse server under `node --cpu-prof`, one scenario against it, then the functions
 * and files that took the server's CPU. What the bench's findings were made with.
 * Scenarios: health, me-session, whoami-session, me-bearer, whoami-bearer, me-access-cookie, login.
 */
const [scenario = 'me-bearer', backendName = 'sqlite', secondsArgument = '8'] = process.argv.slice(2);
const profileDir = mkdtempSync(join(tmpdir(), 'gh-bench-profile-'));
// Read by processes.ts when it is first imported: every server it starts is profiled.
process.env.BENCH_PROFILE = profileDir;

const { resetScaleOutBackends } = await import('./backends.js');
const { BenchClient } = await import('./http-client.js');
const { load } = await import('./load.js');
const { startServer } = await import('./processes.js');
const credentials = await import('./scenarios/gatehouse-credentials.js');

if (backendName === 'postgres-redis') await resetScaleOutBackends();
const mode = scenario === 'me-access-cookie' ? 'jwt-cookie' : 'session';
const started = await startServer('src/servers/gatehouse-server.ts', {
  BENCH_BACKEND: backendName,
  GATEHOUSE_BROWSER_MODE: mode,
});
if (!started.ok) throw new Error(started.unavailable);
const { server } = started;
try {
  const email = 'profile@example.test';
  const browser = await credentials.signUpBrowser(server.origin, email);
  const cookies = browser.cookieHeader();
  const bearer = (await credentials.nativeTokens(server.origin, email)).access_token;
  const proxy = credentials.PROXY_HEADERS;
  // Signing in is what a browser without a session does: a CSRF cookie and token, no session.
  const anonymous = new BenchClient(server.origin, credentials.BROWSER_HEADERS);
  const loginCsrfToken = await credentials.csrfTokenOf(anonymous);
  const requests = {
    health: { path: '/api/health', headers: proxy },
    'me-session': { path: '/api/auth/me', headers: { ...proxy, Cookie: cookies } },
    'whoami-session': { path: '/bench/whoami', headers: { ...proxy, Cookie: cookies } },
    'me-access-cookie': { path: '/api/auth/me', headers: { ...proxy, Cookie: cookies } },
    'me-bearer': { path: '/api/auth/me', headers: { ...proxy, Authorization: `Bearer ${bearer}` } },
    'whoami-bearer': { path: '/bench/whoami', headers: { ...proxy, Authorization: `Bearer ${bearer}` } },
    login: {
      method: 'POST',
      path: '/api/auth/login',
      headers: {
        ...credentials.BROWSER_HEADERS,
        Cookie: anonymous.cookieHeader(),
        'X-CSRF-Token': loginCsrfToken,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ email, password: credentials.BENCH_PASSWORD }),
    },
  };
  if (!(scenario in requests)) throw new Error(`unknown scenario ${scenario}`);
  const request = requests[scenario as keyof typeof requests];
  await load(server.origin, request, { durationSeconds: 1, warmup: false });
  const cpuBefore = (await server.stats()).cpuMicros;
  const result = await load(server.origin, request, { durationSeconds: Number(secondsArgument), warmup: false });
  const cpuMicros = (await server.stats()).cpuMicros - cpuBefore;
  process.stdout.write(
    `${scenario} on ${backendName}: ${result.rps.toFixed(0)} req/s, p50 ${String(result.p50Ms)} ms, p99 ${String(result.p99Ms)} ms, ` +
      `${String(result.failures)} failures; server CPU ${(cpuMicros / result.total).toFixed(0)} µs per request\n`,
  );
} finally {
  await server.stop();
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}

const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
if (file === undefined) throw new Error(`no profile written to ${profileDir}`);
const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as { nodes: ProfileNode[] };
const total = profile.nodes.reduce((sum, node) => sum + node.hitCount, 0);
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const node of profile.nodes) {
  const where = shortUrl(node.callFrame.url);
  const name = `${node.callFrame.functionName || '(anonymous)'} ${where}:${String(node.callFrame.lineNumber + 1)}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + node.hitCount);
  byFile.set(where, (byFile.get(where) ?? 0) + node.hitCount);
}
const top = (counts: Map<string, number>, limit: number) =>
  [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)} %  ${name}`)
    .join('\n');
process.stdout.write(`\nSelf time by function:\n${top(byFunction, 30)}\n\nSelf time by file:\n${top(byFile, 20)}\n`);
process.stdout.write(`\nProfile: ${join(profileDir, file)} (open it in Chrome DevTools for the call tree)\n`);

/** node_modules/<package>/… or the path inside the repository; "(native)" for V8 and Node internals. */
function shortUrl(url: string): string {
  if (url === '') return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const repo = url.indexOf('/work/main/');
  return repo >= 0 ? url.slice(repo + '/work/main/'.length) : url.replace(/^file:\/\//, '');
}
