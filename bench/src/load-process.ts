import { load, type LoadOptions, type LoadRequest } from './load.js';

/**
 * A load generator in its own process (spawned by processes.ts `loadInOwnProcess`), for load
 * that runs beside a measurement: the login storm. In the orchestrator's process its work
 * would delay the probe's own event loop and show up as the server's latency.
 * BENCH_LOAD: JSON {origin, request, options}. Prints {"started":true}, then the LoadResult.
 */
const { origin, request, options } = JSON.parse(process.env.BENCH_LOAD ?? '') as {
  origin: string;
  request: LoadRequest;
  options: LoadOptions;
};
process.stdout.write(`${JSON.stringify({ started: true })}\n`);
const result = await load(origin, request, options);
process.stdout.write(`${JSON.stringify(result)}\n`);
