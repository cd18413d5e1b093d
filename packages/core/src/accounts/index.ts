import type { AuthState } from '../auth-state.js';
import type { ClientKind } from '../credentials.js';
import type { AuthRequest } from '../request.js';
import type { PublicUser } from '../serializers.js';
import type { PublicApiKey } from '../tokens/api-keys.js';
import { AccountDeletion, type AccountDeletionHook } from './account-deletion.js';
import { AccountFlows, type SecondFactorRequired, type SignedIn } from './account-flows.js';
import { ApiKeyIssuance } from './api-key-issuance.js';
import { AppPasswordIssuance } from './app-password-issuance.js';
import type { AccountDeps } from './deps.js';
import { EmailChange } from './email-change.js';
import { EmailVerification } from './email-verification.js';
import { KnownDevices } from './known-devices.js';
import { checkPassword, type PasswordCheck } from './password-check.js';
import { PasswordReset } from './password-reset.js';
import { SecurityNotices } from './security-notices.js';
import { SignOutEverywhere } from './sign-out-everywhere.js';
import { StepUp } from './step-up.js';
import { Factors } from '../second-factors/factors.js';
import { FactorManagement } from '../second-factors/factor-management.js';
import { Passkeys, type RelyingParty } from '../second-factors/passkeys.js';
import { PendingSignIns } from '../second-factors/pending-sign-ins.js';
import { RecoveryCodes } from '../second-factors/recovery-codes.js';
import { SecondFactorSignIn, type SecondStepDone } from '../second-factors/second-factor-sign-in.js';
import { TotpFactor } from '../second-factors/totp.js';
import type { GatehouseConfig } from '../config.js';

export type { SignedIn, SecondFactorRequired } from './account-flows.js';
export type { SecondStepDone } from '../second-factors/second-factor-sign-in.js';
export type { AccountDeletionHook } from './account-deletion.js';
export type { PasswordCheck } from './password-check.js';

/**
 * Everything a person does with their account, one method per route of the HTTP contract:
 * sign-up and sign-in, step-up, email verification and change, password change and reset,
 * API keys, signing out everywhere, deletion. Each flow lives in its own module here; this
 * class only wires them.
 */
export class Accounts {
  private readonly flows: AccountFlows;
  private readonly stepUp: StepUp;
  private readonly verification: EmailVerification;
  private readonly reset: PasswordReset;
  private readonly emailChange: EmailChange;
  private readonly deletion: AccountDeletion;
  private readonly apiKeyIssuance: ApiKeyIssuance;
  private readonly everywhere: SignOutEverywhere;
  private readonly pending: PendingSignIns;
  private readonly secondStep: SecondFactorSignIn;
  /** Setting up and removing TOTP, recovery codes and passkeys (`GET /second-factors` and the rest). */
  readonly factors: FactorManagement;
  /** Creating (with step-up and a notice) and revoking app passwords. */
  readonly appPasswords: AppPasswordIssuance;

  constructor(private readonly deps: AccountDeps) {
    const { config, stores, clock, random } = deps;
    const notices = new SecurityNotices(deps);
    const factors = new Factors(
      deps,
      new TotpFactor(stores.totp, config.secret, clock, config.accounts.appName),
      new RecoveryCodes(stores.recoveryCodes, config.secret, clock, random),
      new Passkeys(stores.passkeys, stores.webauthnChallenges, relyingParty(config), clock),
      notices,
    );
    this.pending = new PendingSignIns(stores.pendingSignIns, clock, random, config.secureCookies, config.browserMode);
    this.stepUp = new StepUp(deps, factors);
    this.verification = new EmailVerification(deps);
    this.flows = new AccountFlows(deps, {
      stepUp: this.stepUp,
      notices,
      devices: new KnownDevices(deps),
      verification: this.verification,
      factors,
      pending: this.pending,
    });
    this.secondStep = new SecondFactorSignIn(deps, this.flows, factors, this.pending);
    this.factors = new FactorManagement(deps, this.stepUp, factors, notices);
    this.reset = new PasswordReset(deps, this.flows, notices);
    this.emailChange = new EmailChange(deps, this.stepUp, notices);
    this.deletion = new AccountDeletion(deps, this.stepUp, notices);
    this.apiKeyIssuance = new ApiKeyIssuance(deps, this.stepUp, notices);
    this.appPasswords = new AppPasswordIssuance(deps, deps.appPasswords, this.stepUp, notices);
    this.everywhere = new SignOutEverywhere(deps, this.stepUp);
  }

  signup(request: AuthRequest, body: unknown, client: ClientKind, previous?: AuthState): Promise<SignedIn> {
    return this.flows.signup(request, body, client, previous);
  }

  /** Signed in, or (with a second factor) a pending sign-in waiting for it. */
  login(
    request: AuthRequest,
    body: unknown,
    client: ClientKind,
    previous?: AuthState,
  ): Promise<SignedIn | SecondFactorRequired> {
    return this.flows.login(request, body, client, previous);
  }

  completeSecondFactor(request: AuthRequest, body: unknown, previous?: AuthState): Promise<SecondStepDone> {
    return this.secondStep.complete(request, body, previous);
  }

  secondFactorOptions(request: AuthRequest, body: unknown) {
    return this.secondStep.options(request, body);
  }

  passkeySignInOptions(body: unknown) {
    return this.secondStep.passkeyOptions(body);
  }

  passkeySignIn(request: AuthRequest, body: unknown, client: ClientKind, previous?: AuthState): Promise<SignedIn> {
    return this.secondStep.passkeySignIn(request, body, client, previous);
  }

  /** A passkey challenge for a step-up. */
  reauthenticationOptions(auth: AuthState, body: unknown) {
    return this.stepUp.options(auth, body);
  }

  /** Housekeeping: pending sign-ins and WebAuthn challenges past their five minutes. */
  async deleteExpiredSecondFactorState(): Promise<void> {
    await this.pending.deleteExpired();
    await this.deps.stores.webauthnChallenges.deleteExpired(this.deps.clock());
  }

  changePassword(request: AuthRequest, auth: AuthState, body: unknown): Promise<SignedIn> {
    return this.flows.changePassword(request, auth, body);
  }

  reauthenticate(request: AuthRequest, auth: AuthState, body: unknown): Promise<{ reauthenticatedUntil: string }> {
    return this.stepUp.reauthenticate(request, auth, body);
  }

  /**
   * For an app's own sensitive routes: `reauthentication_required` unless the password (and,
   * when the user asked for it, the second factor) was proven recently on this credential.
   */
  requireStepUp(auth: AuthState): Promise<void> {
    return this.stepUp.require(auth);
  }

  sendVerificationEmail(request: AuthRequest, auth: AuthState): Promise<{ status: 'sent' | 'already_verified' }> {
    return this.verification.resend(request, auth);
  }

  verifyEmail(request: AuthRequest, body: unknown): Promise<{ user: PublicUser }> {
    return this.verification.confirm(request, body);
  }

  requestPasswordReset(request: AuthRequest, body: unknown): Promise<{ status: 'sent'; detail: string }> {
    return this.reset.request(request, body);
  }

  checkPasswordReset(request: AuthRequest, body: unknown): Promise<{ valid: true; expiresAt: string }> {
    return this.reset.check(request, body);
  }

  /** Signed in, or (with a second factor) a pending sign-in: a mailbox alone never gets past 2FA. */
  confirmPasswordReset(
    request: AuthRequest,
    body: unknown,
    client: ClientKind,
    previous?: AuthState,
  ): Promise<SignedIn | SecondFactorRequired> {
    return this.reset.confirm(request, body, client, previous);
  }

  requestEmailChange(request: AuthRequest, auth: AuthState, body: unknown): Promise<{ status: 'sent' }> {
    return this.emailChange.request(request, auth, body);
  }

  confirmEmailChange(request: AuthRequest, body: unknown): Promise<{ user: PublicUser }> {
    return this.emailChange.confirm(request, body);
  }

  createApiKey(
    request: AuthRequest,
    auth: AuthState,
    body: unknown,
  ): Promise<{ apiKey: PublicApiKey; secret: string }> {
    return this.apiKeyIssuance.create(request, auth, body);
  }

  signOutEverywhere(request: AuthRequest, auth: AuthState, body: unknown): Promise<void> {
    return this.everywhere.run(request, auth, body);
  }

  deleteAccount(request: AuthRequest, auth: AuthState): Promise<void> {
    return this.deletion.delete(request, auth);
  }

  /** Registers the app's own cleanup, run inside the deletion's transaction. */
  onAccountDeletion(hook: AccountDeletionHook): void {
    this.deletion.register(hook);
  }

  checkPassword(request: AuthRequest, body: unknown): Promise<PasswordCheck> {
    return checkPassword(this.deps, request, body);
  }

  /** Waits for work started after a response went (the reset lookup): for tests and shutdown. */
  idle(): Promise<void> {
    return this.deps.background.idle();
  }
}

/**
 * Passkeys belong to PUBLIC_ORIGIN's host. Ceremonies may run on the trusted origins of that
 * host or its subdomains (a browser only lets a page use an RP ID it is on); never elsewhere.
 */
function relyingParty(config: GatehouseConfig): RelyingParty {
  const id = new URL(config.publicOrigin).hostname;
  const origins = config.trustedOrigins.filter((origin) => {
    const host = new URL(origin).hostname;
    return host === id || host.endsWith(`.${id}`);
  });
  return { name: config.accounts.appName, id, origins };
}
