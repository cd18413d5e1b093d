import { describe, expect, it } from 'vitest';
import {
  accountDeleted,
  apiKeyCreated,
  emailChangeToRegisteredAddress,
  emailChangeConfirm,
  emailChangeRequested,
  emailChanged,
  escapeHtml,
  newDeviceSignIn,
  passwordChanged,
  passwordReset,
  passwordWasReset,
  verifyEmail,
  type MailContent,
} from './templates.js';

const ORIGIN = 'https://app.example.test';
const LINK = `${ORIGIN}/reset-password#token=abc.def`;
const SCRIPT = '<script>alert(1)</script>';
const context = { appName: 'Gatehouse', origin: ORIGIN };
const event = { at: Date.UTC(2026, 11, 1, 9, 30), ip: '203.0.113.7', userAgent: 'Firefox/140' };

/** Every template, each given markup in every free-text value it takes. */
function everyTemplate(hostile: string): [string, MailContent][] {
  const ctx = { appName: `App ${hostile}`, origin: ORIGIN };
  const where = { at: event.at, ip: hostile, userAgent: hostile };
  return [
    ['verifyEmail', verifyEmail({ ...ctx, link: LINK, expiresInHours: 24 })],
    ['passwordReset', passwordReset({ ...ctx, link: LINK, expiresInMinutes: 30 })],
    ['emailChangeConfirm', emailChangeConfirm({ ...ctx, link: LINK, newEmail: `${hostile}@example.test` })],
    ['emailChangeRequested', emailChangeRequested({ ...ctx, newEmail: `${hostile}@example.test` })],
    ['emailChanged', emailChanged({ ...ctx, newEmail: `${hostile}@example.test` })],
    ['emailChangeToRegisteredAddress', emailChangeToRegisteredAddress(ctx)],
    ['passwordChanged', passwordChanged({ ...ctx, ...where, apiKeysRevoked: true })],
    ['passwordWasReset', passwordWasReset({ ...ctx, ...where })],
    [
      'apiKeyCreated',
      apiKeyCreated({ ...ctx, keyName: hostile, scopes: [hostile], expiresAt: hostile, at: event.at, ip: hostile }),
    ],
    ['newDeviceSignIn', newDeviceSignIn({ ...ctx, at: event.at, ip: hostile, device: hostile })],
    ['accountDeleted', accountDeleted(ctx)],
  ];
}

describe('mail templates', () => {
  it.each(everyTemplate(SCRIPT))('%s escapes markup in every interpolated value', (_name, mail) => {
    expect(mail.html).not.toContain('<script');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.subject).toContain('App <script>');
    // The text part is plain text: shown as written, never interpreted.
    expect(mail.text).toContain('App <script>alert(1)</script>');
  });

  it('escapes quotes, so a value cannot break out of an attribute', () => {
    expect(escapeHtml(`"><img src=x onerror=alert(1)>'`)).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;');
    const [, mail] = everyTemplate('" onmouseover="alert(1)').find(([name]) => name === 'apiKeyCreated') ?? [];
    expect(mail?.html).not.toContain('" onmouseover="');
  });

  it('puts a link as a plain URL in the text and as an escaped href in the HTML', () => {
    const link = `${ORIGIN}/verify-email#token=a&b`;
    const mail = verifyEmail({ ...context, link, expiresInHours: 24 });
    expect(mail.text).toContain(`\n${link}\n`);
    expect(mail.html).toContain(`<a href="${ORIGIN}/verify-email#token=a&amp;b">`);
    expect(mail.text).toContain('24 hours');
  });

  it('refuses a javascript: link instead of mailing a click that runs script', () => {
    expect(() => verifyEmail({ ...context, link: 'javascript:alert(1)', expiresInHours: 24 })).toThrow(TypeError);
  });

  it('has no remote images and no tracking', () => {
    for (const [, mail] of everyTemplate('x')) {
      expect(mail.html).not.toMatch(/<img|<link|<script|src=|url\(/i);
    }
  });

  it('tells the owner of a notice how to take the account back, from the public origin', () => {
    const notices = [
      passwordChanged({ ...context, ...event, apiKeysRevoked: false }),
      passwordWasReset({ ...context, ...event }),
      emailChanged({ ...context, newEmail: 'new@example.test' }),
      emailChangeRequested({ ...context, newEmail: 'new@example.test' }),
      newDeviceSignIn({ ...context, at: event.at, ip: event.ip, device: 'Firefox on Linux' }),
      apiKeyCreated({ ...context, keyName: 'ci', scopes: ['feeds:read'], expiresAt: null, at: event.at, ip: null }),
    ];
    for (const mail of notices) {
      expect(mail.text).toMatch(/If this wasn't you, .*\n?https:\/\/app\.example\.test\/reset-password\n/);
    }
    expect(passwordChanged({ ...context, ...event, resetPath: '/account/reset', apiKeysRevoked: true }).text).toContain(
      `${ORIGIN}/account/reset`,
    );
  });

  it('says when and from where, in UTC', () => {
    const mail = passwordWasReset({ ...context, ...event, at: '2026-12-01T09:30:00.000Z' });
    expect(mail.text).toContain('When: 2026-12-01 09:30 UTC');
    expect(mail.text).toContain('IP address: 203.0.113.7');
    expect(mail.text).toContain('Browser or app: Firefox/140');
  });

  it('keeps a crafted user agent to one short line', () => {
    const mail = newDeviceSignIn({
      ...context,
      at: event.at,
      ip: null,
      device: `A\r\nSubject: forged\n${'x'.repeat(500)}`,
    });
    expect(mail.text).not.toContain('\nSubject: forged');
    expect(mail.text).toContain('IP address: unknown');
    expect(mail.text.split('\n').every((line) => line.length < 260)).toBe(true);
  });

  it('reassures the reset recipient that nothing changes if they did not ask', () => {
    const mail = passwordReset({ ...context, link: LINK, expiresInMinutes: 30 });
    expect(mail.text).toMatch(/did not ask.*nothing changes/);
    expect(mail.subject).toBe('Reset your password · Gatehouse');
  });

  it('tells whether API keys were revoked with the password change', () => {
    expect(passwordChanged({ ...context, ...event, apiKeysRevoked: true }).text).toContain('API keys were revoked');
    expect(passwordChanged({ ...context, ...event, apiKeysRevoked: false }).text).toContain('API keys were kept');
  });

  it('never puts a line break in the subject', () => {
    const mail = accountDeleted({ appName: 'Evil\r\nBcc: x@example.test', origin: ORIGIN });
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});
