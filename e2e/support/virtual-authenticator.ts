import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import type { CDPSession, Page } from '@playwright/test';

/**
 * Chromium's virtual authenticator (CDP `WebAuthn` domain): a platform authenticator with
 * user verification that answers every WebAuthn ceremony of one tab without a person, and
 * whose credentials (private keys and sign counters included) a test can read back.
 * Passkeys tests (e2e/tests/passkeys, passkey-phishing) create and use passkeys with it, and
 * forge assertions with its keys to reach each check of the server one at a time.
 */
export interface VirtualCredential {
  /** base64url, as the credential's `id` in a WebAuthn JSON response. */
  id: string;
  rpId: string;
  /** base64url user handle (the server's user.id in the creation options). */
  userHandle: string;
  signCount: number;
  /** PKCS#8 DER, base64: the authenticator's secret, read back for forging. */
  privateKey: string;
  resident: boolean;
}

export class VirtualAuthenticator {
  private constructor(
    private readonly cdp: CDPSession,
    readonly id: string,
  ) {}

  /** A resident-key, user-verifying platform authenticator for `page`'s tab. */
  static async attach(page: Page): Promise<VirtualAuthenticator> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return new VirtualAuthenticator(cdp, authenticatorId);
  }

  async credentials(): Promise<VirtualCredential[]> {
    const { credentials } = await this.cdp.send('WebAuthn.getCredentials', { authenticatorId: this.id });
    return credentials.map((credential) => ({
      id: base64ToUrl(credential.credentialId),
      rpId: credential.rpId ?? '',
      userHandle: base64ToUrl(credential.userHandle ?? ''),
      signCount: credential.signCount,
      privateKey: credential.privateKey,
      resident: credential.isResidentCredential,
    }));
  }

  /** The one credential this authenticator holds for `rpId`. */
  async credentialFor(rpId: string): Promise<VirtualCredential> {
    const matching = (await this.credentials()).filter((credential) => credential.rpId === rpId);
    if (matching.length !== 1 || matching[0] === undefined) {
      throw new Error(`expected one credential for ${rpId}, the authenticator holds ${String(matching.length)}`);
    }
    return matching[0];
  }
}

/** What a ceremony in the page gave: the response as JSON, or the DOMException's name and message. */
export type CeremonyResult = { ok: true; response: WebAuthnJson } | { ok: false; error: string };

export type WebAuthnJson = Record<string, unknown> & { id: string; response: Record<string, unknown> };

/**
 * navigator.credentials.create() in the page, on whatever origin the page is, with the
 * server's creation options (PublicKeyCredentialCreationOptionsJSON) as they arrived, or with
 * `override` spread over them (what a phishing page would change).
 */
export function createCredential(page: Page, options: unknown, override: Record<string, unknown> = {}) {
  return page.evaluate(
    async ({ options, override }): Promise<CeremonyResult> => {
      try {
        const json = { ...(options as PublicKeyCredentialCreationOptionsJSON), ...override };
        const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(json);
        const credential = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential | null;
        if (credential === null) return { ok: false, error: 'no credential' };
        return { ok: true, response: credential.toJSON() as unknown as WebAuthnJson };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
    },
    { options, override },
  );
}

/** navigator.credentials.get() in the page with the server's request options (or `override`n ones). */
export function getAssertion(page: Page, options: unknown, override: Record<string, unknown> = {}) {
  return page.evaluate(
    async ({ options, override }): Promise<CeremonyResult> => {
      try {
        const json = { ...(options as PublicKeyCredentialRequestOptionsJSON), ...override };
        const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(json);
        const credential = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential | null;
        if (credential === null) return { ok: false, error: 'no credential' };
        return { ok: true, response: credential.toJSON() as unknown as WebAuthnJson };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
    },
    { options, override },
  );
}

/** The response of a ceremony that must have worked. */
export function responseOf(result: CeremonyResult): WebAuthnJson {
  if (!result.ok) throw new Error(`WebAuthn ceremony failed: ${result.error}`);
  return result.response;
}

export interface ForgedAssertionClaims {
  /** clientDataJSON.origin */
  origin: string;
  /** The RP ID whose SHA-256 opens authenticatorData. */
  rpId: string;
  /** base64url challenge, as the server's options gave it (or one it never gave). */
  challenge: string;
  signCount: number;
}

/**
 * An assertion signed with `credential`'s own private key, with every claim chosen by the
 * caller: what a page lying about where it runs would get if the browser let it. With true
 * claims the server must accept it (the test's control); with one claim false, that claim's
 * check is the only one that can refuse it. The signature covers authenticatorData ‖
 * SHA-256(clientDataJSON) with the credential's algorithm (Ed25519, ES256 or RS256).
 */
export function forgeAssertion(credential: VirtualCredential, claims: ForgedAssertionClaims): WebAuthnJson {
  const clientDataJSON = Buffer.from(
    JSON.stringify({ type: 'webauthn.get', challenge: claims.challenge, origin: claims.origin, crossOrigin: false }),
  );
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(claims.signCount);
  // Flags: user present (0x01) and user verified (0x04), as the virtual authenticator sets them.
  const authenticatorData = Buffer.concat([sha256(Buffer.from(claims.rpId)), Buffer.from([0x05]), counter]);
  const key = createPrivateKey({ key: Buffer.from(credential.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
  // EdDSA signs the message itself; ES256 and RS256 sign its SHA-256.
  const digest = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  const signature = sign(digest, Buffer.concat([authenticatorData, sha256(clientDataJSON)]), key);
  return {
    id: credential.id,
    rawId: credential.id,
    type: 'public-key',
    authenticatorAttachment: 'platform',
    clientExtensionResults: {},
    response: {
      clientDataJSON: clientDataJSON.toString('base64url'),
      authenticatorData: authenticatorData.toString('base64url'),
      signature: signature.toString('base64url'),
      userHandle: credential.userHandle,
    },
  };
}

/** The clientDataJSON a response carries, parsed. */
export function clientDataOf(response: WebAuthnJson): Record<string, unknown> {
  const encoded = response.response.clientDataJSON;
  if (typeof encoded !== 'string') throw new Error('no clientDataJSON');
  return JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * The same response with fields of its clientDataJSON replaced. Only meaningful for a
 * registration with `none` attestation: nothing signs its clientDataJSON, so the server's
 * origin (or type, or challenge) check is the only thing that can tell.
 */
export function withClientData(response: WebAuthnJson, fields: Record<string, unknown>): WebAuthnJson {
  const clientDataJSON = Buffer.from(JSON.stringify({ ...clientDataOf(response), ...fields })).toString('base64url');
  return { ...response, response: { ...response.response, clientDataJSON } };
}

/** Whether a registration response's attestation is `none` (CBOR "fmt": "none" in attestationObject). */
export function hasNoneAttestation(response: WebAuthnJson): boolean {
  const encoded = response.response.attestationObject;
  if (typeof encoded !== 'string') return false;
  // text(3) "fmt" followed by text(4) "none"
  return Buffer.from(encoded, 'base64url').includes(Buffer.from('63666d74646e6f6e65', 'hex'));
}

/** A challenge the server never issued. */
export function strangerChallenge(): string {
  return randomBytes(32).toString('base64url');
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

function base64ToUrl(value: string): string {
  return Buffer.from(value, 'base64').toString('base64url');
}
