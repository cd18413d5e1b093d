import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gatehouse, loadConfig, openSqliteStores, type GatehouseStores } from '@gatehouse/core';
import { serve, type ServerType } from '@hono/node-server';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReaderApp } from './app.js';

let directory: string;
let server: ServerType;
let stores: GatehouseStores;
let origin: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'reader-app-'));
  const webRoot = join(directory, 'web');
  mkdirSync(join(webRoot, 'assets'), { recursive: true });
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(webRoot, 'assets', 'app-abc123.js'), 'console.log("app")');
  writeFileSync(join(directory, 'secret.txt'), 'outside the web root');

  stores = await openSqliteStores(join(directory, 'db.sqlite'));
  const config = loadConfig({ NODE_ENV: 'test', GATEHOUSE_SECRET: 'x'.repeat(40), GATEHOUSE_DATA_DIR: directory });
  const gatehouse = new Gatehouse({ config, stores, logger: pino({ level: 'silent' }) });
  const app = createReaderApp({ gatehouse, webRoot });
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  await stores.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('the reader app', () => {
  it('serves the web app at / under the strict CSP', async () => {
    const response = await fetch(`${origin}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('serves the single page for client-side routes', async () => {
    const response = await fetch(`${origin}/account/sessions`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
  });

  it('caches hashed assets for good', async () => {
    const response = await fetch(`${origin}/assets/app-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('never serves files outside the web root', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const text = await (await fetch(`${origin}${path}`)).text();
      expect(text).not.toContain('outside the web root');
    }
  });

  it('answers the health check without authentication', async () => {
    const response = await fetch(`${origin}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers unknown API paths with a problem+json 404, not the web page', async () => {
    const response = await fetch(`${origin}/api/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { code: string }).code).toBe('not_found');
  });
});
