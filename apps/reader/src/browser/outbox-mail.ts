import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';

const WAIT_MS = 15_000;
const POLL_MS = 100;

/**
 * The link to `path` in the newest mail to `to` whose subject matches, from Gatehouse's
 * outbox folder (development mail: one .eml file per message), waiting for it to be
 * written: mail is sent in the background after the request that asked for it.
 */
export async function mailedLink(outboxDir: string, to: string, subject: RegExp, path: string): Promise<string> {
  const deadline = Date.now() + WAIT_MS;
  const seen: string[] = [];
  for (;;) {
    let files: string[] = [];
    try {
      files = readdirSync(outboxDir).filter((file) => file.endsWith('.eml'));
    } catch {
      // Not there until the first message is written.
    }
    // Names start with an ISO time: newest last.
    for (const file of files.sort().reverse()) {
      const mail = await simpleParser(readFileSync(join(outboxDir, file)));
      const recipients = [mail.to].flat().flatMap((address) => address?.value.map((entry) => entry.address) ?? []);
      if (!recipients.some((address) => address?.toLowerCase() === to.toLowerCase())) continue;
      seen.push(mail.subject ?? '');
      if (!subject.test(mail.subject ?? '')) continue;
      const link = mail.text?.match(new RegExp(`https?://\\S*${path}#token=[^\\s<>"]+`, 'u'))?.[0];
      if (link !== undefined) return link.replace(/[.,;:!?)\]]+$/u, '');
    }
    if (Date.now() > deadline)
      throw new Error(`no mail to ${to} matching ${String(subject)}; saw ${JSON.stringify(seen)}`);
    seen.length = 0;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
