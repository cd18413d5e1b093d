/**
 * Month names feeds write in RFC 822 dates in their own language ("Seg, 24 Set 2018"), per
 * month, lower case and without diacritics: abbreviations, then full names. English needs
 * no entry. No name may stand for two months (feed-date.test.ts checks).
 */
export const MONTH_NAMES: Readonly<Record<string, readonly (readonly string[])[]>> = {
  portuguese: [
    ['jan', 'janeiro'],
    ['fev', 'fevereiro'],
    ['mar', 'marco'],
    ['abr', 'abril'],
    ['mai', 'maio'],
    ['jun', 'junho'],
    ['jul', 'julho'],
    ['ago', 'agosto'],
    ['set', 'setembro'],
    ['out', 'outubro'],
    ['nov', 'novembro'],
    ['dez', 'dezembro'],
  ],
  spanish: [
    ['ene', 'enero'],
    ['feb', 'febrero'],
    ['mar', 'marzo'],
    ['abr', 'abril'],
    ['may', 'mayo'],
    ['jun', 'junio'],
    ['jul', 'julio'],
    ['ago', 'agosto'],
    ['sep', 'sept', 'set', 'septiembre', 'setiembre'],
    ['oct', 'octubre'],
    ['nov', 'noviembre'],
    ['dic', 'diciembre'],
  ],
  french: [
    ['janv', 'janvier'],
    ['fev', 'fevr', 'fevrier'],
    ['mars'],
    ['avr', 'avril'],
    ['mai'],
    ['juin'],
    ['juil', 'juillet'],
    ['aout'],
    ['sept', 'septembre'],
    ['oct', 'octobre'],
    ['nov', 'novembre'],
    ['dec', 'decembre'],
  ],
  german: [
    ['jan', 'januar', 'janner', 'jaenner'],
    ['feb', 'februar'],
    ['mar', 'mrz', 'marz', 'maerz'],
    ['apr', 'april'],
    ['mai'],
    ['jun', 'juni'],
    ['jul', 'juli'],
    ['aug', 'august'],
    ['sep', 'sept', 'september'],
    ['okt', 'oktober'],
    ['nov', 'november'],
    ['dez', 'dezember'],
  ],
  italian: [
    ['gen', 'gennaio'],
    ['feb', 'febbraio'],
    ['mar', 'marzo'],
    ['apr', 'aprile'],
    ['mag', 'maggio'],
    ['giu', 'giugno'],
    ['lug', 'luglio'],
    ['ago', 'agosto'],
    ['set', 'settembre'],
    ['ott', 'ottobre'],
    ['nov', 'novembre'],
    ['dic', 'dicembre'],
  ],
  dutch: [
    ['jan', 'januari'],
    ['feb', 'februari'],
    ['mrt', 'maa', 'maart'],
    ['apr', 'april'],
    ['mei'],
    ['jun', 'juni'],
    ['jul', 'juli'],
    ['aug', 'augustus'],
    ['sep', 'september'],
    ['okt', 'oktober'],
    ['nov', 'november'],
    ['dec', 'december'],
  ],
  // Swedish, Danish and Norwegian share most names.
  scandinavian: [
    ['jan', 'januari', 'januar'],
    ['feb', 'februari', 'februar'],
    ['mar', 'mars', 'marts'],
    ['apr', 'april'],
    ['maj', 'mai'],
    ['jun', 'juni'],
    ['jul', 'juli'],
    ['aug', 'augusti', 'august'],
    ['sep', 'september'],
    ['okt', 'oktober'],
    ['nov', 'november'],
    ['dec', 'des', 'december', 'desember'],
  ],
  polish: [
    ['sty', 'stycznia'],
    ['lut', 'lutego'],
    ['mar', 'marca'],
    ['kwi', 'kwietnia'],
    ['maj', 'maja'],
    ['cze', 'czerwca'],
    ['lip', 'lipca'],
    ['sie', 'sierpnia'],
    ['wrz', 'wrzesnia'],
    ['paz', 'pazdziernika'],
    ['lis', 'listopada'],
    ['gru', 'grudnia'],
  ],
  turkish: [
    ['oca', 'ocak'],
    ['sub', 'subat'],
    ['mar', 'mart'],
    ['nis', 'nisan'],
    ['may', 'mayis'],
    ['haz', 'haziran'],
    ['tem', 'temmuz'],
    ['agu', 'agustos'],
    ['eyl', 'eylul'],
    ['eki', 'ekim'],
    ['kas', 'kasim'],
    ['ara', 'aralik'],
  ],
  indonesian: [
    ['jan', 'januari'],
    ['feb', 'februari'],
    ['mar', 'maret'],
    ['apr', 'april'],
    ['mei'],
    ['jun', 'juni'],
    ['jul', 'juli'],
    ['agu', 'agt', 'agustus'],
    ['sep', 'september'],
    ['okt', 'oktober'],
    ['nov', 'november'],
    ['des', 'desember'],
  ],
};

const ENGLISH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Localized month name → English abbreviation. */
const ENGLISH_MONTH = new Map<string, string>(
  Object.values(MONTH_NAMES).flatMap((months) =>
    months.flatMap((names, month) => names.map((name) => [name, ENGLISH[month] ?? ''] as const)),
  ),
);

/** "Seg, " "jeu., " "Dienstag, ": the day of the week is redundant, and may look like a month (Spanish "mar"). */
const LEADING_WEEKDAY = /^\s*[\p{L}-]+\.?,\s*/u;
const WORD = /[\p{L}\p{M}]+\.?/gu;

/**
 * A feed's date as epoch milliseconds, or null. ISO 8601 and English RFC 822 dates are
 * what Date.parse reads; a date it can't read is tried again with its month in English.
 */
export function parseFeedDate(value: string | undefined): number | null {
  if (value === undefined) return null;
  const time = Date.parse(value.trim());
  if (!Number.isNaN(time)) return time;
  const english = value
    .replace(LEADING_WEEKDAY, '')
    .replace(WORD, (word) => ENGLISH_MONTH.get(normalize(word)) ?? word);
  const translated = Date.parse(english.trim());
  return Number.isNaN(translated) ? null : translated;
}

/** Lower case, no diacritics, no abbreviation dot: "Févr." → "fevr", "Mär" → "mar", "Kasım" → "kasim". */
function normalize(word: string): string {
  return word.toLowerCase().replace(/\.$/u, '').normalize('NFD').replace(/\p{M}/gu, '').replace(/ı/gu, 'i');
}
