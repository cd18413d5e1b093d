import { currentLanguage, i18n } from './i18n';
import type { Language } from './i18n/language';

/**
 * Dates as people read them, in the page's language: "5 min ago" in lists, the full date
 * in the article. Intl does the words and the order; the formatters are made once per
 * language, since the language can change while the page is open.
 */

interface Formatters {
  relative: Intl.RelativeTimeFormat;
  fullDate: Intl.DateTimeFormat;
  shortDate: Intl.DateTimeFormat;
  shortDateWithYear: Intl.DateTimeFormat;
}

const formatters = new Map<Language, Formatters>();

/**
 * The locale Intl formats in. English keeps the browser's own English (en-GB writes
 * "14 Nov 2024", en-US "Nov 14, 2024"); Chinese is always Simplified.
 */
function intlLocale(language: Language): string {
  if (language !== 'en') return language;
  const browser = typeof navigator === 'undefined' ? [] : navigator.languages;
  return browser.find((tag) => tag.toLowerCase().startsWith('en')) ?? 'en';
}

function formattersFor(language: Language): Formatters {
  let made = formatters.get(language);
  if (made === undefined) {
    const locale = intlLocale(language);
    made = {
      relative: new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' }),
      fullDate: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
      shortDate: new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' }),
      shortDateWithYear: new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }),
    };
    formatters.set(language, made);
  }
  return made;
}

const format = () => formattersFor(currentLanguage());

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function parse(iso: string): Date | undefined {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Compact age for an item list: "now", "12 min. ago", "3 hr. ago", then a date. */
export function itemAge(iso: string, now = Date.now()): string {
  const date = parse(iso);
  if (date === undefined) return '';
  const { relative, shortDate, shortDateWithYear } = format();
  const elapsed = now - date.getTime();
  // numeric: 'auto' says 0 seconds as "now" (现在).
  if (elapsed < MINUTE) return relative.format(0, 'second');
  if (elapsed < HOUR) return relative.format(-Math.floor(elapsed / MINUTE), 'minute');
  if (elapsed < DAY) return relative.format(-Math.floor(elapsed / HOUR), 'hour');
  if (elapsed < 7 * DAY) return relative.format(-Math.floor(elapsed / DAY), 'day');
  return date.getFullYear() === new Date(now).getFullYear() ? shortDate.format(date) : shortDateWithYear.format(date);
}

export function fullDateTime(iso: string): string {
  const date = parse(iso);
  return date === undefined ? iso : format().fullDate.format(date);
}

/** For feed status, past or future: "3 hr. ago", "in 25 min.". */
export function relativeTime(iso: string, now = Date.now()): string {
  const date = parse(iso);
  if (date === undefined) return iso;
  const { relative } = format();
  const delta = date.getTime() - now;
  const size = Math.abs(delta);
  if (size < MINUTE) return delta < 0 ? i18n.t('reader:time.justNow') : i18n.t('reader:time.inUnderAMinute');
  if (size < HOUR) return relative.format(Math.round(delta / MINUTE), 'minute');
  if (size < DAY) return relative.format(Math.round(delta / HOUR), 'hour');
  return relative.format(Math.round(delta / DAY), 'day');
}

/** The host of a URL for display, or the URL itself when it does not parse. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host.replace(/^www\./, '');
  } catch {
    return url;
  }
}

/** A day, with its year: "Mar 4, 2027". */
export function calendarDate(iso: string): string {
  const date = parse(iso);
  return date === undefined ? iso : format().shortDateWithYear.format(date);
}
