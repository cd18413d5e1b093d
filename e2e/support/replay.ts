import { fetch } from 'undici';
import type { AppServerInfo } from './app-servers.js';
import { ACCESS_COOKIE, REFRESH_COOKIE, SESSION_COOKIE } from './modes.js';

/**
 * Every string in `value` (recursively) that could be a credential: whole strings, and the
 * pieces of cookie strings, headers and JSON bodies, 16+ characters of token alphabet.
 */
export function credentialCandidates(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (item: unknown) => {
    if (typeof item === 'string') {
      if (item.length >= 16 && item.length <= 4096 && !/\s/.test(item)) found.add(item);
      for (const piece of item.split(/[\s"';,=&<>(){}[\]\\:]+/)) {
        if (piece.length >= 16 && /^[A-Za-z0-9._~+/-]+$/.test(piece)) found.add(piece);
      }
      // A body may itself be JSON with tokens inside.
      if (item.startsWith('{') || item.startsWith('[')) {
        try {
          visit(JSON.parse(item));
        } catch {
          // not JSON
        }
      }
    } else if (Array.isArray(item)) {
      item.forEach(visit);
    } else if (item !== null && typeof item === 'object') {
      Object.entries(item).forEach(([key, entry]) => {
        visit(key);
        visit(entry);
      });
    }
  };
  visit(value);
  return [...found];
}

export interface ReplayResult {
  candidate: string;
  how: string;
  status: number;
}

/**
 * Replays each candidate from a clean client (no browser, no jar) every way a credential is
 * accepted: as each credential cookie, as a Bearer token, as a refresh token in a cookie and
 * in a body. Origin is set to the app's own, which a non-browser attacker can always forge.
 * Returns the replays that were accepted.
 */
export async function replayAccepted(server: AppServerInfo, candidates: readonly string[]): Promise<ReplayResult[]> {
  const accepted: ReplayResult[] = [];
  const base = { Origin: server.origin, 'User-Agent': 'attacker/1.0' };
  for (const candidate of candidates) {
    const attempts: [string, string, string, Record<string, string>, string?][] = [
      ['cookie', 'GET', '/api/auth/me', { Cookie: `${SESSION_COOKIE}=${candidate}; ${ACCESS_COOKIE}=${candidate}` }],
      ['bearer', 'GET', '/api/auth/me', { Authorization: `Bearer ${candidate}` }],
      ['refresh-cookie', 'POST', '/api/auth/refresh', { Cookie: `${REFRESH_COOKIE}=${candidate}` }],
      [
        'refresh-body',
        'POST',
        '/api/auth/refresh',
        { 'Content-Type': 'application/json' },
        JSON.stringify({ refresh_token: candidate }),
      ],
    ];
    for (const [how, method, path, headers, body] of attempts) {
      if (!isByteString(candidate)) continue;
      const response = await fetch(`${server.origin}${path}`, {
        method,
        headers: { ...base, ...headers },
        ...(body === undefined ? {} : { body }),
      });
      await response.body?.cancel();
      if (response.ok) accepted.push({ candidate, how, status: response.status });
    }
  }
  return accepted;
}

/** Replays a whole Cookie header as the browser would have sent it. */
export async function replayCookieHeader(server: AppServerInfo, cookieHeader: string): Promise<number> {
  if (cookieHeader === '' || !isByteString(cookieHeader)) return 0;
  const response = await fetch(`${server.origin}/api/auth/me`, { headers: { Cookie: cookieHeader } });
  await response.body?.cancel();
  return response.status;
}

function isByteString(value: string): boolean {
  return /^[\x21-\x7e]*$/.test(value.replace(/[ ;=]/g, ''));
}
