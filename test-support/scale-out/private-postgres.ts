import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../instance-process.js';

const run = promisify(execFile);

/** The newest PostgreSQL installed from Debian's packages. */
function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  if (newest === undefined) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql is empty)');
  return join('/usr/lib/postgresql', newest, 'bin');
}

/**
 * A PostgreSQL cluster of the test's own (initdb into a temp dir, a free loopback port),
 * so a test can restart it under load without touching the shared server. PostgreSQL
 * refuses to run as root, so when the tests run as root it runs as the `postgres` user.
 */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly directory: string,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const directory = mkdtempSync(join(tmpdir(), 'gh-private-pg-'));
    if (process.getuid?.() === 0) chownSync(directory, ...postgresIds());
    const postgres = new PrivatePostgres(await freePort(), directory);
    await postgres.asOwner('initdb', ['-D', postgres.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await postgres.start();
    return postgres;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${String(this.port)}/postgres`;
  }

  private get dataDir(): string {
    return join(this.directory, 'data');
  }

  async start(): Promise<void> {
    const options = `-p ${String(this.port)} -k ${this.directory} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.asOwner('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', join(this.directory, 'log'), '-w', 'start']);
  }

  /**
   * Stops it the hard way: every backend is killed and the next start replays the WAL, as
   * after a crash. What was committed must survive that.
   */
  async stop(): Promise<void> {
    await this.asOwner('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
  }

  /** Stops it (if running) and deletes the cluster. */
  async destroy(): Promise<void> {
    try {
      await this.stop();
    } catch {
      // Already stopped.
    }
    rmSync(this.directory, { recursive: true, force: true });
  }

  private async asOwner(program: string, args: string[]): Promise<void> {
    const binary = join(postgresBin(), program);
    if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', binary, ...args]);
    else await run(binary, args);
  }
}

function postgresIds(): [number, number] {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error('no postgres user to run PostgreSQL as');
  return [Number(uid), Number(gid)];
}
