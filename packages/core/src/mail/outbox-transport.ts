import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { Logger } from 'pino';
import type { MailMessage, MailTransport } from './mail-message.js';

export interface OutboxTransportOptions {
  /** Where the `.eml` files go, e.g. `<GATEHOUSE_DATA_DIR>/outbox`; created 0700 if missing. */
  dir: string;
  from: string;
  log: Logger;
}

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/;

/** Every http(s) URL in a text, without the sentence punctuation that may follow it. */
export function findLinks(text: string): string[] {
  return Array.from(text.matchAll(URL_PATTERN), (match) => match[0].replace(TRAILING_PUNCTUATION, ''));
}

/**
 * The development transport: each message becomes an RFC 5322 `.eml` file any mail client
 * opens, and its links are logged so that `npm start` works offline (verify, reset) from the
 * terminal. It logs links on purpose; the SMTP transport never does.
 */
export function createOutboxTransport(options: OutboxTransportOptions): MailTransport {
  // nodemailer builds the MIME (multipart/alternative, encoded headers) without sending it.
  const mime = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    name: `outbox:${options.dir}`,
    async send(message: MailMessage): Promise<void> {
      // The files hold live single-use links: only this user may read them.
      await mkdir(options.dir, { recursive: true, mode: 0o700 });
      const info = await mime.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
      // Colons are not allowed in Windows file names; the name still sorts by time.
      const stamp = new Date().toISOString().replaceAll(':', '-');
      const file = join(options.dir, `${stamp}-${randomBytes(4).toString('hex')}.eml`);
      await writeFile(file, info.message, { mode: 0o600, flag: 'wx' });
      options.log.info(
        { to: message.to, subject: message.subject, file, links: findLinks(message.text) },
        'mail written to the outbox',
      );
    },
    close(): Promise<void> {
      mime.close();
      return Promise.resolve();
    },
  };
}
