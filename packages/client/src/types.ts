import type { AuthClientError } from './errors.js';

/** How the server keeps a browser signed in (`GATEHOUSE_BROWSER_MODE`). */
export type AuthMode = 'session' | 'jwt-cookie' | 'memory-token';

export interface User {
  id: string;
  email: string;
  name: string | null;
  createdAt: string;
  /** Whether the user opened the link sent to `email`. */
  emailVerified: boolean;
}

export interface Session {
  id: string;
  /** A cookie session, or a token family and the kind of client holding it. */
  kind: AuthMode | 'bearer';
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface SignedIn {
  user: User;
  session: Session;
}

/**
 * Why this tab is no longer signed in:
 * - `expired`: the server stopped accepting the credential (it expired, or was revoked from
 *   another device: the server answers both the same way);
 * - `revoked`: the server revoked the whole sign-in because a refresh token was used twice;
 * - `other-tab`: the user signed out in another tab of this site;
 * - `signed-out`: this tab signed out;
 * - `deleted`: the account was deleted (in this tab or another).
 */
export type SignedOutReason = 'expired' | 'revoked' | 'other-tab' | 'signed-out' | 'deleted';

export interface SignedOutEvent {
  reason: SignedOutReason;
}

/** An API key as its owner sees it: never the secret. */
export interface ApiKey {
  id: string;
  name: string;
  /** The first characters of the key (`ghk_1a2b3c4d`), to recognise it in a list. */
  prefix: string;
  scopes: string[];
  createdAt: string;
  /** null: it never expires (only where the operator allows that). */
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** A new key: `secret` is shown this once and never again. */
export interface CreatedApiKey {
  apiKey: ApiKey;
  secret: string;
}

/**
 * An app password as its owner sees it: never the password. Sync apps (Google Reader API,
 * Fever) sign in with it; the account password never works there.
 */
export interface AppPassword {
  id: string;
  name: string;
  /** The email the Fever key was computed with: the account's email when the password was made. */
  feverLogin: string;
  createdAt: string;
  /** null: no app has used it yet. */
  lastUsedAt: string | null;
  /** The User-Agent of the last app that synced with it (at most 200 characters), or null. */
  lastUsedClient: string | null;
}

/** A new app password: `password` is shown this once and never again. */
export interface CreatedAppPassword {
  appPassword: AppPassword;
  password: string;
}

/** The server's verdict on a password before it is submitted; the submit is still judged on its own. */
export interface PasswordCheck {
  acceptable: boolean;
  code?: 'too_short' | 'too_long' | 'common' | 'context';
  /** Why not, in a sentence for the user. */
  message?: string;
}

/** What `onReauthenticationRequired` is told: the try (1, 2, 3), what the server asks for, and why the previous try failed. */
export interface ReauthenticationAttempt {
  attempt: number;
  /** After this many tries the request fails with its 403 (a prompt may say "last try"). */
  maxAttempts: number;
  /**
   * The action needs a second factor too: the password with a code (`{password, method, code}`),
   * or a passkey alone (`{method: 'passkey', response}`). False: the password is enough.
   */
  factorRequired: boolean;
  /** What the server accepts here: always `password`, plus the factors the user has. */
  methods: StepUpMethod[];
  /**
   * Set from the second try on: `invalid_credentials` for a wrong password,
   * `invalid_second_factor` for a wrong code, or e.g. `rate_limited`.
   */
  error?: AuthClientError;
}

/** The second factors a user can have; a recovery code stands in for either. */
export type SecondFactorMethod = 'totp' | 'passkey' | 'recovery_code';

/** What a step-up can be answered with. */
export type StepUpMethod = 'password' | SecondFactorMethod;

/**
 * The password was right but the account has a second factor: nobody is signed in yet. The
 * server also set a short-lived HttpOnly cookie; the second step needs both it and `mfaToken`,
 * so keep the token in memory (a variable, React state), never in storage or the URL.
 */
export interface SecondFactorRequired {
  mfaRequired: true;
  /** What the user may answer with: `totp`, `passkey` (those they have) and `recovery_code`. */
  methods: SecondFactorMethod[];
  mfaToken: string;
  /** When this pending sign-in ends (five minutes): then the password must be entered again. */
  expiresAt: string;
}

/** Signed in, or one step short of it. Switch on `mfaRequired`. */
export type SignInResult = (SignedIn & { mfaRequired: false }) | SecondFactorRequired;

/**
 * A passkey assertion as JSON: what navigator.credentials.get() gives after `toJSON()`, or a
 * library's equivalent (@simplewebauthn/browser's startAuthentication). The server checks it all.
 */
export interface PasskeyAssertionJSON {
  id: string;
  rawId: string;
  type: string;
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
  clientExtensionResults: object;
  authenticatorAttachment?: string;
}

/** A new passkey as JSON: navigator.credentials.create() after `toJSON()`, or startRegistration's answer. */
export interface PasskeyAttestationJSON {
  id: string;
  rawId: string;
  type: string;
  response: { clientDataJSON: string; attestationObject: string; transports?: string[] };
  clientExtensionResults: object;
  authenticatorAttachment?: string;
}

/** The second step of a sign-in: a code from the app, a recovery code, or a passkey assertion. */
export type SecondFactorAnswer =
  | { mfaToken: string; method: 'totp' | 'recovery_code'; code: string }
  | { mfaToken: string; method: 'passkey'; response: PasskeyAssertionJSON };

/**
 * A step-up answer: the password alone, the password with a code, or a passkey (which proves
 * both). A plain string is the password alone.
 */
export type Reauthentication =
  | string
  | { password: string }
  | { password: string; method: 'totp' | 'recovery_code'; code: string }
  | { method: 'passkey'; response: PasskeyAssertionJSON };

/** A registered passkey, as its owner sees it. */
export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** The credential is backed up (synced by a password manager or the platform). */
  backedUp: boolean;
  /** `multiDevice`: a synced passkey; `singleDevice`: bound to one authenticator. */
  deviceType: 'singleDevice' | 'multiDevice';
}

/** The user's second factors and the step-up setting (GET /second-factors). */
export interface SecondFactors {
  totp: { enabled: boolean; enabledAt: string | null };
  recoveryCodes: { remaining: number };
  passkeys: Passkey[];
  /** Every step-up asks for a second factor, not just the password. */
  stepUpRequiresFactor: boolean;
}

/** An authenticator-app setup in progress: show `uri` as a QR code and `secret` as text. */
export interface TotpSetup {
  /** Base32, for typing in by hand. */
  secret: string;
  /** `otpauth://totp/…`, for the QR code. */
  uri: string;
}

/** A passkey just added; `recoveryCodes` are set (once) when it was the user's first factor. */
export interface AddedPasskey {
  passkey: Passkey;
  recoveryCodes: string[] | null;
}
