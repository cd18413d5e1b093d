import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { AccountDeps } from '../accounts/deps.js';
import type { SecurityNotices } from '../accounts/security-notices.js';
import { stepUpSubject, type StepUp } from '../accounts/step-up.js';
import type { AuthState } from '../auth-state.js';
import { GatehouseError } from '../errors.js';
import type { FactorChange } from '../mail/templates.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import type { AuditEventType, PasskeyRecord } from '../stores/types.js';
import { parseInput } from '../validation.js';
import type { Factors } from './factors.js';
import { AddPasskeyInput, EnableTotpInput, NoInput, RenamePasskeyInput, StepUpSettingInput } from './inputs.js';
import { PasskeyRejected } from './passkeys.js';
import type { TotpSetup } from './totp.js';

export interface PublicPasskey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  backedUp: boolean;
  deviceType: 'singleDevice' | 'multiDevice';
}

export interface SecondFactorOverview {
  totp: { enabled: boolean; enabledAt: string | null };
  recoveryCodes: { remaining: number };
  passkeys: PublicPasskey[];
  stepUpRequiresFactor: boolean;
}

function toPublicPasskey(passkey: PasskeyRecord): PublicPasskey {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: new Date(passkey.createdAt).toISOString(),
    lastUsedAt: passkey.lastUsedAt === null ? null : new Date(passkey.lastUsedAt).toISOString(),
    backedUp: passkey.backedUp,
    deviceType: passkey.deviceType,
  };
}

const FACTOR_CHANGE = { factorChange: true } as const;

/**
 * The owner's own management of their second factors. Every change needs a recent step-up,
 * with the second factor itself once 2FA is on (so a phished password and a stolen session
 * cannot swap the owner's factor for the thief's), and is mailed to the owner and audited.
 */
export class FactorManagement {
  constructor(
    private readonly deps: Pick<AccountDeps, 'stores' | 'audit' | 'clock'>,
    private readonly stepUp: StepUp,
    private readonly factors: Factors,
    private readonly notices: SecurityNotices,
  ) {}

  async overview(auth: AuthState): Promise<SecondFactorOverview> {
    stepUpSubject(auth);
    const userId = auth.user.id;
    const [enabledAt, remaining, passkeys, stepUpRequiresFactor] = await Promise.all([
      this.factors.totp.enabledAt(userId),
      this.factors.recoveryCodes.remaining(userId),
      this.factors.passkeys.list(userId),
      this.deps.stores.users.stepUpRequiresFactor(userId),
    ]);
    return {
      totp: { enabled: enabledAt !== null, enabledAt: enabledAt === null ? null : new Date(enabledAt).toISOString() },
      recoveryCodes: { remaining },
      passkeys: passkeys.map(toPublicPasskey),
      stepUpRequiresFactor,
    };
  }

  async totpSetup(auth: AuthState, body: unknown): Promise<TotpSetup> {
    parseInput(NoInput, body);
    await this.stepUp.require(auth, FACTOR_CHANGE);
    const setup = await this.factors.totp.begin(auth.user.id, auth.user.email);
    if (setup === undefined) {
      throw new GatehouseError(
        'conflict',
        'An authenticator app is already set up: remove it first to set up another.',
      );
    }
    return setup;
  }

  async totpEnable(request: AuthRequest, auth: AuthState, body: unknown): Promise<{ recoveryCodes: string[] | null }> {
    const input = parseInput(EnableTotpInput, body);
    await this.stepUp.require(auth, FACTOR_CHANGE);
    const outcome = await this.factors.totp.enable(auth.user.id, input.code);
    if (outcome === 'no_setup') {
      throw new GatehouseError('conflict', 'There is no authenticator setup waiting: start the setup again.');
    }
    if (outcome === 'wrong') {
      throw new GatehouseError(
        'validation_failed',
        'The code is incorrect: check the time on your phone and try the next code.',
        {
          fields: { code: 'is incorrect' },
        },
      );
    }
    // The code just proved the factor on this credential: the next factor change needs no other.
    await this.stepUp.mark(stepUpSubject(auth), auth.sessionId, { password: false, factor: true });
    const recoveryCodes = await this.firstRecoveryCodes(auth.user.id);
    await this.changed(request, auth, 'totp_enabled', { kind: 'totp_enabled' });
    return { recoveryCodes };
  }

  async totpDisable(request: AuthRequest, auth: AuthState): Promise<void> {
    await this.stepUp.require(auth, FACTOR_CHANGE);
    if (!(await this.factors.totp.isEnabled(auth.user.id))) {
      throw new GatehouseError('not_found', 'No authenticator app is set up.');
    }
    await this.factors.totp.disable(auth.user.id);
    await this.afterRemoval(auth.user.id);
    await this.changed(request, auth, 'totp_disabled', { kind: 'totp_disabled' });
  }

  async regenerateRecoveryCodes(
    request: AuthRequest,
    auth: AuthState,
    body: unknown,
  ): Promise<{ recoveryCodes: string[] }> {
    parseInput(NoInput, body);
    await this.stepUp.require(auth, FACTOR_CHANGE);
    if (!(await this.factors.hasFactor(auth.user.id))) {
      throw new GatehouseError(
        'conflict',
        'Turn on two-factor authentication first: recovery codes stand in for a factor.',
      );
    }
    const recoveryCodes = await this.factors.recoveryCodes.generate(auth.user.id);
    await this.changed(request, auth, 'recovery_codes_generated', { kind: 'recovery_codes_generated' });
    return { recoveryCodes };
  }

  async passkeyOptions(auth: AuthState, body: unknown): Promise<{ options: PublicKeyCredentialCreationOptionsJSON }> {
    parseInput(NoInput, body);
    await this.stepUp.require(auth, FACTOR_CHANGE);
    const user = await this.deps.stores.users.findById(auth.user.id);
    if (user === undefined) throw new GatehouseError('unauthenticated', 'Sign in to continue.');
    return { options: await this.factors.passkeys.registrationOptions(user, auth.sessionId) };
  }

  async addPasskey(
    request: AuthRequest,
    auth: AuthState,
    body: unknown,
  ): Promise<{ passkey: PublicPasskey; recoveryCodes: string[] | null }> {
    const input = parseInput(AddPasskeyInput, body);
    await this.stepUp.require(auth, FACTOR_CHANGE);
    const name = input.name ?? `Passkey ${String((await this.factors.passkeys.count(auth.user.id)) + 1)}`;
    let passkey: PasskeyRecord;
    try {
      passkey = await this.factors.passkeys.register(auth.user.id, auth.sessionId, input.response, name);
    } catch (error) {
      if (!(error instanceof PasskeyRejected)) throw error;
      await this.audit(request, auth, 'second_factor_failed', `passkey_registration:${error.message.slice(0, 100)}`);
      throw new GatehouseError('validation_failed', 'The passkey was not accepted: start again from "Add a passkey".', {
        fields: { response: 'was not accepted' },
      });
    }
    const recoveryCodes = await this.firstRecoveryCodes(auth.user.id);
    await this.changed(request, auth, 'passkey_added', { kind: 'passkey_added', name }, passkey.id);
    return { passkey: toPublicPasskey(passkey), recoveryCodes };
  }

  async renamePasskey(
    request: AuthRequest,
    auth: AuthState,
    id: string,
    body: unknown,
  ): Promise<{ passkey: PublicPasskey }> {
    stepUpSubject(auth);
    const input = parseInput(RenamePasskeyInput, body);
    if (!(await this.factors.passkeys.rename(auth.user.id, id, input.name))) throw noSuchPasskey();
    const passkey = await this.deps.stores.passkeys.find(id);
    if (passkey === undefined) throw noSuchPasskey();
    await this.audit(request, auth, 'passkey_renamed', id);
    return { passkey: toPublicPasskey(passkey) };
  }

  async removePasskey(request: AuthRequest, auth: AuthState, id: string): Promise<void> {
    stepUpSubject(auth);
    const passkey = await this.deps.stores.passkeys.find(id);
    if (passkey?.userId !== auth.user.id) throw noSuchPasskey();
    await this.stepUp.require(auth, FACTOR_CHANGE);
    if (!(await this.factors.passkeys.remove(auth.user.id, id))) throw noSuchPasskey();
    await this.afterRemoval(auth.user.id);
    await this.changed(request, auth, 'passkey_removed', { kind: 'passkey_removed', name: passkey.name }, id);
  }

  async setStepUpRequiresFactor(
    request: AuthRequest,
    auth: AuthState,
    body: unknown,
  ): Promise<{ stepUpRequiresFactor: boolean }> {
    const input = parseInput(StepUpSettingInput, body);
    await this.stepUp.require(auth, FACTOR_CHANGE);
    if (input.required && !(await this.factors.hasFactor(auth.user.id))) {
      throw new GatehouseError('conflict', 'Turn on two-factor authentication first.');
    }
    await this.deps.stores.users.setStepUpRequiresFactor(auth.user.id, input.required, this.deps.clock());
    await this.audit(request, auth, 'mfa_step_up_changed', input.required ? 'on' : 'off');
    return { stepUpRequiresFactor: input.required };
  }

  /** Codes come with the first factor; a user who already holds unused ones keeps them. */
  private async firstRecoveryCodes(userId: string): Promise<string[] | null> {
    if ((await this.factors.recoveryCodes.remaining(userId)) > 0) return null;
    return this.factors.recoveryCodes.generate(userId);
  }

  /** With the last factor gone, recovery codes and the step-up setting have nothing to stand for. */
  private async afterRemoval(userId: string): Promise<void> {
    if (await this.factors.hasFactor(userId)) return;
    await this.factors.recoveryCodes.deleteAll(userId);
    await this.deps.stores.users.setStepUpRequiresFactor(userId, false, this.deps.clock());
  }

  private async changed(
    request: AuthRequest,
    auth: AuthState,
    event: AuditEventType,
    change: FactorChange,
    reason?: string,
  ): Promise<void> {
    await this.notices.secondFactorChanged(auth.user.email, request, change);
    await this.audit(request, auth, event, reason);
  }

  private audit(request: AuthRequest, auth: AuthState, event: AuditEventType, reason?: string): Promise<void> {
    return this.deps.audit.record(event, {
      userId: auth.user.id,
      sessionId: auth.sessionId,
      ip: request.ip,
      userAgent: userAgentOf(request),
      ...(reason === undefined ? {} : { reason }),
    });
  }
}

function noSuchPasskey(): GatehouseError {
  return new GatehouseError('not_found', 'No passkey with that id.');
}
