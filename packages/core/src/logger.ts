import { pino, type Logger } from 'pino';

/**
 * The `gatehouse.security` logger. Redaction is a second net: call sites already choose
 * their fields and never pass bodies, passwords, tokens or cookies.
 */
export function createSecurityLogger(level: string): Logger {
  return pino({
    name: 'gatehouse.security',
    level,
    redact: {
      paths: ['password', 'currentPassword', 'newPassword', 'token', 'cookie', 'headers.cookie', '*.password'],
      censor: '[redacted]',
    },
  });
}
