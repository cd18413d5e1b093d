import { fetch } from 'undici';
import { freePort, startInstance, type InstanceProcess } from '../instance-process.js';

export interface Cluster {
  instances: InstanceProcess[];
  /** Stops every instance with SIGTERM; returns their exit codes. */
  stop(): Promise<(number | null)[]>;
}

/**
 * N instance processes on the same stores, as behind a load balancer: one issuer and
 * audience for tokens, and each instance trusts every instance's origin (the tests talk
 * to them directly, each at its own port).
 */
export async function startCluster(count: number, env: Record<string, string>): Promise<Cluster> {
  const ports: number[] = [];
  for (let index = 0; index < count; index += 1) ports.push(await freePort());
  const origins = ports.map((port) => `http://127.0.0.1:${String(port)}`);
  const shared = {
    TRUSTED_ORIGINS: origins.join(','),
    GATEHOUSE_TOKEN_ISSUER: 'http://gatehouse.test',
    GATEHOUSE_TOKEN_AUDIENCE: 'http://gatehouse.test',
    ...env,
  };
  const instances: InstanceProcess[] = [];
  try {
    // One after the other: the first runs the migrations, the others find them done.
    for (const port of ports) instances.push(await startInstance({ port, env: shared }));
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.stop()));
    throw error;
  }
  return {
    instances,
    stop: () => Promise.all(instances.map((instance) => instance.stop())),
  };
}

/** What an instance's health route says about its push channel. */
export async function cachesTrusted(instance: InstanceProcess): Promise<boolean> {
  const response = await fetch(`${instance.origin}/api/health`);
  const body = (await response.json()) as { cachesTrusted?: boolean };
  return body.cachesTrusted === true;
}

/** Polls until `condition` holds (a state change in another process), or fails after `timeoutMs`. */
export async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
