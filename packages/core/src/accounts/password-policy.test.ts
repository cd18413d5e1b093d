import { describe, expect, it } from 'vitest';
import {
  commonPasswordCount,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordProblem,
  warmCommonPasswords,
  type PasswordContext,
} from './password-policy.js';

const code = (password: string, context?: PasswordContext) => passwordProblem(password, context)?.code;

describe('passwordProblem: length (NIST SP 800-63B 3.1.1.2: 8 to at least 64, no composition rules)', () => {
  it('refuses the empty password and 7 characters, with the reason', () => {
    expect(passwordProblem('')).toEqual({ code: 'too_short', message: 'must be at least 8 characters' });
    expect(code('xk#9Qw2')).toBe('too_short');
  });

  it('accepts 128 characters and refuses 129, with the reason', () => {
    const long = 'correct horse battery staple, '.repeat(5);
    expect(code(long.slice(0, 128))).toBeUndefined();
    expect(passwordProblem(long.slice(0, 129))).toEqual({
      code: 'too_long',
      message: 'must be at most 128 characters',
    });
    expect([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH]).toEqual([8, 128]);
  });

  it('refuses megabyte input as too long without working through it', () => {
    expect(code('a1'.repeat(500_000))).toBe('too_long');
  });

  it('counts code points, not UTF-16 units: emoji and CJK passwords', () => {
    expect(code('🔐🦄🌋🎻')).toBe('too_short'); // 8 UTF-16 units, 4 characters
    expect(code('🔐🦄🌋🎻🐙🚲🍄🪁')).toBeUndefined();
    expect(code('🔐'.repeat(128))).toBeUndefined(); // 256 UTF-16 units
    expect(code('🔐'.repeat(129))).toBe('too_long');
    expect(code('密码密码密码')).toBe('too_short');
    // 8 characters; the list is drawn from mostly Latin-script breaches, so it is not listed.
    expect(code('密码密码密码密码')).toBeUndefined();
  });

  it('counts after NFKC normalization, as the hasher does', () => {
    // 8 UTF-16 units that compose into 4 characters.
    expect(code('e\u0301e\u0301e\u0301e\u0301')).toBe('too_short');
  });

  it('needs no composition: lowercase-only and digits-only passwords pass', () => {
    expect(code('correct horse battery staple')).toBeUndefined();
    expect(code('40731958')).toBeUndefined();
  });

  it('refuses whitespace-only passwords that pass the length rule', () => {
    expect(passwordProblem('        ')).toEqual({ code: 'common', message: 'must not be only spaces' });
    expect(code('\t \u00a0 \u3000   ')).toBe('common');
    expect(code('   ')).toBe('too_short');
  });
});

describe('passwordProblem: common and breached passwords', () => {
  it.each(['password', '12345678', 'qwertyuiop', 'iloveyou1', 'Password1', 'PASSWORD'])('refuses %s', (password) => {
    expect(passwordProblem(password)).toEqual({
      code: 'common',
      message: 'is one of the most common passwords: choose something less guessable',
    });
  });

  it('refuses a common password in fullwidth letters (NFKC makes it "password")', () => {
    expect(code('ｐａｓｓｗｏｒｄ')).toBe('common');
  });

  it('refuses a common password padded with digits or symbols, saying so', () => {
    expect(passwordProblem('Password2024!')).toEqual({
      code: 'common',
      message: 'is a common password with digits or symbols added: choose something less guessable',
    });
    expect(code('!!sunshine!!')).toBe('common');
    expect(code('1 football 1')).toBe('common');
  });

  it('does not refuse a password for containing a common word', () => {
    expect(code('sunshine over the fjords')).toBeUndefined();
  });

  it('holds at least 100,000 passwords, loaded once', () => {
    warmCommonPasswords();
    warmCommonPasswords();
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(100_000);
  });

  it('does not match object prototype names', () => {
    for (const password of ['__proto__', 'constructor', 'hasOwnProperty', 'toString']) {
      expect(code(password)).toBeUndefined();
    }
  });
});

describe('passwordProblem: context words (the account and the site)', () => {
  const ada: PasswordContext = { email: 'ada.lovelace@example.com', name: 'Ada Lovelace', appName: 'Gatehouse' };
  const contextProblem = {
    code: 'context',
    message: "must not be built from your name, email address or the site's name",
  };

  it('refuses the email local part with a year added', () => {
    expect(passwordProblem('ada.lovelace2024', { email: 'ada.lovelace@example.com' })).toEqual(contextProblem);
    // Without the context it is an unremarkable password.
    expect(code('ada.lovelace2024')).toBeUndefined();
  });

  it('refuses the local part without its dot, padded with symbols', () => {
    expect(code('adalovelace!!', { email: 'ada.lovelace@example.com' })).toBe('context');
  });

  it('refuses the whole email address', () => {
    expect(code('Ada.Lovelace@example.com', { email: 'ada.lovelace@example.com' })).toBe('context');
  });

  it("refuses the site's name with digits", () => {
    expect(code('gatehouse123', { appName: 'Gatehouse' })).toBe('context');
    expect(code('gate house 2024', { appName: 'Gate House' })).toBe('context');
  });

  it('refuses the name, in any case, with a short or a common remainder', () => {
    expect(code('LOVELACE-Ada', { name: 'Ada Lovelace' })).toBe('context');
    expect(code('adapassword1', ada)).toBe('context');
  });

  it('accepts a password that keeps 8 or more other characters once the words are removed', () => {
    expect(code('Lovelace rides bicycles', ada)).toBeUndefined();
  });

  it('ignores context words shorter than 3 characters', () => {
    expect(code('jo likes rivers', { name: 'Jo' })).toBeUndefined();
    expect(code('al12345678x', { email: 'al@example.com' })).toBeUndefined();
  });

  it('takes null, empty and prototype-named context values in its stride', () => {
    expect(code('Lovelace rides bicycles', { email: null, name: null, appName: null })).toBeUndefined();
    expect(code('Lovelace rides bicycles', { email: '', name: '  ', appName: '' })).toBeUndefined();
    expect(code('__proto__', { name: '__proto__' })).toBe('context');
    expect(code('constructor rides', { name: 'constructor' })).toBe('context');
  });
});
