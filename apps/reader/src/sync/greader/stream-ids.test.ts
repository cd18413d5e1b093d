import { describe, expect, it } from 'vitest';
import { parseStreamId } from './stream-ids.js';

describe('stream ids', () => {
  it.each([
    ['feed/2b1c9f2e-8a43-4c35-9d1f-0e1e6c4d7a10', { kind: 'feed', feed: '2b1c9f2e-8a43-4c35-9d1f-0e1e6c4d7a10' }],
    ['feed/https://example.com/feed.xml?a=b', { kind: 'feed', feed: 'https://example.com/feed.xml?a=b' }],
    ['user/-/label/Tech', { kind: 'label', name: 'Tech' }],
    ['user/-/label/Tech/News', { kind: 'label', name: 'Tech/News' }],
    ['user/1234/label/Tech', { kind: 'label', name: 'Tech' }],
    ['user/-/state/com.google/reading-list', { kind: 'state', state: 'reading-list' }],
    ['user/99/state/com.google/starred', { kind: 'state', state: 'starred' }],
    ['user/-/state/com.google/read', { kind: 'state', state: 'read' }],
  ])('reads %j', (value, expected) => {
    expect(parseStreamId(value)).toEqual(expected);
  });

  it.each([
    '',
    'feed/',
    'feed',
    'user/-/label/',
    'user//label/Tech',
    'user/-/state/com.google/',
    'user/-/state/com.example/read',
    'user/-/state/com.google/READ',
    'user/-/state/com.google/read/more',
    'user/-/tag/x',
    'label/Tech',
    '__proto__',
    'reading-list',
  ])('refuses %j', (value) => {
    expect(parseStreamId(value)).toBeUndefined();
  });
});
