import { cookieNames, expireCookie, serializeCookie, type CookieNames } from './cookies.js';
import type { SessionManager } from './sessions.js';
import type { SessionRecord } from './stores/types.js';

/** The Set-Cookie values for each change of sign-in state. */
export class AuthCookies {
  readonly names: CookieNames;

  constructor(
    private readonly secure: boolean,
    private readonly sessions: SessionManager,
  ) {
    this.names = cookieNames(secure);
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

  /** After sign-out: the session cookie deleted, and a fresh anonymous CSRF secret. */
  signedOut(anonymousCsrfSecret: string): string[] {
    return [expireCookie(this.names.session, { secure: this.secure }), this.csrf(anonymousCsrfSecret)];
  }

  /** Readable by script on purpose: an SDK may send it back as the X-CSRF-Token header. */
  csrf(secret: string): string {
    return serializeCookie(this.names.csrf, secret, { secure: this.secure, scriptReadable: true });
  }
}
