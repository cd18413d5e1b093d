import { afterAll } from 'vitest';

interface Closable {
  close(): Promise<void>;
}

/**
 * For a test file's servers and browser: returns `started`, which notes a thing as it is
 * started (in beforeAll) and hands it back; after all tests they are closed in reverse
 * order, also when a later start failed, so nothing is left listening.
 */
export function closeAfterAll(): <T extends Closable>(thing: T) => T {
  const started: Closable[] = [];
  afterAll(async () => {
    for (const thing of started.reverse()) await thing.close();
  });
  return (thing) => {
    started.push(thing);
    return thing;
  };
}
