/**
 * A wait in words, rounded up so nobody retries too early: 45 → "45 seconds",
 * 3459 → "58 minutes", 3700 → "1 hour and 2 minutes".
 */
export function describeWait(seconds: number): string {
  if (seconds < 60) return unit(Math.max(1, Math.ceil(seconds)), 'second');
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? unit(hours, 'hour') : `${unit(hours, 'hour')} and ${unit(rest, 'minute')}`;
}

function unit(n: number, name: string): string {
  return `${String(n)} ${n === 1 ? name : `${name}s`}`;
}
