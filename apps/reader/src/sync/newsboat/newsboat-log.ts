import { readFile } from 'node:fs/promises';
import type { NewsboatProfile } from './newsboat-profile.js';

/**
 * The writes newsboat's feedhq backend reports in its debug log (`-l 6`): each POST's URL,
 * form body and the server's answer. For failure messages, so a broken sync says what was
 * sent and answered. The edit token is redacted; the login and Auth lines are left out.
 */
export async function feedhqWrites(profile: NewsboatProfile): Promise<string> {
  let log: string;
  try {
    log = await readFile(profile.logFile, 'utf8');
  } catch {
    return '(no newsboat log)';
  }
  const writes = log
    .split('\n')
    .filter((line) => line.includes('FeedHqApi::post_content'))
    .map((line) => line.replace(/([?&]T=)[^&\s]*/g, '$1…'));
  return writes.length === 0 ? '(newsboat sent no writes)' : writes.join('\n');
}
