/** When a token is handed over: its value and, in this page's clock, when to renew it. */
export interface AccessTokenGrant {
  token: string;
  /** Epoch ms after which the server refuses it. */
  expiresAt: number;
  /** Epoch ms from which to renew it: a little before expiry, so no request races the end. */
  refreshAt: number;
}

/** Renew a minute before expiry, or after four fifths of a short lifetime. */
const MAX_REFRESH_MARGIN_MS = 60_000;

export function grantFromExpiresIn(token: string, expiresInSeconds: number, now: number): AccessTokenGrant {
  const lifetime = Math.max(0, expiresInSeconds) * 1000;
  return {
    token,
    expiresAt: now + lifetime,
    refreshAt: now + lifetime - Math.min(MAX_REFRESH_MARGIN_MS, lifetime / 5),
  };
}

/**
 * The memory-token access token. It lives in this closure only: never in web storage,
 * IndexedDB, a cookie or a global, so script injected later finds nothing to carry away.
 * `version` changes with every new credential (this tab's or another tab's), which is how a
 * caller that saw a 401 knows whether someone has already renewed it.
 */
export function createAccessTokenHolder() {
  let grant: AccessTokenGrant | undefined;
  let version = 0;
  return {
    get token(): string | undefined {
      return grant?.token;
    },
    get version(): number {
      return version;
    },
    /** Due when there is none yet (a page load) or its renewal time has come. */
    isDue(now: number): boolean {
      return grant === undefined || now >= grant.refreshAt;
    },
    msUntilDue(now: number): number | undefined {
      return grant === undefined ? undefined : Math.max(0, grant.refreshAt - now);
    },
    /** A new credential arrived; the grant is absent in the cookie modes (the token is a cookie there). */
    replace(next: AccessTokenGrant | undefined): void {
      grant = next;
      version += 1;
    },
    clear(): void {
      grant = undefined;
    },
  };
}

export type AccessTokenHolder = ReturnType<typeof createAccessTokenHolder>;
