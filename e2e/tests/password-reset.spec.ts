import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page, Request } from '@playwright/test';
import { NativeClient } from '../../test-support/token-client.js';
import { anonymousCall, apiKeyStatus, mintApiKey, signedInClient, type CallResult } from '../support/account-client.js';
import { createAccount, type Account } from '../support/accounts.js';
import type { AppServer } from '../support/app-servers.js';
import { appFetch, signInThroughUi } from '../support/browser-app.js';
import { nextResetLink, type MailedLink } from '../support/mail.js';
import { BROWSER_MODES, type BrowserMode } from '../support/modes.js';
import { takeoverScorecard } from '../support/scorecard.js';
import { ServerState } from '../support/server-state.js';
import { expect, test } from '../support/takeover.js';
import type { ThirdPartySite } from '../support/third-party.js';

// Reset-token theft (issue 13): the whole "forgot password" journey in Chromium, per mode.
// The mailed token must reach nobody but the app (not a Referer, not the history, not a
// third-party request), work once, and end every other way into the account: the other
// browser's session and the API key a script holds.

const NEW_PASSWORD = 'new staple horse battery correct';
const EXPIRED = 'This link has expired or was already used.';

for (const mode of BROWSER_MODES) {
  test(
    `${mode}: forgot password → mail → reset page → every other browser and API key 401, the token leaks nowhere`,
    takeoverScorecard(
      'reset-token-theft',
      mode,
      'Token only in the URL fragment, gone from the address bar and history at once, in no Referer; single-use, void once a newer one is sent; the reset ends every other session and API key',
    ),
    async ({ contexts, takeover, httpsTrustingContext: context }) => {
      const server = await takeover.server(mode);
      const account = await createAccount(server, `reset-${mode}`);

      // The victim's other browser is signed in, and a script of theirs holds an API key.
      const otherPage = await (await contexts.open('plain')).newPage();
      await signInThroughUi(otherPage, server, account);
      const apiKey = await mintApiKey(await signedInClient(server, mode, account), account.password);
      expect(await apiKeyStatus(server, apiKey)).toBe(200);

      // "Forgot password?" on the sign-in card; the link arrives at the SMTP server.
      const requests = recordRequests(context);
      const page = await context.newPage();
      const link = await nextResetLink(takeover.mail, account.email, () => askForLinkThroughUi(page, server, account));
      expect(link.url).toBe(`${server.publicOrigin}/reset-password#token=${link.token}`);

      await page.goto(link.url);
      await expect(page.getByRole('button', { name: 'Set new password' })).toBeVisible();
      // The page took the token out of the URL before anything else could see it.
      expect(await page.evaluate(() => window.location.href)).toBe(`${server.origin}/reset-password`);
      expect(await historyUrls(page)).not.toContainEqual(expect.stringContaining(link.token));

      await expectNoTokenToThirdParty(page, context, takeover.thirdParty, link);

      // A password the policy refuses is said under the field, and does not burn the link.
      await setNewPassword(page, 'password');
      await expect(page.locator('#reset-new-error')).toContainText('most common passwords');
      await setNewPassword(page, NEW_PASSWORD);
      await expect(page.getByText('Password changed. Every other device has been signed out')).toBeVisible();
      expect(page.url()).toBe(`${server.origin}/`);
      expect(await historyUrls(page)).not.toContainEqual(expect.stringContaining(link.token));

      // Every other way in is gone: the other browser's next request, and the API key.
      expect((await otherDeviceNextRequest(otherPage, mode)).status).toBe(401);
      await otherPage.reload();
      await expect(otherPage.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
      expect(await apiKeyStatus(server, apiKey)).toBe(401);
      expectOnlyOneLiveCredential(server, mode, account);

      // The token went to the app's own reset endpoints, in a POST body, and nowhere else.
      await expectTokenOnlyInResetBodies(requests, server, link);

      // Used once: the page says so, and the API refuses it.
      await expectExpired(await context.newPage(), link, server);
      await expectLinkRefused(server, link);

      // Superseded: once a newer link is sent, the older one is dead, and the newer one works.
      const older = await nextResetLink(takeover.mail, account.email, () => askForLinkOverHttp(server, account));
      const newer = await nextResetLink(takeover.mail, account.email, () => askForLinkOverHttp(server, account));
      await expectExpired(await context.newPage(), older, server);
      await expectLinkRefused(server, older);
      expect((await anonymousCall(server, '/api/auth/password-reset/check', { token: newer.token })).status).toBe(200);
    },
  );
}

test(
  'bearer: a reset ends the native client tokens and the API key; the mailed token works once',
  takeoverScorecard(
    'reset-token-theft',
    'bearer',
    "The reset ends the native app's access and refresh tokens and every API key at once; token single-use, void once a newer one is sent",
  ),
  async ({ takeover }) => {
    const server = await takeover.server('session');
    const account = await createAccount(server, 'reset-native');
    const native = new NativeClient(server.origin);
    const tokens = await native.signIn(account.email, account.password);
    const me = async () => (await native.request('GET', '/api/auth/me', { bearer: tokens.access_token })).status;
    const apiKey = await mintApiKey(await signedInClient(server, 'bearer', account), account.password);
    expect(await me()).toBe(200);
    expect(await apiKeyStatus(server, apiKey)).toBe(200);

    const link = await nextResetLink(takeover.mail, account.email, () => askForLinkOverHttp(server, account));
    // The token rides in the fragment only: no query string, nothing a server would log.
    expect(new URL(link.url).search).toBe('');
    const reset = await anonymousCall(server, '/api/auth/password-reset/confirm', {
      token: link.token,
      newPassword: NEW_PASSWORD,
    });
    expect(reset.status).toBe(200);

    expect(await me()).toBe(401);
    expect((await native.refresh(tokens.refresh_token)).status).toBe(401);
    expect(await apiKeyStatus(server, apiKey)).toBe(401);
    const state = new ServerState(server);
    try {
      expect(state.liveFamilies(account.userId)).toEqual([]);
    } finally {
      state.close();
    }
    // The old password is dead too: the thief who knew it cannot sign in again.
    const relogin = await anonymousCall(server, '/api/auth/login', {
      email: account.email,
      password: account.password,
    });
    expect(relogin.status).toBe(401);

    await expectLinkRefused(server, link);
    const older = await nextResetLink(takeover.mail, account.email, () => askForLinkOverHttp(server, account));
    const newer = await nextResetLink(takeover.mail, account.email, () => askForLinkOverHttp(server, account));
    await expectLinkRefused(server, older);
    expect((await anonymousCall(server, '/api/auth/password-reset/check', { token: newer.token })).status).toBe(200);
  },
);

async function askForLinkThroughUi(page: Page, server: AppServer, account: Account): Promise<void> {
  await page.goto(`${server.origin}/`);
  await page.getByRole('button', { name: 'Forgot password?' }).click();
  await page.getByLabel('Email').fill(account.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText('a link to reset your password is on its way');
}

async function askForLinkOverHttp(server: AppServer, account: Account): Promise<void> {
  const asked = await anonymousCall(server, '/api/auth/password-reset', { email: account.email });
  expect(asked.status).toBe(202);
}

async function setNewPassword(page: Page, password: string): Promise<void> {
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('New password, again').fill(password);
  await page.getByRole('button', { name: 'Set new password' }).click();
}

/** Every URL of the tab's session history, as Chromium keeps it (what Back, sync and "recent" show). */
async function historyUrls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { entries } = (await cdp.send('Page.getNavigationHistory')) as { entries: { url: string }[] };
    return entries.map((entry) => entry.url);
  } finally {
    await cdp.detach();
  }
}

/**
 * The reset page asks another site for an image and opens a link to it, as a page with an
 * analytics pixel or an outbound link would: that site must learn nothing of the token.
 */
async function expectNoTokenToThirdParty(
  page: Page,
  context: BrowserContext,
  thirdParty: ThirdPartySite,
  link: MailedLink,
): Promise<void> {
  const marker = randomUUID();
  await page.evaluate(
    ({ origin, marker }) => {
      const image = document.createElement('img');
      image.src = `${origin}/pixel?${marker}`;
      document.body.append(image);
      const anchor = document.createElement('a');
      anchor.href = `${origin}/elsewhere?${marker}`;
      anchor.target = '_blank';
      anchor.id = 'third-party-link';
      anchor.textContent = 'Elsewhere';
      document.body.append(anchor);
    },
    { origin: thirdParty.origin, marker },
  );
  const [popup] = await Promise.all([context.waitForEvent('page'), page.locator('#third-party-link').click()]);
  await popup.waitForLoadState();
  await popup.close();
  const seen = () => thirdParty.requests().filter((request) => request.url.includes(marker));
  await expect
    .poll(() =>
      seen()
        .map((request) => request.url.split('?')[0] ?? '')
        .sort(),
    )
    .toEqual(['/elsewhere', '/pixel']);
  for (const request of seen()) {
    expect(JSON.stringify(request)).not.toContain(link.token);
    expect(request.headers.referer ?? '').not.toContain('token');
  }
}

/** What the other browser's app would send next: GET /me with its cookie, or its refresh. */
function otherDeviceNextRequest(page: Page, mode: BrowserMode): Promise<CallResult> {
  return mode === 'memory-token' ? appFetch(page, 'POST', '/api/auth/refresh') : appFetch(page, 'GET', '/api/auth/me');
}

function expectOnlyOneLiveCredential(server: AppServer, mode: BrowserMode, account: Account): void {
  const state = new ServerState(server);
  try {
    const live = mode === 'session' ? state.sessions(account.userId) : state.liveFamilies(account.userId);
    expect(live).toHaveLength(1); // the browser that reset
  } finally {
    state.close();
  }
}

interface SentRequest {
  request: Request;
  headers: Promise<Record<string, string>>;
}

function recordRequests(context: BrowserContext): SentRequest[] {
  const sent: SentRequest[] = [];
  context.on('request', (request) => {
    sent.push({ request, headers: request.allHeaders().catch(() => request.headers()) });
  });
  return sent;
}

/**
 * The token may travel in the body of POST /api/auth/password-reset/{check,confirm} to the
 * app, and nowhere else: in no URL on the wire (the fragment never is), no header, no
 * other body, to no other site.
 */
async function expectTokenOnlyInResetBodies(
  requests: SentRequest[],
  server: AppServer,
  link: MailedLink,
): Promise<void> {
  const allowed = new Set([
    `${server.origin}/api/auth/password-reset/check`,
    `${server.origin}/api/auth/password-reset/confirm`,
  ]);
  const carried: string[] = [];
  for (const { request, headers } of requests) {
    const onTheWire = request.url().split('#')[0] ?? '';
    if (onTheWire.includes(link.token)) carried.push(`URL of ${onTheWire}`);
    if (JSON.stringify(await headers).includes(link.token)) carried.push(`headers of ${onTheWire}`);
    if ((request.postData() ?? '').includes(link.token) && !allowed.has(onTheWire)) {
      carried.push(`body of ${request.method()} ${onTheWire}`);
    }
  }
  expect(carried).toEqual([]);
}

/** The reset page's dead-link state: it says so, offers a new link, and has no password form. */
async function expectExpired(page: Page, link: MailedLink, server: AppServer): Promise<void> {
  await page.goto(link.url);
  await expect(page.getByRole('alert')).toContainText(EXPIRED);
  await expect(page.getByRole('button', { name: 'Send reset link' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Set new password' })).toHaveCount(0);
  expect(page.url()).toBe(`${server.origin}/reset-password`);
  await page.close();
}

async function expectLinkRefused(server: AppServer, link: MailedLink): Promise<void> {
  const check = await anonymousCall(server, '/api/auth/password-reset/check', { token: link.token });
  const confirm = await anonymousCall(server, '/api/auth/password-reset/confirm', {
    token: link.token,
    newPassword: 'yet another fine passphrase',
  });
  for (const answer of [check, confirm]) {
    expect(answer.status).toBe(400);
    expect((answer.body as { code?: string }).code).toBe('invalid_token');
  }
}
