import { execFile } from 'node:child_process';
import type { NewsboatProfile } from './newsboat-profile.js';

/** The real client under test (Debian's `newsboat` package; CI installs it). */
export const NEWSBOAT = 'newsboat';

export interface RunResult {
  exitCode: number;
  /** stdout then stderr: what a user running the command would have seen. */
  output: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error === null) {
        resolve({ exitCode: 0, output });
      } else if (typeof error.code === 'number') {
        resolve({ exitCode: error.code, output });
      } else {
        // Not started (ENOENT) or killed by the timeout: no exit code to report.
        reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${output}`, { cause: error }));
      }
    });
  });
}

/**
 * Runs `file versionArgs…` and returns the first line it printed, or throws with how to
 * install it. The sync tests must fail, never skip, on a machine without the client: a
 * skipped proof reads as a passing one.
 */
export async function requireProgram(file: string, versionArgs: string[], installHint: string): Promise<string> {
  try {
    const { output } = await run(file, versionArgs, process.env, 10_000);
    return output.split('\n')[0] ?? '';
  } catch (error) {
    throw new Error(`${file} is required by this test and could not be run: ${installHint}`, { cause: error });
  }
}

/**
 * `newsboat -x reload`: logs in, lists the subscriptions and fetches every feed into the
 * cache, without a terminal. Exits non-zero when the login fails.
 */
export function reloadHeadless(profile: NewsboatProfile): Promise<RunResult> {
  return run(NEWSBOAT, [...profile.args, '-x', 'reload'], profile.env, 30_000);
}

/** The shell command that starts newsboat's TUI on this profile (for a terminal multiplexer). */
export function tuiCommand(profile: NewsboatProfile): string {
  return [NEWSBOAT, ...profile.args].map(shellQuoted).join(' ');
}

function shellQuoted(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
