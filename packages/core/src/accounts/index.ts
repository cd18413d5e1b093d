import type { AuthState } from '../auth-state.js';
import type { ClientKind } from '../credentials.js';
import type { AuthRequest } from '../request.js';
import type { PublicUser } from '../serializers.js';
import type { PublicApiKey } from '../tokens/api-keys.js';
import { AccountDeletion, type AccountDeletionHook } from './account-deletion.js';
import { AccountFlows, type SignedIn } from './account-flows.js';
import { ApiKeyIssuance } from './api-key-issuance.js';
import type { AccountDeps } from './deps.js';
import { EmailChange } from './email-change.js';
import { EmailVerification } from './email-verification.js';
import { KnownDevices } from './known-devices.js';
import { checkPassword, type PasswordCheck } from './password-check.js';
import { PasswordReset } from './password-reset.js';
import { SecurityNotices } from './security-notices.js';
import { SignOutEverywhere } from './sign-out-everywhere.js';
import { StepUp } from './step-up.js';

export type { SignedIn } from './account-flows.js';
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

  constructor(private readonly deps: AccountDeps) {
    const notices = new SecurityNotices(deps);
    this.stepUp = new StepUp(deps);
    this.verification = new EmailVerification(deps);
    this.flows = new AccountFlows(deps, {
      stepUp: this.stepUp,
      notices,
      devices: new KnownDevices(deps),
      verification: this.verification,
    });
    this.reset = new PasswordReset(deps, this.flows, notices);
    this.emailChange = new EmailChange(deps, this.stepUp, notices);
    this.deletion = new AccountDeletion(deps, this.stepUp, notices);
    this.apiKeyIssuance = new ApiKeyIssuance(deps, this.stepUp, notices);
    this.everywhere = new SignOutEverywhere(deps, this.stepUp);
  }

  signup(request: AuthRequest, body: unknown, client: ClientKind, previous?: AuthState): Promise<SignedIn> {
    return this.flows.signup(request, body, client, previous);
  }

  login(request: AuthRequest, body: unknown, client: ClientKind, previous?: AuthState): Promise<SignedIn> {
    return this.flows.login(request, body, client, previous);
  }

  changePassword(request: AuthRequest, auth: AuthState, body: unknown): Promise<SignedIn> {
    return this.flows.changePassword(request, auth, body);
  }

  reauthenticate(request: AuthRequest, auth: AuthState, body: unknown): Promise<{ reauthenticatedUntil: string }> {
    return this.stepUp.reauthenticate(request, auth, body);
  }

  /** For an app's own sensitive routes: `reauthentication_required` unless the password is fresh. */
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

  confirmPasswordReset(
    request: AuthRequest,
    body: unknown,
    client: ClientKind,
    previous?: AuthState,
  ): Promise<SignedIn> {
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
