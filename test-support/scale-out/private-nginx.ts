import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const NGINX = '/usr/sbin/nginx';

/** The first ```nginx block of a Markdown file: the example a doc shows. */
export function nginxExample(markdownFile: string): string {
  const match = /```nginx\n([\s\S]*?)```/.exec(readFileSync(markdownFile, 'utf8'));
  if (match?.[1] === undefined) throw new Error(`${markdownFile} has no nginx example`);
  return match[1];
}

export interface LoopbackSetting {
  httpPort: number;
  httpsPort: number;
  upstreams: string[];
  certificate: string;
  key: string;
}

/**
 * The doc's example with only what must differ on a test machine changed: listen ports,
 * upstream addresses and certificate paths. Every replacement must find its target, so an
 * edit to the example that the test cannot follow fails the test instead of going untested.
 */
export function adaptForLoopback(example: string, setting: LoopbackSetting): string {
  let config = example;
  const replace = (pattern: RegExp, replacement: string, what: string) => {
    if (!pattern.test(config)) throw new Error(`the nginx example no longer has ${what}`);
    config = config.replace(pattern, replacement);
  };
  replace(/listen 80;/, `listen 127.0.0.1:${String(setting.httpPort)};`, '`listen 80;`');
  replace(/listen 443 ssl/, `listen 127.0.0.1:${String(setting.httpsPort)} ssl`, '`listen 443 ssl`');
  replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${setting.certificate};`, 'ssl_certificate');
  replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${setting.key};`, 'ssl_certificate_key');
  const upstreamLine = /^(\s*)server \d+\.\d+\.\d+\.\d+:\d+(.*);$/gm;
  const servers = [...config.matchAll(upstreamLine)];
  if (servers.length !== setting.upstreams.length) {
    throw new Error(
      `the nginx example has ${String(servers.length)} upstream servers, the test runs ${String(setting.upstreams.length)}`,
    );
  }
  let index = 0;
  config = config.replace(upstreamLine, (_line, indent: string, rest: string) => {
    const upstream = setting.upstreams[index] ?? '';
    index += 1;
    return `${indent}server ${upstream}${rest};`;
  });
  return config;
}

/** A self-signed certificate for 127.0.0.1, made with openssl into `directory`. */
export async function selfSignedCertificate(directory: string): Promise<{ certificate: string; key: string }> {
  const certificate = join(directory, 'cert.pem');
  const key = join(directory, 'key.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    certificate,
  ]);
  return { certificate, key };
}

/**
 * An nginx of the test's own: its own prefix, config, pid file and logs in a temp dir, in
 * the foreground (`daemon off`), listening on loopback ports only.
 */
export class PrivateNginx {
  private constructor(
    readonly directory: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<number | null>,
  ) {}

  /** A temp dir for the config, certificate and logs (readable by nginx's workers). */
  static workDirectory(): string {
    const directory = mkdtempSync(join(tmpdir(), 'gh-nginx-'));
    chmodSync(directory, 0o755);
    mkdirSync(join(directory, 'temp'));
    return directory;
  }

  /** Wraps `httpBlock` (server and upstream blocks) in a whole nginx.conf and starts nginx. */
  static async start(directory: string, httpBlock: string, waitForPort: number): Promise<PrivateNginx> {
    const temp = join(directory, 'temp');
    const conf = join(directory, 'nginx.conf');
    writeFileSync(
      conf,
      [
        'worker_processes 1;',
        `pid ${join(directory, 'nginx.pid')};`,
        `error_log ${join(directory, 'error.log')} warn;`,
        'events { worker_connections 256; }',
        'http {',
        `  access_log ${join(directory, 'access.log')};`,
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (kind) => `  ${kind}_temp_path ${join(temp, kind)};`,
        ),
        httpBlock,
        '}',
        '',
      ].join('\n'),
    );
    await run(NGINX, ['-t', '-p', directory, '-c', conf]);
    const child = spawn(NGINX, ['-p', directory, '-c', conf, '-g', 'daemon off;'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const nginx = new PrivateNginx(directory, child, exited);
    const deadline = Date.now() + 10_000;
    while (!(await accepts(waitForPort))) {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${nginx.errorLog()}`);
      if (Date.now() > deadline) throw new Error(`nginx did not listen: ${nginx.errorLog()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return nginx;
  }

  errorLog(): string {
    try {
      return readFileSync(join(this.directory, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Graceful stop (SIGQUIT), then the directory goes. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      this.child.kill('SIGQUIT');
      await this.exited;
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}
