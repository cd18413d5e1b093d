import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { scratchDirectories } from '../../../../test-support/scratch.js';
import { createMailTransport } from './create-mail-transport.js';
import { createOutboxTransport, findLinks } from './outbox-transport.js';

const scratch = scratchDirectories('gh-outbox-');

function captureLog() {
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'debug' },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { log, lines };
}

const message = {
  to: 'alice@example.test',
  subject: 'Réinitialiser · 重置密码',
  text: 'Open this link:\nhttps://app.example.test/reset-password#token=abc.def\n\n— Gatehouse, https://app.example.test\n',
  html: '<p>Open <a href="https://app.example.test/reset-password#token=abc.def">this link</a></p>',
};

describe('outbox transport', () => {
  it('writes each message as an .eml file a mail parser reads back, text and HTML', async () => {
    const dir = join(scratch(), 'outbox');
    const { log } = captureLog();
    const transport = createOutboxTransport({ dir, from: 'Gatehouse <no-reply@app.example.test>', log });
    await transport.send(message);
    await transport.close();

    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f]{8}\.eml$/);
    const raw = readFileSync(join(dir, files[0] ?? ''));
    expect(raw.toString('latin1')).toContain('\r\n'); // RFC 5322 line ends
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.from?.value).toEqual([{ name: 'Gatehouse', address: 'no-reply@app.example.test' }]);
    expect(parsed.text).toBe(message.text);
    expect(parsed.html).toBe(message.html);
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    const to = parsed.to;
    expect(Array.isArray(to) ? to[0]?.text : to?.text).toBe('alice@example.test');
  });

  it('keeps the files to their owner: they hold live links', async () => {
    const dir = join(scratch(), 'outbox');
    const transport = createOutboxTransport({ dir, from: 'a@example.test', log: captureLog().log });
    await transport.send(message);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const [file] = readdirSync(dir);
    expect(statSync(join(dir, file ?? '')).mode & 0o777).toBe(0o600);
  });

  it('logs where the file is and the links in it, so a developer can click them', async () => {
    const dir = scratch();
    const { log, lines } = captureLog();
    await createOutboxTransport({ dir, from: 'a@example.test', log }).send(message);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      to: 'alice@example.test',
      subject: message.subject,
      links: ['https://app.example.test/reset-password#token=abc.def', 'https://app.example.test'],
    });
    expect(String(lines[0]?.file)).toMatch(/\.eml$/);
  });

  it('finds links without the punctuation that ends a sentence', () => {
    expect(findLinks('See https://a.example/x. Or (https://b.example/y), "https://c.example/z"')).toEqual([
      'https://a.example/x',
      'https://b.example/y',
      'https://c.example/z',
    ]);
  });
});

describe('createMailTransport', () => {
  const base = { from: 'a@example.test', outboxDir: '/nonexistent/outbox', log: captureLog().log };

  it('writes to the outbox when MAIL_URL is unset, empty or log:', () => {
    for (const mailUrl of [undefined, '', 'log:']) {
      expect(createMailTransport({ ...base, mailUrl }).name).toBe('outbox:/nonexistent/outbox');
    }
  });

  it('sends through SMTP for smtp:// and smtps://, and never names the password', () => {
    const smtp = createMailTransport({ ...base, mailUrl: 'smtp://user:s3cret@mail.example.test:2525' });
    expect(smtp.name).toBe('smtp://mail.example.test:2525');
    const smtps = createMailTransport({ ...base, mailUrl: 'smtps://user:s3cret@mail.example.test' });
    expect(smtps.name).toBe('smtps://mail.example.test');
  });

  it('refuses an unsupported scheme at construction, without echoing the URL', () => {
    expect(() => createMailTransport({ ...base, mailUrl: 'http://user:s3cret@mail.example.test' })).toThrow(
      /unsupported scheme "http:"/,
    );
    expect(() => createMailTransport({ ...base, mailUrl: 'user:s3cret@mail.example.test' })).toThrow(
      /unsupported scheme "user:"/,
    );
    expect(() => createMailTransport({ ...base, mailUrl: 's3cret' })).toThrow(/unsupported scheme \(none\)/);
    try {
      createMailTransport({ ...base, mailUrl: 'smtp://user:s3cret@' });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('s3cret');
    }
  });
});
