import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'mail-catcher-process.mjs');
const START_TIMEOUT_MS = 10_000;
const DEFAULT_WAIT_MS = 10_000;

export interface CaughtMail {
  /** The envelope recipients (RCPT TO). */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Lower-cased header name → value as a string. */
  headers: Record<string, string>;
  /** The message exactly as received (MIME). */
  raw: string;
  /** every http(s) URL in the text part */
  links: string[];
  /** The user name the sender logged in with (SMTP AUTH), or null if it did not. */
  authUser: string | null;
}

export interface MailCatcher {
  /** smtp://test:test@127.0.0.1:<port> */
  url: string;
  all(): CaughtMail[];
  /**
   * The first message to `to` (case-insensitive) since the last `clear()` that matches
   * `subject`, waiting for it if needed; rejects after timeoutMs (default 10 s) with a
   * message listing what did arrive.
   */
  waitFor(to: string, options?: { subject?: RegExp; timeoutMs?: number }): Promise<CaughtMail>;
  /** All messages to `to` seen so far (since the last `clear()`). */
  to(to: string): CaughtMail[];
  /** Forgets messages received so far (waitFor then only sees new ones). */
  clear(): void;
  close(): Promise<void>;
}

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

function linksIn(text: string): string[] {
  return Array.from(text.matchAll(URL_PATTERN), (match) => match[0].replace(/[.,;:!?)\]]+$/, ''));
}

function isFor(mail: CaughtMail, to: string): boolean {
  const wanted = to.toLowerCase();
  return mail.to.some((address) => address.toLowerCase() === wanted);
}

/** Starts a real SMTP server in its own process (smtp-server) and collects what it receives. */
export async function startMailCatcher(): Promise<MailCatcher> {
  const child = spawn(process.execPath, [ENTRY], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit');

  let received: CaughtMail[] = [];
  const listeners = new Set<() => void>();
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`mail catcher did not start within ${String(START_TIMEOUT_MS)} ms: ${stderr}`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mail catcher exited (${String(code)}) before listening: ${stderr}`));
    });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      let value: { port?: number } & Omit<CaughtMail, 'links'>;
      try {
        value = JSON.parse(line) as typeof value;
      } catch {
        stderr += `unexpected output: ${line}\n`;
        return;
      }
      if (typeof value.port === 'number') {
        clearTimeout(timer);
        resolve(value.port);
        return;
      }
      const mail = value as Omit<CaughtMail, 'links'>;
      received.push({ ...mail, links: linksIn(mail.text) });
      for (const listener of [...listeners]) listener();
    });
  });

  const find = (to: string, subject: RegExp | undefined) =>
    received.find((mail) => isFor(mail, to) && (subject === undefined || subject.test(mail.subject)));

  return {
    url: `smtp://test:test@127.0.0.1:${String(port)}`,
    all: () => [...received],
    to: (to) => received.filter((mail) => isFor(mail, to)),
    clear: () => {
      received = [];
    },
    waitFor: (to, options = {}) =>
      new Promise<CaughtMail>((resolve, reject) => {
        const check = () => {
          const mail = find(to, options.subject);
          if (mail === undefined) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(mail);
        };
        const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
        const timer = setTimeout(() => {
          listeners.delete(check);
          const arrived = received.map((mail) => `${mail.to.join(',')}: ${mail.subject}`);
          const wanted = `${to}${options.subject === undefined ? '' : ` matching ${String(options.subject)}`}`;
          reject(
            new Error(
              `no mail to ${wanted} within ${String(timeoutMs)} ms; arrived: ${arrived.length === 0 ? 'nothing' : arrived.join(' | ')}`,
            ),
          );
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
