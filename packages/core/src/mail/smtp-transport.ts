import { createTransport } from 'nodemailer';
import type { MailMessage, MailTransport } from './mail-message.js';

export interface SmtpTransportOptions {
  /** smtp://user:pass@host:port (STARTTLS when offered) or smtps://… (TLS from the start). */
  url: string;
  /** The From header, e.g. `Gatehouse <no-reply@example.com>`. */
  from: string;
}

// A stuck server must not hold a delivery (and its lease, mail-outbox.ts) for long: the
// attempt fails and the outbox retries later.
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 20_000;

/** Sends through an SMTP server with nodemailer; one connection per message. */
export function createSmtpTransport(options: SmtpTransportOptions): MailTransport {
  const url = parseSmtpUrl(options.url);
  const secure = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? (secure ? 465 : 587) : Number(url.port);
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const transporter = createTransport({
    host,
    port,
    secure,
    ...(user === '' ? {} : { auth: { user, pass } }),
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    // nodemailer's own logger would print the SMTP dialogue, AUTH included.
    logger: false,
    debug: false,
  });
  return {
    // The name goes to logs: scheme, host and port only, never the credentials.
    name: `${url.protocol}//${url.host}`,
    async send(message: MailMessage): Promise<void> {
      await transporter.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    },
    close(): Promise<void> {
      transporter.close();
      return Promise.resolve();
    },
  };
}

/** Throws a message that never repeats the URL: it holds the SMTP password. */
function parseSmtpUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('MAIL_URL is not a valid URL (expected smtp://user:pass@host:port)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`MAIL_URL scheme ${url.protocol} is not smtp: or smtps:`);
  }
  if (url.hostname === '') throw new Error('MAIL_URL has no host (expected smtp://user:pass@host:port)');
  return url;
}
