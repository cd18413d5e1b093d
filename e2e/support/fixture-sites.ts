import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The other sites on loopback, all at http://127.0.0.1:<port> — another SITE than the app at
 * localhost, so SameSite and CORS behave as they do between two domains on the Internet:
 *   - the attacker: serves attack pages the tests upload, the XSS payload (evil.js), and
 *     collects whatever the payload beacons home;
 *   - the SPA: the memory-token single-page app, on the origin the app trusts;
 *   - the rogue SPA: the same page on an origin the app does NOT trust (another port is
 *     another ORIGIN, which is what CORS and the Origin check compare).
 * One handler serves all three; only the origin a page is loaded from differs.
 */
export interface FixtureSites {
  attacker: string;
  spa: string;
  rogueSpa: string;
  close(): Promise<void>;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const STATIC_FILES: Readonly<Record<string, string>> = {
  '/spa.html': 'text/html; charset=utf-8',
  '/spa.js': 'text/javascript; charset=utf-8',
  '/evil.js': 'text/javascript; charset=utf-8',
};
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function startFixtureSites(): Promise<FixtureSites> {
  const pages = new Map<string, string>();
  const loot = new Map<string, string[]>();
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response, pages, loot).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  };
  const servers = await Promise.all([listen(handler), listen(handler), listen(handler)]);
  const [attacker, spa, rogueSpa] = servers.map(({ port }) => `http://127.0.0.1:${String(port)}`);
  if (attacker === undefined || spa === undefined || rogueSpa === undefined) throw new Error('fixture sites: no port');
  return {
    attacker,
    spa,
    rogueSpa,
    close: async () => {
      await Promise.all(servers.map(({ server }) => new Promise((resolve) => server.close(resolve))));
    },
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  pages: Map<string, string>,
  loot: Map<string, string[]>,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fixture.invalid');
  const path = url.pathname;
  // Beacons arrive cross-origin: answer them like a careless attacker server would.
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Cache-Control', 'no-store');

  const contentType = STATIC_FILES[path];
  if (request.method === 'GET' && contentType !== undefined) {
    response.writeHead(200, { 'Content-Type': contentType }).end(readFileSync(`${FIXTURES}${path.slice(1)}`));
    return;
  }
  const page = /^\/pages\/([\w-]+)$/.exec(path)?.[1];
  if (page !== undefined && request.method === 'PUT') {
    pages.set(page, await readBody(request));
    response.writeHead(204).end();
    return;
  }
  if (page !== undefined && request.method === 'GET' && pages.has(page)) {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(pages.get(page));
    return;
  }
  const run = /^\/loot\/([\w-]+)$/.exec(path)?.[1];
  if (run !== undefined && request.method === 'POST') {
    loot.set(run, [...(loot.get(run) ?? []), await readBody(request)]);
    response.writeHead(204).end();
    return;
  }
  if (run !== undefined && request.method === 'GET') {
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(loot.get(run) ?? []));
    return;
  }
  response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function listen(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  return new Promise<{ server: Server; port: number }>((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
  });
}
