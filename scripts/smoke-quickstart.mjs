// Runs the README quick start for real: `npm start` on a fresh data folder, then what a new
// user does — load the page, sign up, see the reader, sign out — over plain HTTP. Exits
// non-zero, with the server's output, if any step fails.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = 3900 + Math.floor(Math.random() * 90);
const origin = `http://localhost:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-smoke-'));
const server = spawn('npm', ['start'], {
  env: { ...process.env, PORT: String(port), GATEHOUSE_DATA_DIR: dataDir, DATABASE_URL: `sqlite:${dataDir}/db.sqlite` },
  detached: true,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
server.stdout.on('data', (chunk) => (output += chunk));
server.stderr.on('data', (chunk) => (output += chunk));

const cookies = new Map();
async function http(method, path, { json, csrf } = {}) {
  const headers = { Origin: origin, 'Sec-Fetch-Site': 'same-origin' };
  if (cookies.size > 0) headers.Cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (json) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${origin}${path}`, { method, headers, body: json && JSON.stringify(json) });
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [name, value] = pair.split('=');
    if (value === '' || /max-age=0/i.test(line)) cookies.delete(name);
    else cookies.set(name, value);
  }
  return response;
}
async function csrfToken() {
  return (await (await http('GET', '/api/auth/csrf')).json()).csrfToken;
}
function check(condition, step) {
  if (!condition) throw new Error(`smoke: ${step}`);
  console.log(`smoke: ok - ${step}`);
}

try {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error('smoke: npm start exited early');
    if (Date.now() > deadline) throw new Error('smoke: server did not come up within 120 s');
    const up = await fetch(`${origin}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const page = await http('GET', '/');
  const html = await page.text();
  check(page.ok && html.includes('<div id="root">'), 'GET / serves the web app');
  check(
    !/unsafe-inline/.test(page.headers.get('content-security-policy') ?? 'unsafe-inline'),
    'the page has a strict CSP',
  );
  const signup = await http('POST', '/api/auth/signup', {
    json: { email: 'new.user@example.test', password: 'a good long password' },
    csrf: await csrfToken(),
  });
  check(signup.status === 201, 'sign up');
  // No mail server in the quick start: the verification mail lands in the data folder.
  const outbox = join(dataDir, 'outbox');
  let mail = '';
  for (let tries = 0; tries < 50 && mail === ''; tries += 1) {
    const files = existsSync(outbox) ? readdirSync(outbox).filter((name) => name.endsWith('.eml')) : [];
    // Quoted-printable: undo soft line breaks and the escaped '='.
    if (files.length > 0)
      mail = readFileSync(join(outbox, files[0]), 'utf8')
        .replace(/=\r?\n/g, '')
        .replace(/=3D/g, '=');
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  check(mail.includes(`${origin}/verify-email#token=`), 'the verification mail is in ./data/outbox as an .eml file');
  check((await http('GET', '/api/auth/me')).status === 200, 'signed in: /api/auth/me answers');
  check((await http('POST', '/api/auth/logout', { csrf: await csrfToken() })).status === 204, 'sign out');
  check((await http('GET', '/api/auth/me')).status === 401, 'signed out: /api/auth/me is 401');
  const login = await http('POST', '/api/auth/login', {
    json: { email: 'new.user@example.test', password: 'a good long password' },
    csrf: await csrfToken(),
  });
  check(login.status === 200, 'sign in again');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.error('--- server output ---\n' + output);
  process.exitCode = 1;
} finally {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(dataDir, { recursive: true, force: true });
}
