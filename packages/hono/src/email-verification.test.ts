import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../test-support/test-browser.js';
import type { TestServer } from '../../../test-support/test-server.js';
import { NativeClient } from '../../../test-support/token-client.js';
import {
  DAY,
  expectProblem,
  linkFrom,
  mailsTo,
  mailTo,
  meOf,
  MINUTE,
  NEW_PASSWORD,
  resetTokenFor,
  signUp,
  signUpWithMail,
  subjectsTo,
  SUBJECT,
  tokenFrom,
  userRow,
  mailingServers,
} from './test-mail.js';

// Proving and changing the address over HTTP (spec-13: /verify-email, /verify-email/send,
// /email, /email/confirm, GATEHOUSE_REQUIRE_VERIFIED_EMAIL).

const mailing = mailingServers();
const { startServer } = mailing;

function verify(server: TestServer, token: unknown, browser = new TestBrowser(server.origin)) {
  return browser.request('POST', '/api/auth/verify-email', { json: { token } });
}

function resend(browser: TestBrowser) {
  return browser.request('POST', '/api/auth/verify-email/send');
}

function changeEmail(browser: TestBrowser, newEmail: string) {
  return browser.request('POST', '/api/auth/email', { json: { newEmail } });
}

function confirmChange(server: TestServer, token: unknown, browser = new TestBrowser(server.origin)) {
  return browser.request('POST', '/api/auth/email/confirm', { json: { token } });
}

async function verifiedAt(server: TestServer, email: string): Promise<unknown> {
  return (await userRow(server, email))?.email_verified_at;
}

async function tokenRows(server: TestServer, purpose: string): Promise<number> {
  const rows = await server.database.rows(`select count(*) as n from one_time_tokens where purpose = '${purpose}'`);
  return Number(rows[0]?.n);
}

describe('email verification', () => {
  it('mails a link at sign-up; /me says unverified until the link is followed, then verified', async () => {
    const server = await startServer();
    const email = uniqueEmail();
    const { browser } = await signUp(server, email);
    expect((await meOf(browser)).emailVerified).toBe(false);

    const mail = await mailTo(server, mailing.catcher, email, SUBJECT.verify);
    expect(linkFrom(mail).startsWith(`${server.origin}/verify-email#token=`)).toBe(true);
    const response = await verify(server, tokenFrom(mail));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { email, emailVerified: true } });

    expect((await meOf(browser)).emailVerified).toBe(true);
    expect(await verifiedAt(server, email)).not.toBeNull();
  });

  it('refuses a verification link used twice with invalid_token', async () => {
    const server = await startServer();
    const { verifyToken } = await signUpWithMail(server, mailing.catcher);
    expect((await verify(server, verifyToken)).status).toBe(200);
    await expectProblem(await verify(server, verifyToken), 400, 'invalid_token');
  });

  it('refuses guessed, malformed and expired links, and verifies nothing', async () => {
    const server = await startServer();
    const { email, verifyToken } = await signUpWithMail(server, mailing.catcher);
    for (const token of [randomBytes(32).toString('base64url'), 'x', '__proto__', `${verifyToken}x`]) {
      await expectProblem(await verify(server, token), 400, 'invalid_token');
    }
    for (const token of ['', 0, null, { token: verifyToken }, 'a'.repeat(201)]) {
      await expectProblem(await verify(server, token), 400, 'validation_failed');
    }
    server.advance(DAY + MINUTE);
    await expectProblem(await verify(server, verifyToken), 400, 'invalid_token');
    expect(await verifiedAt(server, email)).toBeNull();
  });

  it('resends a fresh link on request; the older link stops working', async () => {
    const server = await startServer();
    const { browser, email, verifyToken: first } = await signUpWithMail(server, mailing.catcher);
    const response = await resend(browser);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'sent' });
    const mails = await mailsTo(server, mailing.catcher, email, SUBJECT.verify, 2);
    const second = mails.map(tokenFrom).find((token) => token !== first) ?? '';

    await expectProblem(await verify(server, first), 400, 'invalid_token');
    expect(await verifiedAt(server, email)).toBeNull();
    expect((await verify(server, second)).status).toBe(200);
    expect((await meOf(browser)).emailVerified).toBe(true);
  });

  it('rate-limits resending to 5 an hour per user (mail bombing): the sixth is 429', async () => {
    const server = await startServer();
    const { browser, email } = await signUpWithMail(server, mailing.catcher);
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await resend(browser)).status).toBe(202);
    const sixth = await resend(browser);
    await expectProblem(sixth, 429, 'rate_limited');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    // A second session of the same user shares the limit.
    const other = new TestBrowser(server.origin);
    expect((await other.login(email, GOOD_PASSWORD)).status).toBe(200);
    await expectProblem(await resend(other), 429, 'rate_limited');

    await mailsTo(server, mailing.catcher, email, SUBJECT.verify, 6);
    const subjects = await subjectsTo(server, mailing.catcher, email);
    expect(subjects.filter((subject) => SUBJECT.verify.test(subject))).toHaveLength(6); // sign-up + 5
  });

  it('answers 200 already_verified to a verified user, and mails nothing', async () => {
    const server = await startServer();
    const { browser, email, verifyToken } = await signUpWithMail(server, mailing.catcher);
    expect((await verify(server, verifyToken)).status).toBe(200);
    const response = await resend(browser);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'already_verified' });
    expect(await subjectsTo(server, mailing.catcher, email)).toHaveLength(1);
  });

  it('refuses to resend without a signed-in user (401)', async () => {
    const server = await startServer();
    await expectProblem(await resend(new TestBrowser(server.origin)), 401, 'unauthenticated');
  });

  it('with GATEHOUSE_REQUIRE_VERIFIED_EMAIL, app routes refuse an unverified user, the account routes do not', async () => {
    const server = await startServer({ env: { GATEHOUSE_REQUIRE_VERIFIED_EMAIL: 'true' } });
    const { browser, email, verifyToken } = await signUpWithMail(server, mailing.catcher);

    await expectProblem(await browser.request('GET', '/api/test/whoami'), 403, 'email_verification_required');
    const calls = server.protectedCalls();
    await expectProblem(await browser.request('POST', '/api/test/protected'), 403, 'email_verification_required');
    expect(server.protectedCalls()).toBe(calls);

    expect((await meOf(browser)).emailVerified).toBe(false);
    expect((await resend(browser)).status).toBe(202);
    const token = (await mailsTo(server, mailing.catcher, email, SUBJECT.verify, 2))
      .map(tokenFrom)
      .find((t) => t !== verifyToken);

    expect((await verify(server, token)).status).toBe(200);
    const whoami = await browser.request('GET', '/api/test/whoami');
    expect(whoami.status).toBe(200);
    expect(await whoami.json()).toMatchObject({ email });
  });

  it('with GATEHOUSE_REQUIRE_VERIFIED_EMAIL, an API key of an unverified user works only once the address is verified', async () => {
    const server = await startServer({ env: { GATEHOUSE_REQUIRE_VERIFIED_EMAIL: 'true' } });
    const { browser, verifyToken } = await signUpWithMail(server, mailing.catcher);
    const created = await browser.request('POST', '/api/auth/api-keys', { json: { name: 'script', scopes: ['read'] } });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    const native = new NativeClient(server.origin);
    await expectProblem(await native.whoami(secret), 403, 'email_verification_required');
    expect((await verify(server, verifyToken)).status).toBe(200);
    expect((await native.whoami(secret)).status).toBe(200);
  });
});

describe('changing the email address', () => {
  it('needs a recent password: after 10 minutes it is 403 reauthentication_required and nothing is mailed', async () => {
    const server = await startServer();
    const { browser, email } = await signUpWithMail(server, mailing.catcher);
    const newEmail = uniqueEmail('new');
    server.advance(11 * MINUTE);
    await expectProblem(await changeEmail(browser, newEmail), 403, 'reauthentication_required');

    expect(await subjectsTo(server, mailing.catcher, newEmail)).toEqual([]);
    expect(await subjectsTo(server, mailing.catcher, email)).toEqual([expect.stringMatching(SUBJECT.verify)]);
    expect(await tokenRows(server, 'change_email')).toBe(0);
  });

  it('after POST /reauthenticate, mails a confirm link to the new address and a notice to the old', async () => {
    const server = await startServer();
    const { browser, email } = await signUpWithMail(server, mailing.catcher);
    const newEmail = uniqueEmail('new');
    server.advance(11 * MINUTE);
    const reauth = await browser.request('POST', '/api/auth/reauthenticate', { json: { password: GOOD_PASSWORD } });
    expect(reauth.status).toBe(200);

    const response = await changeEmail(browser, newEmail);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'sent' });
    const link = linkFrom(await mailTo(server, mailing.catcher, newEmail, SUBJECT.confirmChange));
    expect(link.startsWith(`${server.origin}/confirm-email#token=`)).toBe(true);
    const notice = await mailTo(server, mailing.catcher, email, SUBJECT.changeRequested);
    expect(notice.text).toContain(newEmail);
    expect(notice.links.some((candidate) => candidate.includes('#token='))).toBe(false);
    // Nothing moves until the new address confirms.
    expect((await meOf(browser)).email).toBe(email);
  });

  it('moves the account once the new address confirms: verified, old address signs in no more, old one told', async () => {
    const server = await startServer();
    const { browser, email, userId } = await signUpWithMail(server, mailing.catcher);
    const newEmail = uniqueEmail('new');
    expect((await changeEmail(browser, newEmail)).status).toBe(202);
    const token = tokenFrom(await mailTo(server, mailing.catcher, newEmail, SUBJECT.confirmChange));

    const response = await confirmChange(server, token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { id: userId, email: newEmail, emailVerified: true } });
    expect(await meOf(browser)).toMatchObject({ id: userId, email: newEmail, emailVerified: true });
    expect(await userRow(server, email)).toBeUndefined();

    expect((await new TestBrowser(server.origin).login(email, GOOD_PASSWORD)).status).toBe(401);
    expect((await new TestBrowser(server.origin).login(newEmail, GOOD_PASSWORD)).status).toBe(200);
    const notice = await mailTo(server, mailing.catcher, email, SUBJECT.changed);
    expect(notice.text).toContain(newEmail);
    await expectProblem(await confirmChange(server, token), 400, 'invalid_token');
  });

  it('kills a reset link mailed to the old address before the change', async () => {
    const server = await startServer();
    const { browser, email } = await signUpWithMail(server, mailing.catcher);
    const resetToken = await resetTokenFor(server, mailing.catcher, email);
    const newEmail = uniqueEmail('new');
    expect((await changeEmail(browser, newEmail)).status).toBe(202);
    expect(
      (await confirmChange(server, tokenFrom(await mailTo(server, mailing.catcher, newEmail, SUBJECT.confirmChange))))
        .status,
    ).toBe(200);
    const hash = (await userRow(server, newEmail))?.password_hash;

    const reset = await new TestBrowser(server.origin).request('POST', '/api/auth/password-reset/confirm', {
      json: { token: resetToken, newPassword: NEW_PASSWORD },
    });
    await expectProblem(reset, 400, 'invalid_token');
    expect((await userRow(server, newEmail))?.password_hash).toBe(hash);
  });

  it('kills a verification link of the old address after the change', async () => {
    const server = await startServer();
    const { browser, verifyToken } = await signUpWithMail(server, mailing.catcher);
    const newEmail = uniqueEmail('new');
    expect((await changeEmail(browser, newEmail)).status).toBe(202);
    expect(
      (await confirmChange(server, tokenFrom(await mailTo(server, mailing.catcher, newEmail, SUBJECT.confirmChange))))
        .status,
    ).toBe(200);
    await expectProblem(await verify(server, verifyToken), 400, 'invalid_token');
  });

  it("answers a change to another account's address with the same 202, mails that owner a note and no link, changes nothing", async () => {
    const server = await startServer();
    const { browser, email, userId } = await signUpWithMail(server, mailing.catcher);
    const { email: taken } = await signUpWithMail(server, mailing.catcher);
    const free = uniqueEmail('free');

    const toFree = await changeEmail(browser, free);
    const toTaken = await changeEmail(browser, taken);
    expect(toFree.status).toBe(202);
    expect(toTaken.status).toBe(202);
    expect(await toTaken.json()).toEqual(await toFree.json());

    const note = await mailTo(server, mailing.catcher, taken, SUBJECT.changeToRegistered);
    expect(note.links.some((link) => link.includes('#token='))).toBe(false);
    const subjects = await subjectsTo(server, mailing.catcher, taken);
    expect(subjects.filter((subject) => SUBJECT.confirmChange.test(subject))).toEqual([]);
    const tokens = await server.database.rows(`select email from one_time_tokens where purpose = 'change_email'`);
    expect(tokens.map((row) => row.email)).toEqual([free]);
    expect(await meOf(browser)).toMatchObject({ id: userId, email });
  });

  it('refuses a confirmation after another account took the address meanwhile: 409 email_taken', async () => {
    const server = await startServer();
    const { browser, email, userId } = await signUpWithMail(server, mailing.catcher);
    const contested = uniqueEmail('contested');
    expect((await changeEmail(browser, contested)).status).toBe(202);
    const token = tokenFrom(await mailTo(server, mailing.catcher, contested, SUBJECT.confirmChange));
    const other = await signUp(server, contested);

    await expectProblem(await confirmChange(server, token), 409, 'email_taken');
    expect(await meOf(browser)).toMatchObject({ id: userId, email });
    expect((await userRow(server, contested))?.id).toBe(other.userId);
    expect(await subjectsTo(server, mailing.catcher, email)).not.toContainEqual(expect.stringMatching(SUBJECT.changed));
  });

  it('gives a free address to the first account that confirms; the second gets 409 email_taken and keeps its own', async () => {
    const server = await startServer();
    const alice = await signUpWithMail(server, mailing.catcher);
    const bob = await signUpWithMail(server, mailing.catcher);
    const wanted = uniqueEmail('wanted');
    expect((await changeEmail(alice.browser, wanted)).status).toBe(202);
    expect((await changeEmail(bob.browser, wanted)).status).toBe(202);
    const links = (await mailsTo(server, mailing.catcher, wanted, SUBJECT.confirmChange, 2)).map(tokenFrom);
    const rows = await server.database.rows(`select user_id from one_time_tokens where purpose = 'change_email'`);
    expect(rows).toHaveLength(2);

    const results = [];
    for (const token of links) results.push(await confirmChange(server, token));
    expect(results.map((response) => response.status).sort()).toEqual([200, 409]);
    const loser = results.find((response) => response.status === 409);
    if (loser) await expectProblem(loser, 409, 'email_taken');
    const [aliceNow, bobNow] = [await meOf(alice.browser), await meOf(bob.browser)];
    // One of them has the address; the other still has its own.
    expect([aliceNow.email, bobNow.email].filter((address) => address === wanted)).toHaveLength(1);
    expect(aliceNow.email === wanted ? bobNow.email : aliceNow.email).toBe(
      aliceNow.email === wanted ? bob.email : alice.email,
    );
  });

  it('refuses a link of one purpose used for another (verify, reset and change tokens are not interchangeable)', async () => {
    const server = await startServer();
    const { browser, email, verifyToken } = await signUpWithMail(server, mailing.catcher);
    const newEmail = uniqueEmail('new');
    expect((await changeEmail(browser, newEmail)).status).toBe(202);
    const changeToken = tokenFrom(await mailTo(server, mailing.catcher, newEmail, SUBJECT.confirmChange));
    const resetToken = await resetTokenFor(server, mailing.catcher, email);

    await expectProblem(await confirmChange(server, verifyToken), 400, 'invalid_token');
    await expectProblem(await confirmChange(server, resetToken), 400, 'invalid_token');
    await expectProblem(await verify(server, changeToken), 400, 'invalid_token');
    await expectProblem(await verify(server, resetToken), 400, 'invalid_token');
    expect(await meOf(browser)).toMatchObject({ email, emailVerified: false });
    // Each still works for its own purpose.
    expect((await confirmChange(server, changeToken)).status).toBe(200);
  });

  it('refuses a change to the address the account already has, and bad input, with 400', async () => {
    const server = await startServer();
    const { browser, email } = await signUpWithMail(server, mailing.catcher);
    const same = await expectProblem(await changeEmail(browser, email.toUpperCase()), 400, 'validation_failed');
    expect(same.errors?.newEmail).toBeDefined();
    for (const value of ['', 'not-an-address', 0, `${'a'.repeat(300)}@example.test`]) {
      await expectProblem(
        await browser.request('POST', '/api/auth/email', { json: { newEmail: value } }),
        400,
        'validation_failed',
      );
    }
    expect(await tokenRows(server, 'change_email')).toBe(0);
  });

  it('refuses a confirm link after 24 hours with invalid_token', async () => {
    const server = await startServer();
    const { browser, email } = await signUpWithMail(server, mailing.catcher);
    const newEmail = uniqueEmail('new');
    expect((await changeEmail(browser, newEmail)).status).toBe(202);
    const token = tokenFrom(await mailTo(server, mailing.catcher, newEmail, SUBJECT.confirmChange));
    server.advance(DAY + MINUTE);
    await expectProblem(await confirmChange(server, token), 400, 'invalid_token');
    expect(await userRow(server, email)).toBeDefined();
    expect(await userRow(server, newEmail)).toBeUndefined();
  });
});
