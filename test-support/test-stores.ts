import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../packages/core/src/config.js';
import { openStores } from '../packages/core/src/stores/index.js';
import type { GatehouseStores } from '../packages/core/src/stores/types.js';
import { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from './test-backend.js';

export interface TestStores {
  stores: GatehouseStores;
  database: TestDatabase;
  /** Closes the stores and drops the database. */
  close(): Promise<void>;
}

/**
 * The stores exactly as `openStores` builds them for production, on the backend under test
 * (GATEHOUSE_TEST_BACKEND), in a database of their own.
 */
export async function openTestStores(options: TestDatabaseOptions = {}): Promise<TestStores> {
  const database = await createTestDatabase(options);
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-stores-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    GATEHOUSE_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    GATEHOUSE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...database.env,
  });
  let stores: GatehouseStores;
  try {
    stores = await openStores(config);
    await stores.push?.ready();
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    stores,
    database,
    async close() {
      await stores.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** For test titles: which backend a run is on. */
export { testBackend as testBackendName } from './test-backend.js';
