/**
 * One Gatehouse instance as its own process, configured by the environment exactly like
 * apps/reader/src/main.ts (DATABASE_URL, REDIS_URL, PORT, PUBLIC_ORIGIN, …), serving the
 * test app. The scale-out tests start several of these. Run from TypeScript:
 *   node --conditions=source --import tsx test-support/instance-server.ts
 * It prints JSON lines on stdout: {"event":"listening","port":…} when it serves, and
 * {"event":"closed"} once SIGTERM has drained requests and closed every pool; then the
 * process exits by itself (if a pool stayed open, it would not).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gatehouse, loadConfig, openStores } from '@gatehouse/core';
import { serve } from '@hono/node-server';
import { createTestApp } from './test-app.js';

function say(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const gatehouseHolder: { gatehouse?: Gatehouse } = {};
  const stores = await openStores(config, {
    onError: (error) => gatehouseHolder.gatehouse?.log.warn({ err: error }, 'store connection trouble'),
  });
  const gatehouse = new Gatehouse({ config, stores });
  gatehouseHolder.gatehouse = gatehouse;
  await gatehouse.ready();
  const app = createTestApp(gatehouse);
  // Which instance answered, so tests behind a load balancer can see both take turns.
  const servedBy = String(config.port);
  const fetch = async (request: Request, env: unknown) => {
    const response = await app.fetch(request, env);
    const tagged = new Response(response.body, response);
    tagged.headers.set('X-Served-By', servedBy);
    return tagged;
  };
  const server = serve({ fetch, port: config.port, hostname: config.host }, (info: AddressInfo) => {
    say({ event: 'listening', port: info.port });
  });

  process.once('SIGTERM', () => {
    say({ event: 'draining' });
    // Stops accepting, lets requests in flight finish (idle keep-alive connections are closed),
    // then closes the pools: a request in flight still has its database.
    // A connection whose request finishes afterwards would idle in keep-alive for 5 s and
    // hold the close up: close such connections as soon as they go idle.
    const closeIdle = setInterval(() => {
      (server as Server).closeIdleConnections();
    }, 50);
    closeIdle.unref();
    server.close(() => {
      clearInterval(closeIdle);
      gatehouse
        .close()
        .then(() => stores.close())
        .then(
          () => {
            say({ event: 'closed' });
          },
          (error: unknown) => {
            say({ event: 'close_failed', error: String(error) });
            process.exitCode = 1;
          },
        );
    });
  });
}

main().catch((error: unknown) => {
  say({ event: 'failed', error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
