import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../../../../test-support/mail-catcher.js';
import { createSmtpTransport } from './smtp-transport.js';

let catcher: MailCatcher;

beforeAll(async () => {
  catcher = await startMailCatcher();
});

afterAll(async () => {
  await catcher.close();
});

beforeEach(() => {
  catcher.clear();
});

const FROM = 'Gatehouse <no-reply@app.example.test>';
const LINK = 'https://app.example.test/reset-password#token=abc.def';

describe('SMTP transport', () => {
  it('delivers to a real SMTP server, logging in with the URL credentials, text and HTML intact', async () => {
    expect(catcher.url).toMatch(/^smtp:\/\/test:test@127\.0\.0\.1:\d+$/);
    const transport = createSmtpTransport({ url: catcher.url, from: FROM });
    await transport.send({
      to: 'Alice@Example.test',
      subject: '重置密码 · Gatehouse',
      text: `打开链接:\n${LINK}\n`,
      html: `<p>打开 <a href="${LINK}">链接</a></p>`,
    });
    await transport.close();

    const mail = await catcher.waitFor('alice@example.test');
    expect(mail.subject).toBe('重置密码 · Gatehouse');
    expect(mail.from).toBe('"Gatehouse" <no-reply@app.example.test>');
    expect(mail.text).toBe(`打开链接:\n${LINK}\n`);
    expect(mail.html).toBe(`<p>打开 <a href="${LINK}">链接</a></p>`);
    expect(mail.links).toEqual([LINK]);
    expect(mail.authUser).toBe('test');
    expect(mail.headers['content-type']).toMatch(/^multipart\/alternative/);
    expect(mail.headers['mime-version']).toBe('1.0');

    // The raw MIME: the subject is RFC 2047-encoded UTF-8, the parts are declared UTF-8.
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?/m);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toBe('重置密码 · Gatehouse');
    expect(mail.raw).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
    expect(mail.raw).toMatch(/Content-Type: text\/html; charset=utf-8/i);
  });

  it('accepts URL-encoded credentials', async () => {
    const url = catcher.url.replace('test:test@', 'user%40example.test:p%3Ass%2Fword@');
    const transport = createSmtpTransport({ url, from: FROM });
    await transport.send({ to: 'bob@example.test', subject: 'Hello', text: 'Hi\n', html: '<p>Hi</p>' });
    await transport.close();
    const mail = await catcher.waitFor('bob@example.test', { subject: /^Hello$/ });
    expect(mail.authUser).toBe('user@example.test');
    expect(mail.text).toBe('Hi\n');
  });

  it('fails the send (for the outbox to retry) when the server is unreachable', async () => {
    const transport = createSmtpTransport({ url: 'smtp://127.0.0.1:1', from: FROM });
    await expect(transport.send({ to: 'carol@example.test', subject: 'x', text: 'x', html: 'x' })).rejects.toThrow(
      /ECONNREFUSED/,
    );
    await transport.close();
  });

  it('waitFor says what did arrive when the awaited message does not', async () => {
    const transport = createSmtpTransport({ url: catcher.url, from: FROM });
    await transport.send({ to: 'dave@example.test', subject: 'Not this one', text: 'x', html: 'x' });
    await transport.close();
    await expect(catcher.waitFor('erin@example.test', { timeoutMs: 300 })).rejects.toThrow(
      /no mail to erin@example\.test within 300 ms; arrived: dave@example\.test: Not this one/,
    );
  });
});
