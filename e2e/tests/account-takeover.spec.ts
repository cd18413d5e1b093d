import { request as httpRequest } from 'node:http';
import type { Page } from '@playwright/test';
import { NativeClient } from '../../test-support/token-client.js';
import { anonymousCall, signedInClient, type CallResult } from '../support/account-client.js';
import { createAccount, otherLoopbackAddress, uniqueEmail } from '../support/accounts.js';
import type { AppServer } from '../support/app-servers.js';
import { nextResetLink, RESET_SUBJECT } from '../support/mail.js';
import { BROWSER_MODES } from '../support/modes.js';
import { takeoverScorecard } from '../support/scorecard.js';
import { ServerState } from '../support/server-state.js';
import { expect, test } from '../support/takeover.js';

// Account takeover without a stolen credential (issue 13): finding out who has an account,
// having the reset link mailed to the attacker's site, and guessing a weak password. Each
// is attacked per mode against a reader whose mail goes to a real SMTP server.

const WRONG_PASSWORD = 'not the right passphrase at all';
const SIGNUPS_PER_IP_PER_HOUR = 10;

for (const mode of BROWSER_MODES) {
  test(
    `${mode}: reset and sign-in answer alike for a registered and an unknown address; sign-up says "taken", rate-limited`,
    takeoverScorecard(
      'enumeration',
      mode,
      'Reset (202) and sign-in (401) give the same status and body for registered and unknown addresses, no mail to the unknown one; sign-up still says an address is taken, 10 tries an hour per IP',
      { residual: true },
    ),
    async ({ takeover }) => {
      const server = await takeover.server(mode);
      const account = await createAccount(server, `enum-${mode}`);
      const unknown = uniqueEmail(`nobody-${mode}`);
      const userAgent = `e2e-enumeration-${mode}/${unknown}`;

      const forUnknown = await anonymousCall(server, '/api/auth/password-reset', { email: unknown }, { userAgent });
      const forKnown = await anonymousCall(server, '/api/auth/password-reset', { email: account.email }, { userAgent });
      expect(forKnown.status).toBe(202);
      expect(forUnknown).toEqual(forKnown);
      // Both were looked up (the audit trail says so); only the registered address got mail.
      await takeover.mail.waitFor(account.email, { subject: RESET_SUBJECT });
      await expect
        .poll(() => auditReasons(server, 'password_reset_requested', userAgent))
        .toEqual(expect.arrayContaining(['unknown_email', '']));
      expect(takeover.mail.to(unknown)).toEqual([]);

      const noSuchAccount = await anonymousCall(server, '/api/auth/login', {
        email: unknown,
        password: WRONG_PASSWORD,
      });
      const wrongPassword = await anonymousCall(server, '/api/auth/login', {
        email: account.email,
        password: WRONG_PASSWORD,
      });
      expect(wrongPassword.status).toBe(401);
      expect(noSuchAccount).toEqual(wrongPassword);

      // The residual risk, as the cell states it: sign-up tells a taken address, and one IP
      // gets 10 tries an hour.
      const localAddress = otherLoopbackAddress();
      const answers: CallResult[] = [];
      for (let attempt = 0; attempt <= SIGNUPS_PER_IP_PER_HOUR; attempt++) {
        answers.push(
          await anonymousCall(
            server,
            '/api/auth/signup',
            { email: account.email, password: 'a perfectly fine passphrase' },
            { localAddress },
          ),
        );
      }
      expect(answers.slice(0, SIGNUPS_PER_IP_PER_HOUR).map(codeOf)).toEqual(
        Array<string>(SIGNUPS_PER_IP_PER_HOUR).fill('email_taken'),
      );
      expect(codeOf(answers[SIGNUPS_PER_IP_PER_HOUR])).toBe('rate_limited');
    },
  );
}

test(
  'bearer: a native sign-in answers alike for an unknown address and a wrong password',
  takeoverScorecard(
    'enumeration',
    'bearer',
    'POST /token gives the same status (401) and body for an unknown address and a wrong password',
  ),
  async ({ takeover }) => {
    const server = await takeover.server('session');
    const account = await createAccount(server, 'enum-native');
    const native = new NativeClient(server.origin);
    const token = async (email: string) => {
      const response = await native.request('POST', '/api/auth/token', { json: { email, password: WRONG_PASSWORD } });
      return { status: response.status, body: await response.text() };
    };
    const wrongPassword = await token(account.email);
    expect(wrongPassword.status).toBe(401);
    expect(await token(uniqueEmail('nobody-native'))).toEqual(wrongPassword);
  },
);

for (const mode of BROWSER_MODES) {
  test(
    `${mode}: a reset asked for with a forged Host and X-Forwarded-Host mails a link to the app's own origin`,
    takeoverScorecard(
      'link-poisoning',
      mode,
      'Blocked: forged Host, X-Forwarded-Host and Forwarded (through a trusted proxy hop) change nothing; every mailed link is PUBLIC_ORIGIN',
    ),
    async ({ takeover }) => {
      const server = await takeover.server(mode);
      const account = await createAccount(server, `poison-${mode}`);
      const evil = 'evil.example';

      const link = await nextResetLink(takeover.mail, account.email, async () => {
        const asked = await forgedResetRequest(server, account.email, evil);
        expect(asked.status).toBe(202);
      });
      expect(link.url).toBe(`${server.publicOrigin}/reset-password#token=${link.token}`);
      const mail = takeover.mail.to(account.email).find((message) => message.text.includes(link.token));
      expect(mail).toBeDefined();
      const hrefs = [...(mail?.html ?? '').matchAll(/href="([^"]*)"/g)].map((match) => match[1] ?? '');
      expect(hrefs.length).toBeGreaterThan(0);
      for (const url of [...(mail?.links ?? []), ...hrefs]) expect(url.startsWith(server.publicOrigin)).toBe(true);
      expect(mail?.raw).not.toContain(evil);
    },
  );
}

for (const mode of BROWSER_MODES) {
  test(
    `${mode}: sign-up refuses "password" and the email's local part plus digits, and says why under the field`,
    takeoverScorecard(
      'weak-passwords',
      mode,
      'Refused (400 validation_failed) with the reason under the field: common passwords, ones built from the email; no account made',
    ),
    async ({ contexts, takeover }) => {
      const server = await takeover.server(mode);
      const email = uniqueEmail(`weak-${mode}`);
      const fromEmail = `${email.slice(0, email.indexOf('@'))}1987`;

      const page = await (await contexts.open('plain')).newPage();
      await page.goto(`${server.origin}/`);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByLabel('Email').fill(email);
      await expectRefusedUnderField(page, 'password', 'Password is one of the most common passwords');
      await expectRefusedUnderField(page, fromEmail, 'Password must not be built from your name, email address');

      for (const password of ['password', fromEmail]) {
        const answer = await anonymousCall(server, '/api/auth/signup', { email, password });
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ code: 'validation_failed', errors: { password: expect.any(String) } });
      }
      const state = new ServerState(server);
      try {
        expect(state.userByEmail(email)).toBeUndefined();
      } finally {
        state.close();
      }
    },
  );
}

test(
  'bearer: a native client cannot change the password to a weak one, nor reset to one',
  takeoverScorecard(
    'weak-passwords',
    'bearer',
    'Refused (400 validation_failed) on password change and on reset; the reset link stays usable',
  ),
  async ({ takeover }) => {
    const server = await takeover.server('session');
    const account = await createAccount(server, 'weak-native');
    const phone = await signedInClient(server, 'bearer', account);
    const fromEmail = `${account.email.slice(0, account.email.indexOf('@'))}2024`;

    for (const newPassword of ['password', fromEmail]) {
      const change = await phone.call('POST', '/api/auth/password', { currentPassword: account.password, newPassword });
      expect(change.status).toBe(400);
      expect(change.body).toMatchObject({ code: 'validation_failed', errors: { newPassword: expect.any(String) } });
    }

    const link = await nextResetLink(takeover.mail, account.email, async () => {
      expect((await anonymousCall(server, '/api/auth/password-reset', { email: account.email })).status).toBe(202);
    });
    for (const newPassword of ['password', fromEmail]) {
      const reset = await anonymousCall(server, '/api/auth/password-reset/confirm', { token: link.token, newPassword });
      expect(reset.status).toBe(400);
      expect(reset.body).toMatchObject({ code: 'validation_failed', errors: { newPassword: expect.any(String) } });
    }
    // Refusing the password did not burn the link, and the old password still works.
    expect((await anonymousCall(server, '/api/auth/password-reset/check', { token: link.token })).status).toBe(200);
    expect((await phone.call('GET', '/api/auth/me')).status).toBe(200);
  },
);

async function expectRefusedUnderField(page: Page, password: string, message: string): Promise<void> {
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#signup-password-error')).toContainText(message);
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
}

function codeOf(answer: CallResult | undefined): string | undefined {
  return (answer?.body as { code?: string } | undefined)?.code;
}

function auditReasons(server: AppServer, type: string, userAgent: string): string[] {
  const state = new ServerState(server);
  try {
    return state.auditReasons(type, userAgent);
  } finally {
    state.close();
  }
}

/**
 * POST /api/auth/password-reset as an attacker's script sends it: a valid CSRF pair (any
 * client can get one) and the app's own Origin, but Host, X-Forwarded-Host and Forwarded
 * naming the attacker's site, hoping the mailed link is built from them. Node's http module,
 * because fetch() will not send a Host of its choosing.
 */
async function forgedResetRequest(server: AppServer, email: string, evilHost: string): Promise<CallResult> {
  const forged = {
    Host: evilHost,
    'X-Forwarded-Host': evilHost,
    'X-Forwarded-Proto': 'https',
    'X-Forwarded-Server': evilHost,
    'X-Original-Host': evilHost,
    'X-Host': evilHost,
    Forwarded: `host=${evilHost};proto=https`,
  };
  const localAddress = otherLoopbackAddress();
  const csrf = await rawRequest(server, 'GET', '/api/auth/csrf', forged, localAddress);
  const cookie = (csrf.setCookie ?? []).map((line) => line.split(';')[0]).join('; ');
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  const answer = await rawRequest(
    server,
    'POST',
    '/api/auth/password-reset',
    {
      ...forged,
      Origin: server.origin,
      Cookie: cookie,
      'X-CSRF-Token': csrfToken,
      'Content-Type': 'application/json',
    },
    localAddress,
    JSON.stringify({ email }),
  );
  return { status: answer.status, body: JSON.parse(answer.text) as unknown };
}

function rawRequest(
  server: AppServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  localAddress: string,
  body?: string,
): Promise<{ status: number; text: string; setCookie: string[] | undefined }> {
  const { port } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers, localAddress }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, text, setCookie: response.headers['set-cookie'] });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}
