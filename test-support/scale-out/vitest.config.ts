import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The scale-out suite: several server processes on PostgreSQL and Redis, outages of both,
 * nginx in front. It needs the services `.ci/services.sh` starts, and runs one file at a
 * time (the files start processes and private database servers):
 *   npx vitest run --config test-support/scale-out/vitest.config.ts
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['test-support/scale-out/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
