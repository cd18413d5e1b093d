import { describe, expect, it } from 'vitest';
import { KeywordAutomaton } from './keyword-automaton.js';
import { RuleMatcher, type MatchableRule, type MatchableText } from './keyword-matcher.js';

function matches(keywords: string[], title: string, fields: MatchableRule['fields'] = ['title']): boolean {
  return new RuleMatcher([{ fields, keywords }]).matching({ title, author: null, content: '' }).has(0);
}

describe('RuleMatcher', () => {
  it('ignores case and character width', () => {
    expect(matches(['AI'], 'A new ai chip')).toBe(true);
    expect(matches(['ai'], 'ＡＩ 芯片')).toBe(true);
    expect(matches(['Ünïcode'], 'ÜNÏCODE everywhere')).toBe(true);
  });

  it('matches whole words in scripts written with spaces', () => {
    expect(matches(['ai'], 'He said so')).toBe(false);
    expect(matches(['ai'], 'AI, again')).toBe(true);
    expect(matches(['rust'], 'Trust me')).toBe(false);
    expect(matches(['реклама'], 'Это РЕКЛАМА!')).toBe(true);
    expect(matches(['реклама'], 'Антиреклама')).toBe(false);
  });

  it('matches anywhere in Chinese and Japanese text, which has no spaces', () => {
    expect(matches(['广告'], '这是一条广告')).toBe(true);
    expect(matches(['广告'], '广告：限时优惠')).toBe(true);
    expect(matches(['広告'], 'これは広告です')).toBe(true);
    expect(matches(['AI'], 'AI芯片发布')).toBe(true);
    expect(matches(['广告'], '这是一条新闻')).toBe(false);
  });

  it('lets a word go on past a * at its start or end', () => {
    expect(matches(['secur*'], 'Security news')).toBe(true);
    expect(matches(['secur'], 'Security news')).toBe(false);
    expect(matches(['*coin'], 'Bitcoin falls')).toBe(true);
    expect(matches(['*coin*'], 'Bitcoins fall')).toBe(true);
    expect(matches(['a*b'], 'a*b')).toBe(true);
    expect(matches(['a*b'], 'axb')).toBe(false);
  });

  it('matches a phrase across any white space', () => {
    expect(matches(['machine learning'], 'Machine\n   Learning today')).toBe(true);
    expect(matches(['machine learning'], 'machine-learning')).toBe(false);
  });

  it('keeps punctuation literal', () => {
    expect(matches(['C++'], 'What is new in C++26')).toBe(true);
    expect(matches(['C++'], 'C is old')).toBe(false);
    expect(matches(['node.js'], 'Node.js 24 released')).toBe(true);
  });

  it('looks only in the fields a rule names', () => {
    const text: MatchableText = { title: 'Weekly links', author: 'Sponsor', content: 'buy now 广告' };
    const rules: MatchableRule[] = [
      { fields: ['title'], keywords: ['sponsor'] },
      { fields: ['author'], keywords: ['sponsor'] },
      { fields: ['content'], keywords: ['广告'] },
      { fields: ['title', 'content'], keywords: ['links', 'nothing'] },
      { fields: ['title', 'author', 'content'], keywords: ['absent'] },
    ];
    expect([...new RuleMatcher(rules).matching(text)].sort()).toEqual([1, 2, 3]);
  });

  it('finishes quickly on input that makes a backtracking regex hang', () => {
    // /(a+)+b/ on "aaaa…a" takes exponential time; (a|aa)*c too. Literal keywords cannot.
    const text = 'a'.repeat(1_000_000);
    const keywords = Array.from({ length: 20 }, (_, n) => `${'a'.repeat(80 + n)}b`);
    keywords.push('*aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac');
    const matcher = new RuleMatcher([{ fields: ['content'], keywords }]);
    expect(matcher.matching({ title: '', author: null, content: text }).size).toBe(0);
    // Every prefix length at once: the most patterns that can end at one position.
    const nested = new RuleMatcher([
      { fields: ['content'], keywords: Array.from({ length: 20 }, (_, n) => 'a'.repeat(n + 1)) },
    ]);
    expect(nested.matching({ title: '', author: null, content: `x${text}x` }).size).toBe(0);
  });
});

describe('KeywordAutomaton', () => {
  /** Every (pattern, end) a naive search finds. */
  function naive(patterns: string[], text: string): string[] {
    const found: string[] = [];
    for (let end = 1; end <= text.length; end += 1) {
      patterns.forEach((pattern, id) => {
        if (end >= pattern.length && text.slice(end - pattern.length, end) === pattern)
          found.push(`${String(id)}@${String(end)}`);
      });
    }
    return found.sort();
  }

  it('finds exactly what a naive search finds, on random texts', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const word = (length: number) => Array.from({ length }, () => 'ab广'.charAt(Math.floor(random() * 3))).join('');
    for (let round = 0; round < 200; round += 1) {
      const patterns = [
        ...new Set(Array.from({ length: 1 + Math.floor(random() * 6) }, () => word(1 + Math.floor(random() * 4)))),
      ];
      const text = word(Math.floor(random() * 40));
      const found: string[] = [];
      new KeywordAutomaton(patterns).scan(text, (id, end) => {
        found.push(`${String(id)}@${String(end)}`);
        return false;
      });
      expect(found.sort()).toEqual(naive(patterns, text));
    }
  });

  it('refuses an empty or over-long pattern', () => {
    expect(() => new KeywordAutomaton([''])).toThrow();
    expect(() => new KeywordAutomaton(['x'.repeat(201)])).toThrow();
  });
});
