import { GatehouseError } from '../errors.js';
import { passwordProblem, type PasswordContext } from './password-policy.js';

/**
 * NIST SP 800-63B §3.1.1.2 for a password being set: long enough, not one of the most
 * common, not built from the user's own name or address or the site's name. Throws
 * `validation_failed` naming the field and saying why.
 */
export function assertAcceptablePassword(password: string, context: PasswordContext, field: string): void {
  const problem = passwordProblem(password, context);
  if (problem === undefined) return;
  const label = field === 'newPassword' ? 'The new password' : 'The password';
  throw new GatehouseError('validation_failed', `${label} ${problem.message}.`, {
    fields: { [field]: problem.message },
  });
}
