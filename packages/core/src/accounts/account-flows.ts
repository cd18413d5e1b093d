import { randomUUID } from 'node:crypto';
import type { AuthState } from '../auth-state.js';
import type { ClientKind, TokenResponse } from '../credentials.js';
import { GatehouseError } from '../errors.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import { toPublicUser, type PublicSession, type PublicUser } from '../serializers.js';
import { EmailTakenError, type UserRecord } from '../stores/types.js';
import { ChangePasswordInput, LoginInput, parseInput, SignupInput } from '../validation.js';
import type { AccountDeps } from './deps.js';
import type { EmailVerification } from './email-verification.js';
import type { KnownDevices } from './known-devices.js';
import { assertAcceptablePassword } from './new-password.js';
import { enforceRateLimits, ipSubject } from './rate-limited.js';
import { revokeEverything } from './revoke-everything.js';
import type { SecurityNotices } from './security-notices.js';
import type { StepUp } from './step-up.js';
import type { FactorMethod, Factors } from '../second-factors/factors.js';
import type { PendingSignIns } from '../second-factors/pending-sign-ins.js';

export interface SignedIn {
  user: PublicUser;
  session: PublicSession;
  /** Set-Cookie values: the new session or tokens, and the CSRF secret rotated to them. */
  cookies: string[];
  /** Token clients: what goes in the body (access token, and for native apps the refresh token). */
  tokens?: TokenResponse;
}

/**
 * The password was right, but the account has a second factor: no credential yet. The
 * cookie half of the pending sign-in goes in `cookies`; `mfaToken` is the half the client
 * sends back with its answer (a browser keeps it in memory, a native app as `mfa_token`).
 */
export interface SecondFactorRequired {
  mfaRequired: true;
  methods: FactorMethod[];
  mfaToken: string;
  expiresAt: string;
  cookies: string[];
}

export interface AccountFlowParts {
  stepUp: StepUp;
  notices: SecurityNotices;
  devices: KnownDevices;
  verification: EmailVerification;
  factors: Factors;
  pending: PendingSignIns;
}

/** What proved the user at sign-in: a second factor too, or the password alone. */
export interface SignInProof {
  factor: boolean;
  /** For the audit trail: 'totp', 'passkey', … */
  method?: string;
}

const INVALID_CREDENTIALS = 'The email or password is incorrect.';

/** Sign-up, sign-in and password change: every flow that checks or sets a password. */
export class AccountFlows {
  constructor(
    private readonly deps: AccountDeps,
    private readonly parts: AccountFlowParts,
  ) {}

  /**
   * `client`: what kind of credential to hand out. `previous`: what the browser already had;
   * it ends, replaced by the new one. The address is unverified until its owner follows the
   * link mailed here.
   */
  async signup(request: AuthRequest, body: unknown, client: ClientKind, previous?: AuthState): Promise<SignedIn> {
    const input = parseInput(SignupInput, body);
    const { rateLimits, config } = this.deps;
    await enforceRateLimits(this.deps, request, [[rateLimits.signupPerIp, ipSubject(this.deps, request)]]);
    assertAcceptablePassword(
      input.password,
      { email: input.email, name: input.name, appName: config.accounts.appName },
      'password',
    );

    const now = this.deps.clock();
    const user: UserRecord = {
      id: randomUUID(),
      email: input.email,
      name: input.name,
      passwordHash: await this.deps.passwords.hash(input.password),
      createdAt: now,
      updatedAt: now,
      emailVerifiedAt: null,
    };
    const persistent = !config.session.browserSessionCookie;
    // The account, its first credential and the verification mail are stored together or not
    // at all: a store that fails halfway must not leave an account the client was told was not made.
    const signedIn = await this.deps.stores.atomically(async () => {
      try {
        await this.deps.stores.users.create(user);
      } catch (error) {
        // Signup necessarily reveals that an address is registered; the per-IP limit above
        // keeps that from being an efficient way to enumerate accounts.
        if (error instanceof EmailTakenError) {
          throw new GatehouseError('email_taken', 'An account with this email already exists. Sign in instead.');
        }
        throw error;
      }
      const issued = await this.signIn(request, user, client, persistent, previous);
      // The first device is the one that signed up: no "new device" notice for it.
      const device = await this.parts.devices.sighting(user.id, request, client);
      issued.cookies.push(...device.cookies);
      await this.parts.verification.send(user);
      return issued;
    });
    await this.deps.audit.record('signup', this.auditContext(request, user.id, signedIn.session.id, client));
    return signedIn;
  }

  async login(
    request: AuthRequest,
    body: unknown,
    client: ClientKind,
    previous?: AuthState,
  ): Promise<SignedIn | SecondFactorRequired> {
    const input = parseInput(LoginInput, body);
    const { rateLimiter, rateLimits, passwords } = this.deps;
    const source = ipSubject(this.deps, request);
    // Counted before the password is checked, so parallel guesses cannot slip past: every
    // attempt in flight holds its place in each window until its outcome is known.
    const perIp = await enforceRateLimits(this.deps, request, [[rateLimits.loginPerIp, source]]);
    await enforceRateLimits(this.deps, request, [
      [rateLimits.loginPerAccountAndIp, `${input.email}|${source}`],
      [rateLimits.loginPerAccount, input.email],
    ]);

    const user = await this.deps.stores.users.findByEmail(input.email);
    // An unknown email costs the same argon2 verification as a wrong password and gets
    // the same answer, so neither the body nor the timing tells which accounts exist.
    const valid =
      user === undefined
        ? await passwords.verifyDummy(input.password)
        : await passwords.verify(user.passwordHash, input.password);
    if (user === undefined || !valid) {
      await this.deps.audit.record('login_failed', {
        userId: user?.id,
        ip: request.ip,
        userAgent: userAgentOf(request),
        reason: user === undefined ? 'unknown_email' : 'wrong_password',
      });
      throw new GatehouseError('invalid_credentials', INVALID_CREDENTIALS);
    }

    // Password spraying (issue 15, login limits): loginPerIp limits failures, not people. A
    // success gives back its own place in the window and nothing more, so the 31st colleague
    // behind one office NAT gets in, while a sprayer's failures still add up whatever
    // accounts of its own it signs in to between guesses.
    await rateLimiter.refund(perIp);
    // The owner got in: their account's failure counts start over.
    await rateLimiter.reset(rateLimits.loginPerAccountAndIp, `${input.email}|${source}`);
    await rateLimiter.reset(rateLimits.loginPerAccount, input.email);
    if (passwords.needsRehash(user.passwordHash)) {
      await this.deps.stores.users.updatePasswordHash(user.id, await passwords.hash(input.password), this.deps.clock());
    }
    const persistent = client === 'bearer' || (input.remember ?? !this.deps.config.session.browserSessionCookie);
    const pending = await this.secondFactorRequired(user.id, client, persistent);
    if (pending !== undefined) return pending;
    return this.completeSignIn(request, user, client, persistent, { factor: false }, previous);
  }

  /**
   * When the user has a second factor: a pending sign-in waiting for it, instead of any
   * credential. A right password (or a mailbox, for a reset) is never enough on its own then.
   */
  async secondFactorRequired(
    userId: string,
    client: ClientKind,
    persistent: boolean,
  ): Promise<SecondFactorRequired | undefined> {
    const methods = await this.parts.factors.methods(userId);
    if (methods.length === 0) return undefined;
    const started = await this.parts.pending.start(userId, client, persistent);
    return {
      mfaRequired: true,
      methods,
      mfaToken: started.mfaToken,
      expiresAt: new Date(started.expiresAt).toISOString(),
      cookies: started.cookies,
    };
  }

  /**
   * The end of every successful sign-in (password, second step, passkey): the credential,
   * the device seen (and a notice when it is new), the audit row.
   */
  async completeSignIn(
    request: AuthRequest,
    user: UserRecord,
    client: ClientKind,
    persistent: boolean,
    proof: SignInProof,
    previous?: AuthState,
  ): Promise<SignedIn> {
    const signedIn = await this.signIn(request, user, client, persistent, previous, proof);
    const device = await this.parts.devices.sighting(user.id, request, client);
    signedIn.cookies.push(...device.cookies);
    await this.deps.audit.record('login_succeeded', {
      ...this.auditContext(request, user.id, signedIn.session.id, client),
      ...(proof.method === undefined ? {} : { reason: `${client}:${proof.method}` }),
    });
    if (device.isNew) {
      await this.parts.notices.newDeviceSignIn(user.email, request);
      await this.deps.audit.record('new_device_sign_in', this.auditContext(request, user.id, signedIn.session.id));
    }
    return signedIn;
  }

  /**
   * Changes the password after checking the current one (which is itself the step-up), then
   * ends every session and token family of the user (this one too) and, unless the user keeps
   * them, every API key; starts a new credential of the same kind: whoever held a stolen
   * cookie, token or minted key is out, and the caller gets a fresh credential.
   */
  async changePassword(request: AuthRequest, auth: AuthState, body: unknown): Promise<SignedIn> {
    const input = parseInput(ChangePasswordInput, body);
    const { rateLimits, passwords, config } = this.deps;
    if (auth.credential === 'api-key') {
      throw new GatehouseError('forbidden', 'An API key cannot do this: sign in as the user.');
    }
    // A stolen session must not become a password-guessing oracle.
    await enforceRateLimits(
      this.deps,
      request,
      [[rateLimits.loginPerAccountAndIp, `${auth.user.email}|${ipSubject(this.deps, request)}`]],
      auth.user.id,
    );
    // Fresh from the store: a cached user record may predate a change made elsewhere.
    const current = await this.deps.stores.users.findById(auth.user.id);
    if (current === undefined) throw new GatehouseError('unauthenticated', 'Sign in to continue.');
    if (!(await passwords.verify(current.passwordHash, input.currentPassword))) {
      await this.deps.audit.record('login_failed', {
        ...this.auditContext(request, auth.user.id, auth.sessionId),
        reason: 'password_change_wrong_current',
      });
      throw new GatehouseError('invalid_credentials', 'The current password is incorrect.', {
        fields: { currentPassword: 'is incorrect' },
      });
    }
    assertAcceptablePassword(
      input.newPassword,
      { email: current.email, name: current.name, appName: config.accounts.appName },
      'newPassword',
    );

    const keepApiKeys = input.keepApiKeys === true;
    const client: ClientKind = auth.credential === 'session' ? 'session' : (auth.client ?? 'bearer');
    const persistent = auth.session?.persistent ?? true;
    const passwordHash = await passwords.hash(input.newPassword);
    const signedIn = await this.deps.stores.atomically(async () => {
      const now = this.deps.clock();
      await this.deps.stores.users.updatePasswordHash(auth.user.id, passwordHash, now);
      // A reset link mailed before the change must not undo it.
      await this.deps.oneTimeTokens.voidForUser(auth.user.id, ['reset_password']);
      this.deps.userCache.evict(auth.user.id);
      await revokeEverything(this.deps, auth.user.id, 'password_changed', { keepApiKeys });
      const user = { ...current, passwordHash, updatedAt: now };
      const issued = await this.signIn(request, user, client, persistent);
      await this.parts.notices.passwordChanged(current.email, request, !keepApiKeys);
      return issued;
    });
    await this.deps.audit.record(
      'password_changed',
      this.auditContext(request, current.id, signedIn.session.id, client),
    );
    return signedIn;
  }

  /**
   * Always a brand-new credential: nothing the browser held before sign-in (a planted cookie,
   * someone else's session) carries over, which is what makes session fixation impossible.
   * The password (or a passkey) was just proven, so the new credential starts with a fresh
   * step-up stamp, and a fresh factor stamp when a second factor was proven too.
   */
  async signIn(
    request: AuthRequest,
    user: UserRecord,
    client: ClientKind,
    persistent: boolean,
    previous?: AuthState,
    proof: SignInProof = { factor: false },
  ): Promise<SignedIn> {
    // Only cookie credentials are "the browser's" to replace; an API key is not ended by a login.
    if (previous !== undefined && previous.credential !== 'api-key') {
      await this.deps.credentials.endCurrent(previous, 'replaced');
    }
    const issued = await this.deps.credentials.issue({
      userId: user.id,
      client,
      persistent,
      ip: request.ip,
      userAgent: userAgentOf(request),
    });
    await this.parts.stepUp.mark(client === 'session' ? 'session' : 'token_family', issued.session.id, {
      password: true,
      factor: proof.factor,
    });
    const signedIn: SignedIn = { user: toPublicUser(user), session: issued.session, cookies: [...issued.cookies] };
    if (issued.tokens !== undefined) signedIn.tokens = issued.tokens;
    return signedIn;
  }

  private auditContext(request: AuthRequest, userId: string, sessionId: string, client?: ClientKind) {
    return {
      userId,
      sessionId,
      ip: request.ip,
      userAgent: userAgentOf(request),
      reason: client === undefined || client === 'session' ? null : client,
    };
  }
}
