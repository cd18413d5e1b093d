/** Where the app's pages for each mailed link live. The token goes after `#token=`. */
export interface LinkPaths {
  verifyEmail: string;
  resetPassword: string;
  confirmEmailChange: string;
}

export const DEFAULT_LINK_PATHS: LinkPaths = {
  verifyEmail: '/verify-email',
  resetPassword: '/reset-password',
  confirmEmailChange: '/confirm-email',
};

/**
 * Links in mail are built from the configured public origin only, never from the request's
 * Host header: a forged Host would otherwise send the victim a link to the attacker's site
 * carrying a live token (reset-link poisoning). The token rides in the fragment, which
 * browsers never send to a server, never put in a Referer, and link scanners do not submit.
 */
export class MailLinks {
  constructor(
    private readonly publicOrigin: string,
    private readonly paths: LinkPaths = DEFAULT_LINK_PATHS,
  ) {}

  verifyEmail(token: string): string {
    return this.withToken(this.paths.verifyEmail, token);
  }

  resetPassword(token: string): string {
    return this.withToken(this.paths.resetPassword, token);
  }

  confirmEmailChange(token: string): string {
    return this.withToken(this.paths.confirmEmailChange, token);
  }

  /** The reset page without a token: where a notice sends someone who did not do it. */
  resetPage(): string {
    return `${this.publicOrigin}${this.paths.resetPassword}`;
  }

  get origin(): string {
    return this.publicOrigin;
  }

  private withToken(path: string, token: string): string {
    return `${this.publicOrigin}${path}#token=${encodeURIComponent(token)}`;
  }
}
