import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../instance-process.js';

/**
 * A redis-server of the test's own on a free loopback port, so a test can kill it without
 * touching the shared one. No persistence: after a restart it is empty, as a Redis that
 * lost its data would be (nothing acknowledged may depend on what it held).
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${String(this.port)}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (await this.answers()) return;
      if (child.exitCode !== null) throw new Error(`redis-server on ${String(this.port)} exited`);
      if (Date.now() > deadline) throw new Error(`redis-server on ${String(this.port)} did not come up`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Kills it outright (no goodbye to clients), as a crash would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child?.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  /**
   * Freezes it with SIGSTOP: connections stay open and commands go unanswered, as a Redis
   * stuck in a long command, swapping or on a stalled host would. Nothing closes.
   */
  pause(): void {
    const child = this.child;
    if (child?.exitCode !== null) throw new Error('redis-server is not running');
    child.kill('SIGSTOP');
  }

  /** Lets a paused Redis run again (SIGCONT): it answers everything it was sent meanwhile. */
  resume(): void {
    const child = this.child;
    if (child?.exitCode !== null) throw new Error('redis-server is not running');
    child.kill('SIGCONT');
  }

  private async answers(): Promise<boolean> {
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return true;
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}
