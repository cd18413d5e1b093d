/** The two sync fuzz properties, Google Reader and Fever, and their set-up: one world, one wire. */

import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { feverRequests } from './fever-requests.js';
import { afterwards, attack } from './fuzz-checks.js';
import { FuzzWire } from './fuzz-wire.js';
import { startFuzzWorld, type FuzzWorld } from './fuzz-world.js';
import { greaderRequests } from './greader-requests.js';

// Issue 18: whatever a broken or hostile reader app sends to the sync APIs, the answer is a
// 4xx in the protocol's own words, a refused request changes nothing, one user's request
// never touches or shows the other's data, and only a live app password authenticates.
// Two users, each with two feeds of titles no one else has (one feed in a folder), and
// a few read and starred marks. Deterministic: fixed seeds, fixed fixtures.

let world: FuzzWorld;
let wire: FuzzWire;

beforeAll(async () => {
  world = await startFuzzWorld();
  wire = new FuzzWire(world.server.origin);
});

afterAll(async () => {
  await wire.close();
  await world.close();
});

describe('hostile input to the sync APIs (fast-check)', () => {
  it('Google Reader: every route, hostile parameters, bodies and credentials', async () => {
    await fc.assert(
      fc.asyncProperty(greaderRequests(world.seeds), async (hostile) => {
        await attack(world, wire, 'greader', hostile);
      }),
      { seed: 18, numRuns: 500 },
    );
    await afterwards(world);
  });

  it('Fever: every call, hostile parameters, bodies and api keys', async () => {
    await fc.assert(
      fc.asyncProperty(feverRequests(world.seeds), async (hostile) => {
        await attack(world, wire, 'fever', hostile);
      }),
      { seed: 18, numRuns: 300 },
    );
    await afterwards(world);
  });
});
