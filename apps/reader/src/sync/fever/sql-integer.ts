/**
 * An integer column as a JS number. The schema types say `number`, and SQLite gives one, but
 * node-postgres hands back int8 (the items' bigint ids and times, COUNT(*)) as a string so as
 * not to lose precision. Ids and epoch milliseconds are far below 2^53: Number() is exact.
 */
export function toInteger(value: number | string | bigint): number {
  return Number(value);
}
