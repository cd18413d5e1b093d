import type { MediaProxyMode } from './media-settings.js';
import type { MediaUrlSigner } from './media-url-signer.js';

/** Where the media proxy answers (mounted by routes/index.ts under /api). */
export const MEDIA_PATH = '/api/media';

/** An image URL from a feed → what a client should load instead; undefined: load nothing. */
export type ImageUrlRewrite = (url: string) => string | undefined;

/**
 * Decides, when an article is served (never when it is stored, so a change of mode applies
 * to old items too), what each image URL from a feed becomes under the server's mode:
 * a signed proxy URL, the URL itself, or its https: form. Proxy URLs are absolute, on the
 * public origin, like every link the server builds: what leaves the sanitizer is then
 * always an absolute http(s) URL, for the web app and for sync apps alike.
 */
export class MediaUrls {
  /**
   * For the web app's <img src> (the page's CSP allows 'self', the public origin). With the
   * proxy off (`none`), http images are asked for over https, as browsers do for mixed
   * content: the CSP allows https: images only.
   */
  readonly forBrowser: ImageUrlRewrite;
  /**
   * For sync apps (Google Reader, Fever): the same choice. Apps have no CSP, so with the
   * proxy off an http image stays http.
   */
  readonly forApps: ImageUrlRewrite;

  constructor(
    readonly mode: MediaProxyMode,
    /** undefined only with mode `none`: nothing is signed. */
    private readonly signer: MediaUrlSigner | undefined,
    /** The public origin, e.g. https://reader.example (PUBLIC_ORIGIN). */
    private readonly publicOrigin: string,
  ) {
    if (mode !== 'none' && signer === undefined) throw new TypeError(`media proxy mode ${mode} needs a signer`);
    this.forBrowser = (url) => this.rewrite(url, true);
    this.forApps = (url) => this.rewrite(url, false);
  }

  /** With the proxy off, and where no server secret is at hand (tests of other features). */
  static off(): MediaUrls {
    return new MediaUrls('none', undefined, '');
  }

  private rewrite(raw: string, upgradeWhenUnproxied: boolean): string | undefined {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return undefined;
    }
    // Anything but http(s) is dropped: a javascript: or data: URL must not become a
    // same-origin path that the sanitizer's scheme check would then let through.
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (this.proxies(url) && this.signer !== undefined) {
      const { signature, encodedUrl } = this.signer.sign(url.href);
      return `${this.publicOrigin}${MEDIA_PATH}/${signature}/${encodedUrl}`;
    }
    if (upgradeWhenUnproxied && url.protocol === 'http:') url.protocol = 'https:';
    return url.href;
  }

  private proxies(url: URL): boolean {
    if (this.mode === 'all') return true;
    return this.mode === 'http-only' && url.protocol === 'http:';
  }
}
