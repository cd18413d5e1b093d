import { describe, expect, it } from 'vitest';
import { FeverInputError, parseFeverCommand } from './fever-command.js';

function parse(query: string) {
  return parseFeverCommand(new Map(new URLSearchParams(query)));
}

function refusal(query: string): string {
  try {
    parse(query);
  } catch (error) {
    if (error instanceof FeverInputError) return error.message;
    throw error;
  }
  throw new Error(`${query} was accepted`);
}

describe('parseFeverCommand: what is asked for', () => {
  it('answers every member a call names, by presence alone', () => {
    expect(parse('api&groups&feeds&favicons&links&unread_item_ids&saved_item_ids')).toMatchObject({
      groups: true,
      feeds: true,
      favicons: true,
      links: true,
      unreadItemIds: true,
      savedItemIds: true,
      items: undefined,
      mark: undefined,
    });
    expect(parse('api')).toMatchObject({ groups: false, feeds: false, items: undefined, mark: undefined });
  });

  it('reads the three ways to page items, and none as since_id=0', () => {
    expect(parse('items').items).toEqual({ kind: 'since', id: 0 });
    expect(parse('items&since_id=42').items).toEqual({ kind: 'since', id: 42 });
    expect(parse('items&max_id=42').items).toEqual({ kind: 'max', id: 42 });
    // max_id=0 is "from the newest", not "below 0".
    expect(parse('items&max_id=0').items).toEqual({ kind: 'max', id: undefined });
    expect(parse('items&with_ids=3,1, 2,3,').items).toEqual({ kind: 'ids', ids: [3, 1, 2] });
    expect(parse('items&with_ids=').items).toEqual({ kind: 'ids', ids: [] });
    // An empty since_id or max_id is absent, as the web API treats empty parameters.
    expect(parse('items&since_id=&max_id=7').items).toEqual({ kind: 'max', id: 7 });
  });

  it('ignores paging parameters without `items`, and unknown parameters', () => {
    expect(parse('groups&since_id=nonsense&refresh&api=xml').items).toBeUndefined();
  });

  it('reads marks, case-insensitively, with `before` optional', () => {
    expect(parse('mark=item&as=saved&id=5').mark).toEqual({ target: 'item', id: 5, as: 'saved' });
    expect(parse('mark=ITEM&as=Unread&id=5').mark).toEqual({ target: 'item', id: 5, as: 'unread' });
    expect(parse('mark=feed&as=read&id=2&before=1700000000').mark).toEqual({
      target: 'feed',
      id: 2,
      before: 1700000000,
    });
    expect(parse('mark=group&as=read&id=0').mark).toEqual({ target: 'group', id: 0, before: undefined });
  });
});

describe('parseFeverCommand: what is refused', () => {
  it('refuses more than 50 with_ids', () => {
    const ids = Array.from({ length: 51 }, (_, n) => String(n + 1)).join(',');
    expect(refusal(`items&with_ids=${ids}`)).toMatch(/with_ids: at most 50/u);
    expect(parse(`items&with_ids=${ids.split(',').slice(0, 50).join(',')}`).items).toMatchObject({ kind: 'ids' });
  });

  it.each([
    '-1',
    '1e3',
    '0x10',
    '+5',
    '1.0',
    'abc',
    '7 8',
    '١٢',
    '99999999999999999999',
    '9007199254740993',
    '__proto__',
  ])('refuses %j as an id everywhere one is read', (value) => {
    const encoded = encodeURIComponent(value);
    expect(refusal(`items&since_id=${encoded}`)).toMatch(/^since_id: /u);
    expect(refusal(`items&max_id=${encoded}`)).toMatch(/^max_id: /u);
    expect(refusal(`items&with_ids=1,${encoded}`)).toMatch(/^with_ids: /u);
    expect(refusal(`mark=item&as=read&id=${encoded}`)).toMatch(/^id: /u);
    expect(refusal(`mark=feed&as=read&id=1&before=${encoded}`)).toMatch(/^before: /u);
  });

  it('refuses a `before` whose milliseconds JavaScript cannot hold', () => {
    expect(refusal('mark=group&as=read&id=0&before=9007199254741')).toBe('before: too large');
  });

  it('refuses two ways of paging at once rather than guess which was meant', () => {
    expect(refusal('items&since_id=1&max_id=9')).toMatch(/one of since_id, max_id and with_ids/u);
    expect(refusal('items&since_id=1&with_ids=2')).toMatch(/one of/u);
  });

  it.each([
    ['mark=item&as=starred&id=1', /^as: /u],
    ['mark=item&id=1', /^as: /u],
    ['mark=item&as=read', /^id: /u],
    ['mark=item&as=read&id=', /^id: /u],
    ['mark=feed&as=unread&id=1', /^as: a feed can only be marked read/u],
    ['mark=group&as=saved&id=1', /^as: a group can only be marked read/u],
    ['mark=everything&as=read&id=1', /^mark: /u],
    ['mark=&as=read&id=1', /^mark: /u],
  ])('refuses the mark %s', (query, message) => {
    expect(refusal(query)).toMatch(message);
  });
});
