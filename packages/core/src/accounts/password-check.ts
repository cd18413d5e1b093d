import { z } from 'zod';
import type { AuthRequest } from '../request.js';
import { parseInput } from '../validation.js';
import type { AccountDeps } from './deps.js';
import { passwordProblem, type PasswordProblemCode } from './password-policy.js';
import { enforceRateLimits, ipSubject } from './rate-limited.js';

const CheckInput = z.object({
  password: z.string({ message: 'is required' }).max(1024, 'is too long'),
  email: z.string({ message: 'must be text' }).max(254).optional(),
  name: z.string({ message: 'must be text' }).max(100).optional(),
});

export type PasswordCheck = { acceptable: true } | { acceptable: false; code: PasswordProblemCode; message: string };

/**
 * `POST /password-check`: the same judgement the server makes on sign-up and password change,
 * asked while the user types, so a form can say why before it is submitted. The list is public;
 * this reveals nothing but the policy. Nothing is stored or logged.
 */
export async function checkPassword(
  deps: Pick<AccountDeps, 'rateLimiter' | 'rateLimits' | 'audit' | 'config'>,
  request: AuthRequest,
  body: unknown,
): Promise<PasswordCheck> {
  const input = parseInput(CheckInput, body);
  await enforceRateLimits(deps, request, [[deps.rateLimits.passwordCheckPerIp, ipSubject(deps, request)]]);
  const problem = passwordProblem(input.password, {
    email: input.email ?? null,
    name: input.name ?? null,
    appName: deps.config.accounts.appName,
  });
  return problem === undefined ? { acceptable: true } : { acceptable: false, ...problem };
}
