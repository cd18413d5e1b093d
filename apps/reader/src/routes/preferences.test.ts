import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';

let server: ReaderTestServer;
beforeAll(async () => {
  server = await startReaderTestServer();
});
afterAll(async () => {
  await server.close();
});

const DEFAULTS = { language: null, theme: 'system', fontSize: 'medium', lineWidth: 'medium', markReadOnScroll: false };

async function signUp(): Promise<{ browser: TestBrowser; userId: string }> {
  const browser = new TestBrowser(server.origin);
  const signup = await browser.signup(uniqueEmail('prefs'), GOOD_PASSWORD);
  expect(signup.status).toBe(201);
  const { user } = (await signup.json()) as { user: { id: string } };
  return { browser, userId: user.id };
}

async function preferencesOf(browser: TestBrowser): Promise<unknown> {
  const response = await browser.request('GET', '/api/preferences');
  expect(response.status).toBe(200);
  return ((await response.json()) as { preferences: unknown }).preferences;
}

async function patch(browser: TestBrowser, json: unknown) {
  const response = await browser.request('PATCH', '/api/preferences', { json });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function preferenceRows(userId: string): number {
  const db = new SQLite(server.databaseFile, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from preferences where user_id = ?').get(userId) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('GET /api/preferences', () => {
  it('gives the defaults to a user who never chose, without writing a row', async () => {
    const { browser, userId } = await signUp();
    expect(await preferencesOf(browser)).toEqual(DEFAULTS);
    expect(preferenceRows(userId)).toBe(0);
  });

  it('answers 401 when signed out', async () => {
    const anonymous = new TestBrowser(server.origin);
    expect((await anonymous.request('GET', '/api/preferences')).status).toBe(401);
    expect((await anonymous.request('PATCH', '/api/preferences', { json: { theme: 'dark' } })).status).toBe(401);
  });
});

describe('PATCH /api/preferences', () => {
  it('changes only the fields sent and answers with all of them', async () => {
    const { browser } = await signUp();
    const first = await patch(browser, { theme: 'dark', fontSize: 'large' });
    expect(first).toEqual({ status: 200, body: { preferences: { ...DEFAULTS, theme: 'dark', fontSize: 'large' } } });
    const second = await patch(browser, { language: 'zh-CN', lineWidth: 'wide', markReadOnScroll: true });
    const all = { language: 'zh-CN', theme: 'dark', fontSize: 'large', lineWidth: 'wide', markReadOnScroll: true };
    expect(second.body).toEqual({ preferences: all });
    expect(await preferencesOf(browser)).toEqual(all);
  });

  it('sets the language back to null (follow the browser) and markReadOnScroll back to false', async () => {
    const { browser } = await signUp();
    await patch(browser, { language: 'en', markReadOnScroll: true });
    const reset = await patch(browser, { language: null, markReadOnScroll: false });
    expect(reset.body).toEqual({ preferences: DEFAULTS });
  });

  it('accepts an empty patch and changes nothing', async () => {
    const { browser, userId } = await signUp();
    expect(await patch(browser, {})).toEqual({ status: 200, body: { preferences: DEFAULTS } });
    expect(preferenceRows(userId)).toBe(0);
  });

  it.each([
    ['an unknown field', { theme: 'dark', colour: 'red' }, 'body'],
    ['a misspelt field', { font_size: 'large' }, 'body'],
    ['__proto__ as a field', JSON.parse('{"__proto__": {"theme": "dark"}}') as unknown, 'body'],
    ['a theme that is not one', { theme: 'solarized' }, 'theme'],
    ['an empty theme', { theme: '' }, 'theme'],
    ['a language not offered', { language: 'fr' }, 'language'],
    ['a language in the wrong case', { language: 'zh-cn' }, 'language'],
    ['a font size as a number', { fontSize: 16 }, 'fontSize'],
    ['a line width of null', { lineWidth: null }, 'lineWidth'],
    ['markReadOnScroll as a string', { markReadOnScroll: 'true' }, 'markReadOnScroll'],
    ['markReadOnScroll as 0', { markReadOnScroll: 0 }, 'markReadOnScroll'],
  ])('refuses %s with 400 validation_failed and changes nothing', async (_name, body, field) => {
    const { browser } = await signUp();
    await patch(browser, { fontSize: 'small' });
    const refused = await patch(browser, body);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
    expect(Object.keys(refused.body.errors as object)).toContain(field);
    // A valid field beside the bad one is not applied either.
    expect(await preferencesOf(browser)).toEqual({ ...DEFAULTS, fontSize: 'small' });
  });

  it('refuses a body that is not JSON (415), not valid JSON or not an object (400), changing nothing', async () => {
    const { browser } = await signUp();
    const form = await browser.request('PATCH', '/api/preferences', {
      body: 'theme=dark',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const broken = await browser.request('PATCH', '/api/preferences', {
      body: '{"theme": "dark"',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    const array = await patch(browser, [{ theme: 'dark' }]);
    expect(array).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(await preferencesOf(browser)).toEqual(DEFAULTS);
  });

  it('refuses a body over the JSON limit with 413', async () => {
    const { browser } = await signUp();
    const huge = await patch(browser, { theme: 'dark', padding: 'x'.repeat(100 * 1024) });
    expect(huge.status).toBe(413);
    expect(await preferencesOf(browser)).toEqual(DEFAULTS);
  });

  it('refuses a cross-site PATCH without the CSRF token', async () => {
    const { browser } = await signUp();
    const forged = await browser.request('PATCH', '/api/preferences', {
      json: { theme: 'dark' },
      csrf: false,
      origin: 'https://attacker.example',
      secFetchSite: 'cross-site',
    });
    expect(forged.status).toBe(403);
    expect(await preferencesOf(browser)).toEqual(DEFAULTS);
  });
});

describe('preferences are per user', () => {
  it('one user’s changes never show in another’s', async () => {
    const alice = await signUp();
    const bob = await signUp();
    await patch(alice.browser, { theme: 'dark', language: 'zh-CN' });
    await patch(bob.browser, { fontSize: 'x-large' });
    expect(await preferencesOf(alice.browser)).toEqual({ ...DEFAULTS, theme: 'dark', language: 'zh-CN' });
    expect(await preferencesOf(bob.browser)).toEqual({ ...DEFAULTS, fontSize: 'x-large' });
  });

  it('are deleted with the account, and another user’s stay', async () => {
    const victim = await signUp();
    const bystander = await signUp();
    await patch(victim.browser, { theme: 'dark' });
    await patch(bystander.browser, { theme: 'light' });
    expect(preferenceRows(victim.userId)).toBe(1);
    expect((await victim.browser.request('DELETE', '/api/auth/account')).status).toBe(204);
    expect(preferenceRows(victim.userId)).toBe(0);
    expect(preferenceRows(bystander.userId)).toBe(1);
  });
});
