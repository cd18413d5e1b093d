import { z } from 'zod';
import { GatehouseError } from './errors.js';
import { passwordProblem } from './accounts/password-policy.js';

/**
 * Request bodies, validated before anything else happens. Limits bound the work an
 * attacker can ask for (argon2 on a megabyte password, say) and give clear messages.
 */

const email = z
  .string({ message: 'is required' })
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ message: 'must be an email address' }));

// Bounded before normalization; the policy (8–128 characters) is checked separately so
// that login, which must accept any stored password, does not apply it.
const anyPassword = z.string({ message: 'is required' }).min(1, 'is required').max(1024, 'is too long');

const newPassword = anyPassword.superRefine((value, ctx) => {
  // Length and the common-password list; the words of the user's own context are checked
  // where the user is known (accounts/new-password.ts).
  const problem = passwordProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem.message });
});

export const SignupInput = z.object({
  email,
  password: newPassword,
  name: z
    .string({ message: 'must be text' })
    .trim()
    .max(100, 'must be at most 100 characters')
    .optional()
    .transform((value) => (value === undefined || value === '' ? null : value)),
});

export const LoginInput = z.object({
  email,
  password: anyPassword,
  /** false: a cookie that ends with the browser. Default from configuration. */
  remember: z.boolean({ message: 'must be true or false' }).optional(),
});

export const ChangePasswordInput = z.object({
  currentPassword: anyPassword,
  newPassword,
  /** true: the user's API keys keep working (by default a password change revokes them). */
  keepApiKeys: z.boolean({ message: 'must be true or false' }).optional(),
});

/** A token from a mailed link. Bounded; its shape is checked where it is used. */
export const oneTimeToken = z.string({ message: 'is required' }).min(1, 'is required').max(200, 'is too long');

export { email as emailAddress, anyPassword, newPassword };

export type SignupInput = z.infer<typeof SignupInput>;
export type LoginInput = z.infer<typeof LoginInput>;
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

/** Parses or throws `validation_failed` naming each bad field. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new GatehouseError('validation_failed', 'The request body must be a JSON object.');
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.join('.') || 'body';
    fields[field] ??= issue.message;
  }
  const summary = Object.entries(fields)
    .map(([field, message]) => `${field} ${message}`)
    .join('; ');
  throw new GatehouseError('validation_failed', `Invalid input: ${summary}.`, { fields });
}

/** Native refresh: the token comes in the body. Bounded so nothing long reaches a hash. */
export const RefreshInput = z.object({
  refresh_token: z.string({ message: 'is required' }).min(1, 'is required').max(4096, 'is too long'),
});

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4), JSON-shaped like the rest of the contract.
 * The client may authenticate in the body or with HTTP Basic.
 */
export const ServiceTokenInput = z.object({
  client_id: z.string({ message: 'must be text' }).min(1).max(100, 'is too long').optional(),
  client_secret: z.string({ message: 'must be text' }).min(1).max(200, 'is too long').optional(),
  audience: z.string({ message: 'is required' }).min(1, 'is required').max(200, 'is too long'),
  scope: z.string({ message: 'must be text' }).max(500, 'is too long').optional(),
});
