import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { TestBrowser } from '../../../test-support/test-browser.js';
import { serversPerTest, type TestServer, type TestServerOptions } from '../../../test-support/test-server.js';
import { expectProblem, FAST_PASSWORDS } from './test-mail.js';
import {
  expectSignInExpired,
  expectWrongCode,
  freshCode,
  secondFactor,
  secondFactorsOf,
  signInWithTotp,
  signUpWithTotp,
  startSignIn,
  wrongCodes,
  type Pending,
  type TotpAccount,
} from './test-second-factor.js';

// The owner with a passkey is never locked out by the account-wide code limit (spec-14
// "Sign-in", errors). A software authenticator stands in for the platform one: ES256, "none"
// attestation, the flags a synced passkey sets.

const start = serversPerTest();

function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  return start({ passwordParams: FAST_PASSWORDS, ...options });
}

// ─── A software authenticator (WebAuthn L3 §6.1, §6.5; CBOR per RFC 8949) ───────────────

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function cborHead(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  const head = Buffer.alloc(3);
  head[0] = (major << 5) | 25;
  head.writeUInt16BE(length, 1);
  return head;
}

function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([cborHead(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), value]);
  return Buffer.concat([cborHead(5, value.size), ...[...value].flatMap(([key, item]) => [cbor(key), cbor(item)])]);
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest();
const FLAGS = { userPresent: 0x01, userVerified: 0x04, backupEligible: 0x08, backedUp: 0x10, attested: 0x40 };

class SoftAuthenticator {
  private readonly credentialId = randomBytes(32);
  private readonly keys: { publicKey: KeyObject; privateKey: KeyObject } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  });
  private counter = 0;
  private userHandle: string | undefined;

  constructor(private readonly origin: string) {}

  private clientData(type: string, challenge: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
  }

  private authenticatorData(rpId: string, flags: number, extra: Buffer = Buffer.alloc(0)): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), counter, extra]);
  }

  register(options: PublicKeyCredentialCreationOptionsJSON): RegistrationResponseJSON {
    this.userHandle = options.user.id;
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    const coseKey = new Map<Cbor, Cbor>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x ?? '', 'base64url')],
      [-3, Buffer.from(jwk.y ?? '', 'base64url')],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, cbor(coseKey)]);
    const flags = FLAGS.userPresent | FLAGS.userVerified | FLAGS.backupEligible | FLAGS.backedUp | FLAGS.attested;
    const authData = this.authenticatorData(options.rp.id ?? new URL(this.origin).hostname, flags, attested);
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const id = this.credentialId.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge).toString('base64url'),
        attestationObject: attestationObject.toString('base64url'),
        transports: ['internal', 'hybrid'],
      },
    };
  }

  assert(options: PublicKeyCredentialRequestOptionsJSON): AuthenticationResponseJSON {
    this.counter += 1;
    const flags = FLAGS.userPresent | FLAGS.userVerified | FLAGS.backupEligible | FLAGS.backedUp;
    const authData = this.authenticatorData(options.rpId ?? new URL(this.origin).hostname, flags);
    const clientData = this.clientData('webauthn.get', options.challenge);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), this.keys.privateKey);
    const id = this.credentialId.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: clientData.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        ...(this.userHandle === undefined ? {} : { userHandle: this.userHandle }),
      },
    };
  }
}

// ─── Helpers ────────────────────────────────────────────────────────────────────────────

async function optionsFrom<T>(browser: TestBrowser, path: string, json: unknown): Promise<T> {
  const response = await browser.request('POST', `/api/auth${path}`, { json });
  expect(response.status, path).toBe(200);
  return ((await response.json()) as { options: T }).options;
}

/** Registers a passkey from a browser whose step-up (with the factor) is fresh. */
async function addPasskey(server: TestServer, browser: TestBrowser): Promise<SoftAuthenticator> {
  const authenticator = new SoftAuthenticator(server.origin);
  const options = await optionsFrom<PublicKeyCredentialCreationOptionsJSON>(browser, '/passkeys/options', {});
  const response = await browser.request('POST', '/api/auth/passkeys', {
    json: { response: authenticator.register(options), name: 'Laptop' },
  });
  expect(response.status).toBe(201);
  // TOTP already gave this account its recovery codes: none are handed out again.
  expect(await response.json()).toMatchObject({
    passkey: { name: 'Laptop', backedUp: true, deviceType: 'multiDevice', lastUsedAt: null },
    recoveryCodes: null,
  });
  return authenticator;
}

/** Ten wrong codes through two pending sign-ins: the account-wide limit is reached. */
async function floodWrongCodes(server: TestServer, account: TotpAccount): Promise<void> {
  for (const ip of ['127.0.0.2', '127.0.0.3']) {
    const pending: Pending = await startSignIn(server, account.email, new TestBrowser(server.origin, ip));
    const [last, ...guesses] = wrongCodes(account.secret, server.now(), 5);
    for (const code of guesses) {
      await expectWrongCode(await secondFactor(pending.browser, { mfaToken: pending.mfaToken, method: 'totp', code }));
    }
    const fifth = await secondFactor(pending.browser, { mfaToken: pending.mfaToken, method: 'totp', code: last });
    await expectSignInExpired(fifth, 'too_many_attempts');
  }
}

describe('a passkey is never locked out by the code limit', () => {
  it('after 10 wrong codes, the right code gets 429 but the passkey still finishes the sign-in', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const authenticator = await addPasskey(server, await signInWithTotp(server, account));
    await floodWrongCodes(server, account);

    const owner = await startSignIn(server, account.email, new TestBrowser(server.origin, '127.0.0.5'));
    expect(owner.body.methods).toEqual(['totp', 'passkey', 'recovery_code']);
    const code = freshCode(server, account.secret);
    await expectProblem(
      await secondFactor(owner.browser, { mfaToken: owner.mfaToken, method: 'totp', code }),
      429,
      'rate_limited',
    );
    const options = await optionsFrom<PublicKeyCredentialRequestOptionsJSON>(
      owner.browser,
      '/login/second-factor/options',
      { mfaToken: owner.mfaToken },
    );
    expect(options.allowCredentials?.map((credential) => credential.id)).toHaveLength(1);
    const response = await secondFactor(owner.browser, {
      mfaToken: owner.mfaToken,
      method: 'passkey',
      response: authenticator.assert(options),
    });
    expect(response.status).toBe(200);
    expect((await owner.browser.me()).status).toBe(200);
  });

  it('after 10 wrong codes, a passwordless passkey sign-in works, and starts with both stamps fresh', async () => {
    const server = await startServer();
    const account = await signUpWithTotp(server);
    const authenticator = await addPasskey(server, await signInWithTotp(server, account));
    await floodWrongCodes(server, account);

    const browser = new TestBrowser(server.origin, '127.0.0.5');
    const options = await optionsFrom<PublicKeyCredentialRequestOptionsJSON>(browser, '/login/passkey/options', {});
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe('required');
    const response = await browser.request('POST', '/api/auth/login/passkey', {
      json: { response: authenticator.assert(options) },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { id: account.userId } });
    expect((await browser.request('DELETE', '/api/auth/totp')).status).toBe(204);
    expect((await secondFactorsOf(browser)).totp.enabled).toBe(false);
  });
});
