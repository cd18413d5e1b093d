import { describe, expect, it } from 'vitest';
import { MONTH_NAMES, parseFeedDate } from './feed-date.js';

describe('parseFeedDate', () => {
  it('reads ISO 8601 and English RFC 822 dates as before', () => {
    expect(parseFeedDate('2024-02-29T12:00:00Z')).toBe(Date.UTC(2024, 1, 29, 12));
    expect(parseFeedDate(' Mon, 24 Sep 2018 10:00:00 +0000 ')).toBe(Date.UTC(2018, 8, 24, 10));
    expect(parseFeedDate('Tue, 25 Sep 2018 10:00:00 GMT')).toBe(Date.UTC(2018, 8, 25, 10));
  });

  // Every name in the table, so a name given to two months (or a typo) fails here.
  const cases = Object.entries(MONTH_NAMES).flatMap(([language, months]) =>
    months.flatMap((names, month) => names.map((name) => [language, name, month] as const)),
  );
  it.each(cases)('%s: "%s" is month %i', (_language, name, month) => {
    expect(parseFeedDate(`24 ${name} 2018 10:00:00 +0000`)).toBe(Date.UTC(2018, month, 24, 10));
  });

  it.each([
    ['Seg, 24 Set 2018 10:00:00 +0000', Date.UTC(2018, 8, 24, 10)],
    ['Segunda-feira, 24 Setembro 2018 10:00:00 -0300', Date.UTC(2018, 8, 24, 13)],
    // Spanish "mar" is Tuesday (martes) as a weekday, March as a month.
    ['mar, 15 ene 2019 18:30:00 +0100', Date.UTC(2019, 0, 15, 17, 30)],
    ['jeu., 7 FÉVR. 2019 09:15:00 +0100', Date.UTC(2019, 1, 7, 8, 15)],
    ['Mi, 13 Mär 2019 12:00:00 +0100', Date.UTC(2019, 2, 13, 11)],
    ['Çar, 13 Kasım 2019 12:00:00 +0300', Date.UTC(2019, 10, 13, 9)],
    ['śr., 13 lis 2019 12:00:00 +0100', Date.UTC(2019, 10, 13, 11)],
  ])('reads %s', (value, time) => {
    expect(parseFeedDate(value)).toBe(time);
  });

  it.each([undefined, '', 'soon', 'Seg, 24 Smarch 2018 10:00:00 +0000'])('gives null for %j', (value) => {
    expect(parseFeedDate(value)).toBeNull();
  });
});
