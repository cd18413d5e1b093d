import type { Logger } from 'pino';
import type { MailTransport } from './mail-message.js';
import { createOutboxTransport } from './outbox-transport.js';
import { createSmtpTransport } from './smtp-transport.js';

export interface MailTransportOptions {
  /** MAIL_URL: smtp://…, smtps://…, `log:`, or undefined (development: the outbox). */
  mailUrl: string | undefined;
  /** MAIL_FROM. */
  from: string;
  /** Where the outbox transport writes, e.g. `<GATEHOUSE_DATA_DIR>/outbox`. */
  outboxDir: string;
  log: Logger;
}

/**
 * Picks the transport from MAIL_URL. Whether production may run without one is config's
 * decision (it demands `log:` spelled out); here unset and `log:` both mean the outbox.
 * An unsupported scheme throws at start-up, never at the first message.
 */
export function createMailTransport(options: MailTransportOptions): MailTransport {
  const mailUrl = options.mailUrl?.trim() ?? '';
  if (mailUrl === '' || mailUrl === 'log:') {
    return createOutboxTransport({ dir: options.outboxDir, from: options.from, log: options.log });
  }
  // Only the scheme is ever repeated in an error: the rest of the URL holds the password.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(mailUrl)?.[1]?.toLowerCase();
  if (scheme === 'smtp' || scheme === 'smtps') return createSmtpTransport({ url: mailUrl, from: options.from });
  throw new Error(
    `MAIL_URL: unsupported scheme ${scheme === undefined ? '(none)' : `"${scheme}:"`}; use smtp://, smtps:// or log:`,
  );
}
