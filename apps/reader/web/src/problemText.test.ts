import { AuthClientError, errorFromResponse } from '@gatehouse/client';
import { beforeAll, describe, expect, it } from 'vitest';

// Issue 19: the server's problems as a user sees them, in both languages. The app's own
// i18n instance, loaded as the page loads it (the locale files, bundled); the page's one
// document property it writes (<html lang>) is given a stand-in, since Node has no DOM.

type Modules = [
  typeof import('./errors'),
  typeof import('./i18n'),
  typeof import('./problemReason'),
  typeof import('./fieldCodes'),
];
let errors: Modules[0];
let language: Modules[1];
let reasons: Modules[2];
let codes: Modules[3];

beforeAll(async () => {
  Object.assign(globalThis, { document: { documentElement: { lang: '' } } });
  [errors, language, reasons, codes] = await Promise.all([
    import('./errors'),
    import('./i18n'),
    import('./problemReason'),
    import('./fieldCodes'),
  ]);
});

function speak(choice: 'en' | 'zh-CN'): void {
  language.applyLanguageChoice(choice);
}

const problem = (code: string, detail: string, extra: { retryAfter?: number; fields?: Record<string, string> } = {}) =>
  new AuthClientError(400, code, detail, extra.retryAfter, extra.fields);

/** The problem body the reader's API sends, kept the way api.ts keeps it beside the error. */
async function apiProblem(body: Record<string, unknown>): Promise<AuthClientError> {
  const response = new Response(JSON.stringify(body), {
    status: 400,
    headers: { 'Content-Type': 'application/problem+json' },
  });
  const error = await errorFromResponse(response);
  reasons.rememberProblemReason(error, body);
  codes.rememberFieldCodes(error, body);
  return error;
}

/** English left in a Chinese sentence: a word of three letters or more, but names (API, OPML…) said as they are. */
const notEnglish = (text: string) => text.replace(/\b(?:API|OPML|HTTP|MiB|Cookie)\b/gu, '');
const ENGLISH = /[A-Za-z]{3,}/u;

describe('in English', () => {
  beforeAll(() => {
    speak('en');
  });

  it('says what it said before the translations', () => {
    const said = (error: unknown) => errors.describeError(error).message;
    expect(said(problem('invalid_credentials', 'x'))).toBe('The email or password is incorrect.');
    expect(said(problem('rate_limited', 'x', { retryAfter: 3459 }))).toBe(
      'Too many attempts. Try again in 58 minutes.',
    );
    expect(said(problem('rate_limited', 'x', { retryAfter: 3700 }))).toBe(
      'Too many attempts. Try again in 1 hour and 2 minutes.',
    );
    expect(said(problem('rate_limited', 'x', { retryAfter: 1 }))).toBe('Too many attempts. Try again in 1 second.');
    const wrongCode = new AuthClientError(401, 'invalid_second_factor', 'x', undefined, undefined, { attemptsLeft: 1 });
    expect(said(wrongCode)).toBe('That code is incorrect. You have 1 try left.');
    expect(said(new TypeError('fetch failed'))).toBe(
      'Could not reach the server. Check your connection and try again.',
    );
    expect(said(problem('conflict', 'Turn on two-factor authentication first.'))).toBe(
      'Turn on two-factor authentication first.',
    );
  });

  it('says a limit on the account as the server wrote it, not as a field to look at', () => {
    const refused = errors.describeError(
      problem('validation_failed', 'You already have 10 app passwords, the most allowed: revoke one first.', {
        fields: { body: 'at most 10 app passwords per user' },
      }),
    );
    expect(refused.message).toBe('You already have 10 app passwords, the most allowed: revoke one first.');
  });

  it('keeps the server’s field texts, as sentences after their names', () => {
    const refused = errors.describeError(
      problem('validation_failed', 'Invalid input: password must be at least 8 characters.', {
        fields: { password: 'must be at least 8 characters' },
      }),
    );
    expect(errors.fieldError(refused, 'password', 'Password')).toBe('Password must be at least 8 characters.');
  });
});

describe('in Chinese', () => {
  beforeAll(() => {
    speak('zh-CN');
  });

  it.each([
    ['unauthenticated', 'Sign in to continue.'],
    ['csrf_failed', 'The request failed CSRF checks: send it from a trusted origin.'],
    ['forbidden', 'This credential lacks the "write" scope.'],
    ['not_found', 'No route for GET /api/nowhere.'],
    ['rate_limited', 'Too many attempts. Try again in 30 seconds.'],
    ['invalid_credentials', 'The email or password is incorrect.'],
    ['validation_failed', 'The request body is not valid JSON.'],
    ['email_taken', 'An account with this email already exists. Sign in instead.'],
    ['unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.'],
    ['payload_too_large', 'The request body is too large.'],
    ['token_reused', 'This refresh token was already used.'],
    ['store_unavailable', 'The service cannot reach its data store right now: try again shortly.'],
    ['reauthentication_required', 'Enter your password again to continue: this action needs a recent sign-in.'],
    ['invalid_token', 'This link is invalid or has expired. Ask for a new one.'],
    ['email_verification_required', 'Confirm your email address first.'],
    ['invalid_second_factor', 'The code is incorrect.'],
    ['sign_in_expired', 'This sign-in has expired: enter your password again.'],
    ['conflict', 'Something else changed first.'],
    ['full_text_unavailable', 'The page could not be fetched.'],
    ['http_error', 'Request failed with status 502.'],
  ])('says %s in Chinese, whatever the detail', (code, detail) => {
    const { message } = errors.describeError(problem(code, detail));
    expect(message).toMatch(/\p{Script=Han}/u);
    expect(notEnglish(message)).not.toMatch(ENGLISH);
  });

  it.each([
    'That is already your email address.',
    'The passkey was not accepted: start again from "Add a passkey".',
    'The code is incorrect: check the time on your phone and try the next code.',
    'You already have 10 app passwords, the most allowed: revoke one first.',
    'You already have 20 API keys, the most allowed: revoke one first.',
    'An authenticator app is already set up: remove it first to set up another.',
    'There is no authenticator setup waiting: start the setup again.',
    'This account has no passkey: use a code instead.',
    'Turn on two-factor authentication first: recovery codes stand in for a factor.',
    'An API key cannot do this: sign in as the user.',
    'No passkey with that id.',
    'No session with that id.',
    'No such app password.',
    'No such folder.',
    'You already have a folder with that name.',
    'OPML files up to 1 MiB can be imported.',
  ])('says “%s” in Chinese', (detail) => {
    const { message } = errors.describeError(problem('validation_failed', detail));
    expect(notEnglish(message)).not.toMatch(ENGLISH);
  });

  it('keeps the numbers a sentence names', () => {
    const { message } = errors.describeError(
      problem('validation_failed', 'You already have 10 app passwords, the most allowed: revoke one first.'),
    );
    expect(message).toContain('10');
    expect(errors.describeError(problem('rate_limited', 'x', { retryAfter: 3700 })).message).toContain('1 小时 2 分钟');
  });

  it.each([
    ['email', 'must be an email address'],
    ['email', 'must be at most 254 characters'],
    ['password', 'is required'],
    ['password', 'is too long'],
    ['password', 'must be at least 8 characters'],
    ['password', 'is one of the most common passwords: choose something less guessable'],
    ['password', 'is a common password with digits or symbols added: choose something less guessable'],
    ['password', 'must not be only spaces'],
    ['password', "must not be built from your name, email address or the site's name"],
    ['name', 'must be text'],
    ['remember', 'must be true or false'],
    ['currentPassword', 'is incorrect'],
    ['newEmail', 'is already your address'],
    ['response', 'was not accepted'],
    ['expiresInDays', 'must be a whole number of days'],
    ['scopes', 'must name at least one scope'],
    ['name', 'is already taken by another folder'],
  ])('says the field text of %s “%s” in Chinese, after the field’s name', (field, text) => {
    const refused = errors.describeError(
      problem('validation_failed', `Invalid input: ${field} ${text}.`, { fields: { [field]: text } }),
    );
    const inline = errors.fieldError(refused, field, '字段');
    expect(inline).toMatch(/^字段[^。]+。$/u);
    expect(inline).not.toMatch(ENGLISH);
    expect(refused.message).toBe('请更正下面标出的内容。');
  });

  it('says a field by the reader’s code, with its limit, over its English text', async () => {
    const error = await apiProblem({
      code: 'validation_failed',
      detail: 'Invalid input: name must be at most 100 characters.',
      errors: { name: 'must be at most 100 characters' },
      fieldCodes: { name: { code: 'too_long', limit: 100 } },
    });
    expect(errors.fieldError(errors.describeError(error), 'name', '名称')).toBe('名称不能超过 100 个字符。');
  });

  it('ignores field codes it cannot read, and says the English text instead', async () => {
    const error = await apiProblem({
      code: 'validation_failed',
      detail: 'Invalid input: name is out of this world.',
      errors: { name: 'is out of this world', __proto__: 'x' },
      fieldCodes: { name: { code: 7 }, title: 'too_long' },
    });
    expect(errors.fieldError(errors.describeError(error), 'name', '名称')).toBe('名称is out of this world。');
  });

  it('says why a subscribe failed, from the reason the reader sends', async () => {
    const error = await apiProblem({
      code: 'validation_failed',
      detail: 'Could not subscribe to https://blog.example/feed: The server answered HTTP 404.',
      errors: { url: 'The server answered HTTP 404.' },
      reason: 'http_status',
      reasonParams: { status: '404' },
    });
    const refused = errors.describeError(error);
    expect(refused.message).toBe('无法订阅 https://blog.example/feed：服务器返回了 HTTP 404。');
    // Said once: the summary has it, so the field does not repeat it.
    expect(errors.fieldError(refused, 'url', '地址')).toBeUndefined();
  });

  it('shows the English detail of a code it does not know (a newer server)', () => {
    expect(errors.describeError(problem('teapot_overflow', 'The teapot is full.')).message).toBe('The teapot is full.');
  });
});
