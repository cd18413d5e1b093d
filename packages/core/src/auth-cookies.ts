import type { BrowserMode } from './config.js';
import { cookieNames, expireCookie, serializeCookie, type CookieNames } from './cookies.js';
import type { SessionManager } from './sessions.js';
import type { SessionRecord } from './stores/types.js';

export interface TokenCookiesInput {
  /** jwt-cookie mode only: memory-token keeps the access token out of cookies altogether. */
  accessToken?: { token: string; maxAgeSeconds: number };
  refreshToken: string;
  /** undefined: a cookie that ends with the browser. */
  refreshMaxAgeSeconds: number | undefined;
  /** jwt-cookie mode: the CSRF secret bound to the token family. */
  csrfSecret?: string;
}

/** The Set-Cookie values for each change of sign-in state, in every browser mode. */
export class AuthCookies {
  readonly names: CookieNames;
  /** The refresh cookie travels only to the refresh endpoint, never with ordinary requests. */
  readonly refreshPath: string;
  private readonly refreshSameSite: 'strict' | 'none';

  constructor(
    private readonly secure: boolean,
    private readonly sessions: SessionManager,
    browserMode: BrowserMode,
    authBasePath: string,
  ) {
    this.names = cookieNames(secure);
    this.refreshPath = `${authBasePath}/refresh`;
    // jwt-cookie: only our own pages ever call refresh, so Strict. memory-token: the SPA is on
    // another site, and a cross-site fetch carries only SameSite=None cookies.
    this.refreshSameSite = browserMode === 'memory-token' ? 'none' : 'strict';
  }

  /** After sign-in: the new session, and the CSRF cookie rotated to the session's secret. */
  signedIn(token: string, session: SessionRecord): string[] {
    return [
      serializeCookie(this.names.session, token, {
        secure: this.secure,
        maxAgeSeconds: this.sessions.cookieMaxAgeSeconds(session),
      }),
      this.csrf(session.csrfSecret),
    ];
  }

  /** After a token sign-in or refresh in a browser mode. */
  tokensIssued(input: TokenCookiesInput): string[] {
    const cookies = [
      serializeCookie(this.names.refresh, input.refreshToken, {
        ...this.refreshAttributes(),
        maxAgeSeconds: input.refreshMaxAgeSeconds,
      }),
    ];
    if (input.accessToken !== undefined) {
      cookies.push(
        serializeCookie(this.names.access, input.accessToken.token, {
          secure: this.secure,
          maxAgeSeconds: input.accessToken.maxAgeSeconds,
        }),
      );
    }
    if (input.csrfSecret !== undefined) cookies.push(this.csrf(input.csrfSecret));
    return cookies;
  }

  /**
   * After sign-out: every credential cookie deleted (same name, path and attributes as when
   * set, or the browser would keep it), and a fresh anonymous CSRF secret.
   */
  signedOut(anonymousCsrfSecret: string): string[] {
    return [
      expireCookie(this.names.session, { secure: this.secure }),
      expireCookie(this.names.access, { secure: this.secure }),
      expireCookie(this.names.refresh, this.refreshAttributes()),
      this.csrf(anonymousCsrfSecret),
    ];
  }

  /** Readable by script on purpose: an SDK may send it back as the X-CSRF-Token header. */
  csrf(secret: string): string {
    return serializeCookie(this.names.csrf, secret, { secure: this.secure, scriptReadable: true });
  }

  private refreshAttributes() {
    return { secure: this.secure, path: this.refreshPath, sameSite: this.refreshSameSite };
  }
}
