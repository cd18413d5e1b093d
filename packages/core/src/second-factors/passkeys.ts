import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Clock } from '../clock.js';
import type { PasskeyRecord, PasskeyStore, WebAuthnChallengeStore, WebAuthnPurpose } from '../stores/types.js';

/** How long a browser may take over one ceremony (the prompt, the fingerprint). */
const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export interface RelyingParty {
  name: string;
  /** The registrable domain passkeys are bound to: PUBLIC_ORIGIN's host. */
  id: string;
  /** Pages allowed to run the ceremonies: the trusted origins on that host or below it. */
  origins: string[];
}

/** What a ceremony was started for; a response counts only for the same thing. */
export interface Ceremony {
  purpose: WebAuthnPurpose;
  /** Whose: known for everything but a passkey sign-in, where the passkey names the user. */
  userId: string | null;
  /** The pending sign-in or the session/family the ceremony runs in. */
  boundTo: string | null;
}

export interface VerifiedPasskey {
  passkey: PasskeyRecord;
  /** The authenticator checked its owner (PIN, fingerprint): the passkey alone is two factors. */
  userVerified: boolean;
}

/** Why a response was refused; the caller picks the answer the client sees. */
export class PasskeyRejected extends Error {
  override readonly name = 'PasskeyRejected';
}

/**
 * WebAuthn through @simplewebauthn/server: options out, responses checked against a
 * single-use challenge, the RP ID and the expected origins, and the signature counter.
 */
export class Passkeys {
  constructor(
    private readonly passkeys: PasskeyStore,
    private readonly challenges: WebAuthnChallengeStore,
    private readonly rp: RelyingParty,
    private readonly clock: Clock,
  ) {}

  list(userId: string): Promise<PasskeyRecord[]> {
    return this.passkeys.listForUser(userId);
  }

  count(userId: string): Promise<number> {
    return this.passkeys.countForUser(userId);
  }

  async registrationOptions(
    user: { id: string; email: string; name: string | null },
    boundTo: string,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.passkeys.listForUser(user.id);
    const options = await generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rp.id,
      userName: user.email,
      userDisplayName: user.name ?? user.email,
      userID: new TextEncoder().encode(user.id),
      attestationType: 'none',
      // A passkey is discoverable: it can name its user at sign-in without an email typed.
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      excludeCredentials: existing.map((passkey) => ({ id: passkey.id, transports: asTransports(passkey.transports) })),
      timeout: CHALLENGE_TTL_MS,
    });
    await this.remember(options.challenge, { purpose: 'register', userId: user.id, boundTo });
    return options;
  }

  async register(
    userId: string,
    boundTo: string,
    response: RegistrationResponseJSON,
    name: string,
  ): Promise<PasskeyRecord> {
    const ceremony: Ceremony = { purpose: 'register', userId, boundTo };
    let verified;
    try {
      verified = await verifyRegistrationResponse({
        response,
        expectedChallenge: (challenge) => this.take(challenge, ceremony),
        expectedOrigin: this.rp.origins,
        expectedRPID: this.rp.id,
        requireUserVerification: false,
      });
    } catch (error) {
      throw new PasskeyRejected(error instanceof Error ? error.message : 'registration not verified', { cause: error });
    }
    if (!verified.verified) throw new PasskeyRejected('registration not verified');
    const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
    if ((await this.passkeys.find(credential.id)) !== undefined)
      throw new PasskeyRejected('passkey already registered');
    const passkey: PasskeyRecord = {
      id: credential.id,
      userId,
      name,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      createdAt: this.clock(),
      lastUsedAt: null,
    };
    await this.passkeys.create(passkey);
    return passkey;
  }

  /** `userId` given: only that user's passkeys are offered (second factor, step-up). */
  async authenticationOptions(ceremony: Ceremony): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const allowed = ceremony.userId === null ? [] : await this.passkeys.listForUser(ceremony.userId);
    const options = await generateAuthenticationOptions({
      rpID: this.rp.id,
      allowCredentials: allowed.map((passkey) => ({ id: passkey.id, transports: asTransports(passkey.transports) })),
      userVerification: ceremony.purpose === 'second_factor' ? 'preferred' : 'required',
      timeout: CHALLENGE_TTL_MS,
    });
    await this.remember(options.challenge, ceremony);
    return options;
  }

  /** Checks an assertion for the ceremony; records the use. Throws PasskeyRejected. */
  async authenticate(response: AuthenticationResponseJSON, ceremony: Ceremony): Promise<VerifiedPasskey> {
    const passkey = await this.passkeys.find(response.id);
    if (passkey === undefined) throw new PasskeyRejected('unknown passkey');
    if (ceremony.userId !== null && passkey.userId !== ceremony.userId)
      throw new PasskeyRejected("another user's passkey");
    let verified;
    try {
      verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge: (challenge) => this.take(challenge, ceremony),
        expectedOrigin: this.rp.origins,
        expectedRPID: this.rp.id,
        credential: {
          id: passkey.id,
          publicKey: Buffer.from(passkey.publicKey, 'base64url'),
          counter: passkey.counter,
          transports: asTransports(passkey.transports),
        },
        // Without a user, the passkey is all there is: it must have checked its owner.
        requireUserVerification: ceremony.purpose !== 'second_factor',
      });
    } catch (error) {
      throw new PasskeyRejected(error instanceof Error ? error.message : 'assertion not verified', { cause: error });
    }
    if (!verified.verified) throw new PasskeyRejected('assertion not verified');
    const info = verified.authenticationInfo;
    const now = this.clock();
    // The library refused a counter that went backwards; this refuses two uses racing.
    if (!(await this.passkeys.recordUse(passkey.id, passkey.counter, info.newCounter, info.credentialBackedUp, now))) {
      throw new PasskeyRejected('signature counter did not move forward');
    }
    return {
      passkey: { ...passkey, counter: info.newCounter, backedUp: info.credentialBackedUp, lastUsedAt: now },
      userVerified: info.userVerified,
    };
  }

  rename(userId: string, id: string, name: string): Promise<boolean> {
    return this.passkeys.rename(userId, id, name);
  }

  remove(userId: string, id: string): Promise<boolean> {
    return this.passkeys.delete(userId, id);
  }

  private remember(challenge: string, ceremony: Ceremony): Promise<void> {
    return this.challenges.create({ challenge, ...ceremony, expiresAt: this.clock() + CHALLENGE_TTL_MS });
  }

  /** Used up whatever the outcome: a challenge is good for one response only. */
  private async take(challenge: string, ceremony: Ceremony): Promise<boolean> {
    const stored = await this.challenges.take(challenge, this.clock());
    return (
      stored?.purpose === ceremony.purpose &&
      stored.boundTo === ceremony.boundTo &&
      (stored.userId === null || stored.userId === ceremony.userId)
    );
  }
}

function asTransports(transports: readonly string[]): AuthenticatorTransportFuture[] {
  return transports as AuthenticatorTransportFuture[];
}
