import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';

/**
 * Bodies of the second-factor routes. A WebAuthn response is checked for its outer shape
 * here (bounded strings, the right type); @simplewebauthn/server checks what is inside.
 */

const code = z.string({ message: 'is required' }).trim().min(1, 'is required').max(64, 'is too long');
const b64url = z.string({ message: 'is required' }).max(4096, 'is too long');

const webAuthnResponse = z.looseObject({
  id: b64url.min(1, 'is required'),
  rawId: b64url,
  type: z.literal('public-key', { message: 'must be "public-key"' }),
  response: z.record(z.string(), z.unknown(), { message: 'is required' }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

/** An assertion, as @simplewebauthn/browser's startAuthentication returns it. */
export const AssertionInput = webAuthnResponse.transform((value) => value as unknown as AuthenticationResponseJSON);

/** An attestation, as startRegistration returns it. */
export const AttestationInput = webAuthnResponse.transform((value) => value as unknown as RegistrationResponseJSON);

/** One answer to "prove it is you": a code from the app, a recovery code, or a passkey. */
export const FactorAnswer = z.discriminatedUnion(
  'method',
  [
    z.object({ method: z.literal('totp'), code }),
    z.object({ method: z.literal('recovery_code'), code }),
    z.object({ method: z.literal('passkey'), response: AssertionInput }),
  ],
  { message: 'must be "totp", "recovery_code" or "passkey"' },
);
export type FactorAnswer = z.infer<typeof FactorAnswer>;

const mfaToken = z.string({ message: 'must be text' }).max(128, 'is too long');

/** The pending sign-in a second step belongs to: `mfaToken` (browsers) or `mfa_token` (native apps). */
export const PendingInput = z
  .looseObject({ mfaToken: mfaToken.optional(), mfa_token: mfaToken.optional() })
  .refine((value) => value.mfaToken !== undefined || value.mfa_token !== undefined, {
    message: 'is required',
    path: ['mfaToken'],
  })
  .transform((value) => value.mfaToken ?? value.mfa_token ?? '');

export const PasskeySignInInput = z.object({
  response: AssertionInput,
  remember: z.boolean({ message: 'must be true or false' }).optional(),
});

const passkeyName = z
  .string({ message: 'must be text' })
  .trim()
  .min(1, 'is required')
  .max(64, 'must be at most 64 characters');

/** Routes that take no fields: no body, or an empty JSON object. */
export const NoInput = z.strictObject({}).optional();

export const AddPasskeyInput = z.object({ response: AttestationInput, name: passkeyName.optional() });
export const RenamePasskeyInput = z.object({ name: passkeyName });
export const EnableTotpInput = z.object({ code });
export const StepUpSettingInput = z.object({ required: z.boolean({ message: 'must be true or false' }) });
