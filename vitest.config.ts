import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their TypeScript sources: no build needed to test.
    conditions: ['source'],
  },
  ssr: {
    resolve: {
      conditions: ['source'],
      externalConditions: ['source'],
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/web/src/**/*.test.ts'],
    environment: 'node',
    // argon2 at OWASP cost plus real HTTP: give slow shared machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
