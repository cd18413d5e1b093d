/** Dates as people read them: "5 min ago" in lists, the full date in the article. */

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const shortDateWithYear = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

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
  const elapsed = now - date.getTime();
  if (elapsed < MINUTE) return 'now';
  if (elapsed < HOUR) return relative.format(-Math.floor(elapsed / MINUTE), 'minute');
  if (elapsed < DAY) return relative.format(-Math.floor(elapsed / HOUR), 'hour');
  if (elapsed < 7 * DAY) return relative.format(-Math.floor(elapsed / DAY), 'day');
  return date.getFullYear() === new Date(now).getFullYear() ? shortDate.format(date) : shortDateWithYear.format(date);
}

export function fullDateTime(iso: string): string {
  const date = parse(iso);
  return date === undefined ? iso : fullDate.format(date);
}

/** For feed status, past or future: "3 hr. ago", "in 25 min.". */
export function relativeTime(iso: string, now = Date.now()): string {
  const date = parse(iso);
  if (date === undefined) return iso;
  const delta = date.getTime() - now;
  const size = Math.abs(delta);
  if (size < MINUTE) return delta < 0 ? 'just now' : 'in less than a minute';
  if (size < HOUR) return relative.format(Math.round(delta / MINUTE), 'minute');
  if (size < DAY) return relative.format(Math.round(delta / HOUR), 'hour');
  return relative.format(Math.round(delta / DAY), 'day');
}

/** "1 item", "2 items". */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? noun : plural}`;
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
  return date === undefined ? iso : shortDateWithYear.format(date);
}
