import { describe, expect, it } from 'vitest';
import { readCookies } from './cookies.js';

const SESSION = '__Host-gh_session';
const CSRF = '__Host-gh_csrf';

/** `n` cookies of a sibling subdomain (or an attacker who can set them there). */
function padding(n: number, valueLength = 4): string {
  return Array.from({ length: n }, (_, i) => `p${String(i)}=${'x'.repeat(valueLength)}`).join('; ');
}

describe('readCookies: our cookies in a header of any length the server accepts (issue 15)', () => {
  it('finds our cookies after 8 KB of padding cookies (a long header no longer signs everyone out)', () => {
    const header = `${padding(1, 8 * 1024)}; ${SESSION}=sess; ${CSRF}=csrf`;
    expect(header.length).toBeGreaterThan(8192);
    expect(readCookies(header)).toEqual({ [SESSION]: 'sess', [CSRF]: 'csrf' });
  });

  it('finds ours at the end of a 64 KB header of 5,000 cookies (one linear scan)', () => {
    const pad = padding(5000);
    const header = `${pad}; ${SESSION}=sess`;
    expect(header.length).toBeLessThanOrEqual(64 * 1024);
    expect(header.length).toBeGreaterThan(56 * 1024);
    expect(readCookies(header)[SESSION]).toBe('sess');
  });

  it('keeps only the names Gatehouse reads: 5,000 other cookies are not copied out', () => {
    const cookies = readCookies(`${padding(5000)}; gh_device=dev; __Host-gh_device=hdev; gh_refresh=r`);
    expect(cookies).toEqual({ gh_device: 'dev', '__Host-gh_device': 'hdev', gh_refresh: 'r' });
  });

  it('takes the first occurrence of a name, as the cookie package did (the more specific path comes first)', () => {
    expect(readCookies(`${SESSION}=first; ${SESSION}=second`)[SESSION]).toBe('first');
  });

  it('reads what the cookie package read: trims blanks, URL-decodes, skips pairs without =', () => {
    const header = `garbage;  ${SESSION} =\t a%20b ;;=novalue; ${CSRF}=%E0%A4%A; noequals`;
    expect(readCookies(header)).toEqual({ [SESSION]: 'a b', [CSRF]: '%E0%A4%A' });
  });

  it('is not fooled into quadratic work by thousands of pairs without "=" before one far away', () => {
    // Each `a;` pair has no `=`; a naive indexOf('=') per pair rescans to the end every time.
    const header = `${'a;'.repeat(30_000)}${SESSION}=sess`;
    expect(readCookies(header)[SESSION]).toBe('sess');
  });

  it('never scans past 64 KB: a cookie beyond is not read, one before still is', () => {
    const header = `${SESSION}=sess; ${padding(1, 70 * 1024)}; ${CSRF}=late`;
    expect(readCookies(header)).toEqual({ [SESSION]: 'sess' });
  });

  it('drops a pair cut by the 64 KB cap rather than reading half a value', () => {
    const prefix = padding(1, 64 * 1024 - 40);
    const header = `${prefix}; ${SESSION}=${'s'.repeat(100)}`;
    expect(readCookies(header)[SESSION]).toBeUndefined();
  });

  it.each([
    ['null', null],
    ['empty', ''],
    ['just semicolons', ';;;;'],
    ['__proto__', '__proto__=x; constructor=y'],
  ])('yields nothing for %s, never an exception', (_name, header) => {
    const cookies = readCookies(header);
    expect(Object.keys(cookies)).toEqual([]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
