import { i18n } from './i18n';

/**
 * A wait in words, rounded up so nobody retries too early: 45 → "45 seconds",
 * 3459 → "58 minutes", 3700 → "1 hour and 2 minutes" ("1 小时 2 分钟").
 */
export function describeWait(seconds: number): string {
  if (seconds < 60) return i18n.t('problems:wait.seconds', { count: Math.max(1, Math.ceil(seconds)) });
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return i18n.t('problems:wait.minutes', { count: minutes });
  const hours = i18n.t('problems:wait.hours', { count: Math.floor(minutes / 60) });
  const rest = minutes % 60;
  if (rest === 0) return hours;
  return i18n.t('problems:wait.hoursAndMinutes', { hours, minutes: i18n.t('problems:wait.minutes', { count: rest }) });
}
