/**
 * Passive content an app may load from elsewhere (a feed reader shows other sites' images).
 * Scripts, styles and connections stay same-origin whatever is given here.
 */
export interface ContentSources {
  img?: readonly string[];
  media?: readonly string[];
  frame?: readonly string[];
}

const SOURCE = /^(?:https?:|https:\/\/[a-z0-9.-]+(?::\d+)?)$/i;

/**
 * Headers for every response, built once. The CSP allows scripts and styles from our own
 * origin only: no inline script, no eval, so an injected <script> or onerror= does not run
 * even where an escape was missed. Framing is refused (clickjacking), the opener is cut
 * (cross-window attacks), and referrers never leave our origin.
 */
export function securityHeaders(options: {
  production: boolean;
  contentSources?: ContentSources;
}): Readonly<Record<string, string>> {
  const extra = (kind: keyof ContentSources) => {
    const sources = options.contentSources?.[kind] ?? [];
    for (const source of sources) {
      // Only schemes and https origins: a keyword such as 'unsafe-inline' never gets in this way.
      if (!SOURCE.test(source)) throw new Error(`content source "${source}" is not a scheme or an https origin`);
    }
    return sources.map((source) => ` ${source}`).join('');
  };
  const headers: Record<string, string> = {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      `img-src 'self' data:${extra('img')}`,
      `media-src 'self'${extra('media')}`,
      `frame-src 'self'${extra('frame')}`,
      "connect-src 'self'",
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
  if (options.production) {
    // Two years, as hstspreload.org asks; only ever sent in production, where we are HTTPS.
    headers['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains';
  }
  return headers;
}

/** Auth responses carry credentials or facts about them: no cache may keep a copy. */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
};
