import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface TmuxSessionOptions {
  /** A directory of the caller's: the session's private tmux socket lives there. */
  dir: string;
  /** The shell command the session's only pane runs; the session ends when it exits. */
  command: string;
  env: NodeJS.ProcessEnv;
  width?: number;
  height?: number;
}

const DEFAULTS = { width: 160, height: 50 };
/** How long a screen or an exit may take: generous, a slow CI machine is not a failure. */
const WAIT_MS = 20_000;
const POLL_MS = 50;

let sessions = 0;

/**
 * A terminal program driven headless: tmux runs it in a detached session of a given size,
 * the test types with `sendKeys` and reads the screen with `screen`. Each session has its
 * own tmux server (`-S <dir>/tmux.sock`, no user config), so `kill` stops only what this
 * test started and never touches a tmux the developer is using.
 */
export class TmuxSession {
  private constructor(
    private readonly socket: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly name: string,
  ) {}

  static async start(options: TmuxSessionOptions): Promise<TmuxSession> {
    const { width, height } = { ...DEFAULTS, ...options };
    sessions += 1;
    const session = new TmuxSession(
      join(options.dir, 'tmux.sock'),
      // Inside a developer's tmux, $TMUX would make this look like a nested session.
      { ...options.env, TMUX: undefined },
      `test-${String(process.pid)}-${String(sessions)}`,
    );
    await session.tmux([
      'new-session',
      '-d',
      '-s',
      session.name,
      '-x',
      String(width),
      '-y',
      String(height),
      options.command,
    ]);
    return session;
  }

  /** The visible screen as text, one string per row. */
  async screen(): Promise<string> {
    return this.tmux(['capture-pane', '-p', '-t', this.name]);
  }

  /** Keys in tmux's names (`Enter`, `Down`, `q`): each is one keystroke. */
  async sendKeys(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  /** Resolves with the screen once it satisfies `ready`; throws with the last screen if it never does. */
  async waitForScreen(ready: (screen: string) => boolean, what: string): Promise<string> {
    const deadline = Date.now() + WAIT_MS;
    let last = '';
    for (;;) {
      if (!(await this.running())) throw new Error(`waiting for ${what}: the program exited. Last screen:\n${last}`);
      last = await this.screen();
      if (ready(last)) return last;
      if (Date.now() > deadline) throw new Error(`waiting for ${what}: timed out. Last screen:\n${last}`);
      await pause(POLL_MS);
    }
  }

  /** Resolves once the program has exited (the session, and its tmux server, are gone). */
  async waitForExit(): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (await this.running()) {
      if (Date.now() > deadline) throw new Error(`waiting for ${this.name} to exit: timed out`);
      await pause(POLL_MS);
    }
  }

  async running(): Promise<boolean> {
    try {
      await this.tmux(['has-session', '-t', this.name]);
      return true;
    } catch {
      return false;
    }
  }

  /** Stops this session's private tmux server and the program in it; harmless if already gone. */
  async kill(): Promise<void> {
    try {
      await this.tmux(['kill-server']);
    } catch {
      // Already exited: nothing left to stop.
    }
  }

  private tmux(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        'tmux',
        ['-S', this.socket, '-f', '/dev/null', ...args],
        { env: this.env, timeout: 10_000 },
        (error, stdout, stderr) => {
          if (error === null) resolve(stdout);
          else reject(new Error(`tmux ${args[0] ?? ''} failed: ${stderr || error.message}`, { cause: error }));
        },
      );
    });
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
