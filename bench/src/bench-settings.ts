/** Settings the orchestrator and the servers it starts must agree on. */

/** The origin the Gatehouse server believes it is reached at, behind a TLS proxy. */
export const BENCH_PUBLIC_ORIGIN = 'https://gatehouse.bench.test';

/** Our own schema and key prefix, so a run never touches anybody else's data. */
export const BENCH_PG_SCHEMA = 'gh_bench';
export const BENCH_REDIS_PREFIX = 'gh-bench:';
export const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The libpq way to pick a schema (see packages/core postgres-database.ts). */
export function benchDatabaseUrl(): string {
  return `${PG_URL}?options=${encodeURIComponent(`-c search_path=${BENCH_PG_SCHEMA}`)}`;
}

export function benchRedisUrl(prefix = BENCH_REDIS_PREFIX): string {
  return `${REDIS_URL}/0?prefix=${encodeURIComponent(prefix)}`;
}
