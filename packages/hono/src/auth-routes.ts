import type { Gatehouse, SecondFactorRequired, SignedIn } from '@gatehouse/core';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { accountHolder as currentAuth, type GatehouseEnv } from './env.js';
import { readJsonBody } from './json-body.js';
import { problemErrorHandler } from './problem.js';
import { readJsonOrFormBody } from './token-request-body.js';

/** Auth bodies are a few fields; anything bigger is refused before it is read. */
const MAX_AUTH_BODY_BYTES = 16 * 1024;

/**
 * Sent with a successful logout (issue 15, finding 8): the browser drops the web storage and
 * service workers it kept for this origin, so the next person at a shared computer finds
 * nothing of the last user's. Not "cookies": that clears every cookie of the registrable
 * domain, sibling subdomains' too; ours are already expired by name. Not "cache": Chromium
 * can hold the logout response for seconds while it clears a large cache (others dropped it
 * for that), and every credential response here is no-store already. Decision 0017.
 */
const CLEAR_SITE_DATA = '"storage"';

/**
 * The HTTP contract (DESIGN.md), to mount at /api/auth behind gatehouseMiddleware
 * (mountGatehouse does both), which also marks these responses no-store.
 */
export function authRoutes(gatehouse: Gatehouse): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();
  routes.onError(problemErrorHandler(gatehouse));

  // Only on methods that carry a body: asking a GET for its body makes @hono/node-server build
  // a full web Request (headers copied, an AbortSignal), which was most of GET /me's cost. A
  // GET's body is never read (undici's Request has none), so nothing changes for it.
  routes.on(['POST', 'PUT', 'PATCH', 'DELETE'], '*', bodyLimit({ maxSize: MAX_AUTH_BODY_BYTES }));

  routes.get('/csrf', (c) => {
    const { csrfToken, cookies } = gatehouse.csrfToken(c.get('authRequest'), c.get('auth'));
    setCookies(c, cookies);
    return c.json({ csrfToken });
  });

  routes.post('/signup', async (c) => {
    const body = await readJsonBody(c);
    const signedIn = await gatehouse.accounts.signup(
      c.get('authRequest'),
      body,
      gatehouse.browserClient,
      c.get('auth'),
    );
    return c.json(signedInBody(c, signedIn), 201);
  });

  // With a second factor on, a right password answers {mfaRequired, methods, mfaToken} and the
  // pending sign-in's cookie, never a session.
  routes.post('/login', async (c) => {
    const body = await readJsonBody(c);
    const signedIn = await gatehouse.accounts.login(c.get('authRequest'), body, gatehouse.browserClient, c.get('auth'));
    return c.json(signedInBody(c, signedIn));
  });

  // The second step: {mfaToken (browsers) or mfa_token (native apps), method, code | response}.
  routes.post('/login/second-factor', async (c) => {
    const body = await readJsonBody(c);
    const { signedIn, client } = await gatehouse.accounts.completeSecondFactor(
      c.get('authRequest'),
      body,
      c.get('auth'),
    );
    // A native app gets what POST /token would have given it: the tokens alone.
    if (client === 'bearer') return c.json(signedIn.tokens);
    return c.json(signedInBody(c, signedIn));
  });

  routes.post('/login/second-factor/options', async (c) => {
    const body = await readJsonBody(c);
    return c.json(await gatehouse.accounts.secondFactorOptions(c.get('authRequest'), body));
  });

  routes.post('/login/passkey/options', async (c) =>
    c.json(await gatehouse.accounts.passkeySignInOptions(await readOptionalJsonBody(c))),
  );

  routes.post('/login/passkey', async (c) => {
    const body = await readJsonBody(c);
    const signedIn = await gatehouse.accounts.passkeySignIn(
      c.get('authRequest'),
      body,
      gatehouse.browserClient,
      c.get('auth'),
    );
    return c.json(signedInBody(c, signedIn));
  });

  routes.post('/logout', async (c) => {
    setCookies(c, await gatehouse.logout(c.get('authRequest'), currentAuth(c)));
    c.header('Clear-Site-Data', CLEAR_SITE_DATA);
    return c.body(null, 204);
  });

  // The body is optional: {keepApiKeys: true} keeps the user's API keys working.
  routes.post('/logout-all', async (c) => {
    const auth = currentAuth(c);
    const body = await readOptionalJsonBody(c);
    setCookies(c, await gatehouse.logoutAll(c.get('authRequest'), auth, body));
    c.header('Clear-Site-Data', CLEAR_SITE_DATA);
    return c.body(null, 204);
  });

  // Already JSON text, and usually without a promise: GET /me is the request every page makes.
  routes.get('/me', (c): Response | Promise<Response> => {
    const body = gatehouse.meJson(currentAuth(c));
    return typeof body === 'string' ? jsonText(c, body) : body.then((text) => jsonText(c, text));
  });

  routes.get('/sessions', async (c) => c.json(await gatehouse.listSessions(currentAuth(c))));

  routes.delete('/sessions/:id', async (c) => {
    setCookies(c, await gatehouse.revokeSession(c.get('authRequest'), currentAuth(c), c.req.param('id')));
    return c.body(null, 204);
  });

  routes.post('/password', async (c) => {
    const auth = currentAuth(c);
    const body = await readJsonBody(c);
    return c.json(signedInBody(c, await gatehouse.accounts.changePassword(c.get('authRequest'), auth, body)));
  });

  // Native apps send {refresh_token}; browsers send nothing and the refresh cookie comes along.
  routes.post('/refresh', async (c) => {
    const body = c.req.header('content-type') === undefined ? undefined : await readJsonBody(c);
    const tokenInBody = typeof body === 'object' && body !== null && 'refresh_token' in body;
    const { cookies, body: tokens } = await gatehouse.refresh(c.get('authRequest'), tokenInBody ? body : undefined);
    setCookies(c, cookies);
    return c.json(tokens);
  });

  routes.post('/token', async (c) => {
    const body = await readJsonBody(c);
    return c.json(await gatehouse.tokenLogin(c.get('authRequest'), body));
  });

  // RFC 7009: no credential but the token in the body; 200 `{}` whether or not it existed.
  routes.post('/revoke', async (c) => {
    await gatehouse.revokeToken(c.get('authRequest'), await readJsonOrFormBody(c));
    return c.json({});
  });

  routes.post('/service-token', async (c) => {
    const body = await readJsonBody(c);
    return c.json(await gatehouse.serviceTokens.issue(c.get('authRequest'), body));
  });

  routes.get('/api-keys', async (c) => c.json({ apiKeys: await gatehouse.listApiKeys(currentAuth(c)) }));

  routes.post('/api-keys', async (c) => {
    const auth = currentAuth(c);
    const body = await readJsonBody(c);
    return c.json(await gatehouse.createApiKey(c.get('authRequest'), auth, body), 201);
  });

  routes.delete('/api-keys/:id', async (c) => {
    await gatehouse.revokeApiKey(c.get('authRequest'), currentAuth(c), c.req.param('id'));
    return c.body(null, 204);
  });

  // App passwords: what reader apps sign in to the sync APIs with (issue 18).
  routes.get('/app-passwords', async (c) => c.json({ appPasswords: await gatehouse.listAppPasswords(currentAuth(c)) }));

  routes.post('/app-passwords', async (c) => {
    const auth = currentAuth(c);
    const body = await readJsonBody(c);
    return c.json(await gatehouse.createAppPassword(c.get('authRequest'), auth, body), 201);
  });

  routes.delete('/app-passwords/:id', async (c) => {
    await gatehouse.revokeAppPassword(c.get('authRequest'), currentAuth(c), c.req.param('id'));
    return c.body(null, 204);
  });

  // The account lifecycle: step-up, email verification and change, password reset, deletion.
  routes.post('/reauthenticate', async (c) => {
    const auth = currentAuth(c);
    const body = await readJsonBody(c);
    return c.json(await gatehouse.accounts.reauthenticate(c.get('authRequest'), auth, body));
  });

  routes.post('/reauthenticate/options', async (c) => {
    const auth = currentAuth(c);
    return c.json(await gatehouse.accounts.reauthenticationOptions(auth, await readOptionalJsonBody(c)));
  });

  // Second factors: TOTP, recovery codes, passkeys. Every change needs a step-up (second-factors/).
  routes.get('/second-factors', async (c) => c.json(await gatehouse.accounts.factors.overview(currentAuth(c))));

  routes.put('/second-factors/step-up', async (c) => {
    const auth = currentAuth(c);
    const body = await readJsonBody(c);
    return c.json(await gatehouse.accounts.factors.setStepUpRequiresFactor(c.get('authRequest'), auth, body));
  });

  routes.post('/totp/setup', async (c) => {
    const auth = currentAuth(c);
    return c.json(await gatehouse.accounts.factors.totpSetup(auth, await readOptionalJsonBody(c)));
  });

  routes.post('/totp/enable', async (c) => {
    const auth = currentAuth(c);
    const body = await readJsonBody(c);
    return c.json(await gatehouse.accounts.factors.totpEnable(c.get('authRequest'), auth, body));
  });

  routes.delete('/totp', async (c) => {
    await gatehouse.accounts.factors.totpDisable(c.get('authRequest'), currentAuth(c));
    return c.body(null, 204);
  });

  routes.post('/recovery-codes', async (c) => {
    const auth = currentAuth(c);
    const body = await readOptionalJsonBody(c);
    return c.json(await gatehouse.accounts.factors.regenerateRecoveryCodes(c.get('authRequest'), auth, body));
  });

  routes.post('/passkeys/options', async (c) => {
    const auth = currentAuth(c);
    return c.json(await gatehouse.accounts.factors.passkeyOptions(auth, await readOptionalJsonBody(c)));
  });

  routes.post('/passkeys', async (c) => {
    const auth = currentAuth(c);
    const body = await readJsonBody(c);
    return c.json(await gatehouse.accounts.factors.addPasskey(c.get('authRequest'), auth, body), 201);
  });

  routes.patch('/passkeys/:id', async (c) => {
    const auth = currentAuth(c);
    const body = await readJsonBody(c);
    return c.json(await gatehouse.accounts.factors.renamePasskey(c.get('authRequest'), auth, c.req.param('id'), body));
  });

  routes.delete('/passkeys/:id', async (c) => {
    await gatehouse.accounts.factors.removePasskey(c.get('authRequest'), currentAuth(c), c.req.param('id'));
    return c.body(null, 204);
  });

  routes.post('/verify-email/send', async (c) => {
    const sent = await gatehouse.accounts.sendVerificationEmail(c.get('authRequest'), currentAuth(c));
    return c.json(sent, sent.status === 'sent' ? 202 : 200);
  });

  routes.post('/verify-email', async (c) => {
    const body = await readJsonBody(c);
    return c.json(await gatehouse.accounts.verifyEmail(c.get('authRequest'), body));
  });

  routes.post('/password-reset', async (c) => {
    const body = await readJsonBody(c);
    return c.json(await gatehouse.accounts.requestPasswordReset(c.get('authRequest'), body), 202);
  });

  routes.post('/password-reset/check', async (c) => {
    const body = await readJsonBody(c);
    return c.json(await gatehouse.accounts.checkPasswordReset(c.get('authRequest'), body));
  });

  routes.post('/password-reset/confirm', async (c) => {
    const body = await readJsonBody(c);
    const signedIn = await gatehouse.accounts.confirmPasswordReset(
      c.get('authRequest'),
      body,
      gatehouse.browserClient,
      c.get('auth'),
    );
    return c.json(signedInBody(c, signedIn));
  });

  routes.post('/email', async (c) => {
    const auth = currentAuth(c);
    const body = await readJsonBody(c);
    return c.json(await gatehouse.accounts.requestEmailChange(c.get('authRequest'), auth, body), 202);
  });

  routes.post('/email/confirm', async (c) => {
    const body = await readJsonBody(c);
    return c.json(await gatehouse.accounts.confirmEmailChange(c.get('authRequest'), body));
  });

  routes.delete('/account', async (c) => {
    setCookies(c, await gatehouse.deleteAccount(c.get('authRequest'), currentAuth(c)));
    return c.body(null, 204);
  });

  routes.post('/password-check', async (c) => {
    const body = await readJsonBody(c);
    return c.json(await gatehouse.accounts.checkPassword(c.get('authRequest'), body));
  });

  return routes;
}

/** A JSON body when one was sent (Content-Type present), else undefined. */
async function readOptionalJsonBody(c: Context): Promise<unknown> {
  return c.req.header('content-type') === undefined ? undefined : readJsonBody(c);
}

/** Cookies on the response; user, session and any token fields (or the pending sign-in) in the body. */
function signedInBody(c: Context, signedIn: SignedIn | SecondFactorRequired) {
  if ('mfaRequired' in signedIn) {
    const { cookies, ...pending } = signedIn;
    setCookies(c, cookies);
    return pending;
  }
  const { cookies, tokens, ...rest } = signedIn;
  setCookies(c, cookies);
  return { ...rest, ...tokens };
}

function setCookies(c: Context, cookies: readonly string[]): void {
  for (const cookie of cookies) c.header('Set-Cookie', cookie, { append: true });
}

/** What `c.json` sends, for a body that is JSON text already. */
function jsonText(c: Context, text: string): Response {
  return c.body(text, 200, { 'Content-Type': 'application/json' });
}
