import { describe, expect, it } from 'vitest';
import { RecentFailures } from './recent-failures.js';

describe('RecentFailures', () => {
  it('remembers a failure for its time, then forgets it', () => {
    let now = 1_000;
    const failures = new RecentFailures(100, 10, () => now);
    failures.add('http://a.example/x');
    expect(failures.has('http://a.example/x')).toBe(true);
    expect(failures.has('http://a.example/y')).toBe(false);
    now += 99;
    expect(failures.has('http://a.example/x')).toBe(true);
    now += 1;
    expect(failures.has('http://a.example/x')).toBe(false);
  });

  it('keeps at most its bound, forgetting the oldest first', () => {
    const failures = new RecentFailures(60_000, 2, () => 0);
    for (const name of ['a', 'b', 'c']) failures.add(`http://x.example/${name}`);
    expect(failures.has('http://x.example/a')).toBe(false);
    expect(failures.has('http://x.example/b')).toBe(true);
    expect(failures.has('http://x.example/c')).toBe(true);
  });
});
