import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { mountTestPages } from './test-pages.js';

const ATTACKER = 'http://127.0.0.1:45678';

function appWith(env: Record<string, string | undefined>): Hono<GatehouseEnv> {
  const app = new Hono<GatehouseEnv>();
  mountTestPages(app, env);
  return app;
}

describe('test pages (for e2e/ only)', () => {
  it('are not mounted unless READER_TEST_PAGES=1', async () => {
    for (const value of [undefined, '', '0', 'true']) {
      const response = await appWith({ READER_TEST_PAGES: value }).request(`/__test/xss?attacker=${ATTACKER}&run=a`);
      expect(response.status).toBe(404);
    }
  });

  it('refuse to start in production', () => {
    expect(() => appWith({ READER_TEST_PAGES: '1', NODE_ENV: 'production' })).toThrow(/refused in production/);
  });

  it('serve the XSS page with a CSP that admits only the loopback attacker', async () => {
    const response = await appWith({ READER_TEST_PAGES: '1' }).request(`/__test/xss?attacker=${ATTACKER}&run=run-1`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`script-src 'self' ${ATTACKER}`);
    expect(csp).toContain(`connect-src 'self' ${ATTACKER}`);
    expect(await response.text()).toContain(`<script src="${ATTACKER}/evil.js?run=run-1"></script>`);
  });

  it('refuse an attacker that is not an http://127.0.0.1 origin, or a run id that could inject markup', async () => {
    const app = appWith({ READER_TEST_PAGES: '1' });
    for (const query of [
      'attacker=https://evil.example&run=a',
      'attacker=http://127.0.0.1:1/path&run=a',
      'attacker=http://localhost:1&run=a',
      `attacker=${ATTACKER}&run=${encodeURIComponent('"><script>')}`,
      'run=a',
    ]) {
      const response = await app.request(`/__test/xss?${query}`);
      expect(response.status).toBe(400);
      expect(await response.text()).not.toContain('<script');
    }
  });
});
