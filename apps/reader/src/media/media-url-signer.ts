import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

// The info string keeps this key apart from every other key derived from GATEHOUSE_SECRET
// (a MAC made here is never valid as a session token, an app-password token, …). Changing
// either string invalidates every proxied URL already handed out.
const HKDF_SALT = 'gatehouse/media-proxy';
const HKDF_INFO = 'gatehouse media-proxy url signature v1';
const KEY_BYTES = 32;
const MAC_BYTES = 32; // all of HMAC-SHA256: nothing is gained by shortening it
const BASE64URL = /^[A-Za-z0-9_-]+$/u;
/** An encoded URL longer than this is refused before any MAC is computed (8 KiB URLs, encoded). */
export const MAX_ENCODED_URL_LENGTH = 11_000;

/** The two path segments of a proxied URL: `<mac>/<url>`, both base64url. */
export interface SignedMediaPath {
  signature: string;
  encodedUrl: string;
}

/**
 * Signs image URLs so that the media proxy fetches only what this server put in a page: a
 * proxy that fetched any URL it was given would be an open proxy (and an SSRF oracle) for
 * anyone. The MAC covers the URL alone, not a user: an image in a feed is public, so one
 * user's proxied URL works for another, or for a sync app that sends no cookie — the URL is
 * the capability, as in Miniflux. Forging one needs GATEHOUSE_SECRET.
 */
export class MediaUrlSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length === 0) throw new TypeError('GATEHOUSE_SECRET must not be empty');
    this.key = Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, HKDF_INFO, KEY_BYTES));
  }

  sign(url: string): SignedMediaPath {
    return {
      signature: this.mac(url).toString('base64url'),
      encodedUrl: Buffer.from(url, 'utf8').toString('base64url'),
    };
  }

  /**
   * The URL a proxied path names, or undefined when the MAC is missing, malformed or not
   * ours. Node's base64url decoder skips characters it does not know, so both segments are
   * checked to be canonical first: one URL has exactly one proxied path.
   */
  verify({ signature, encodedUrl }: SignedMediaPath): string | undefined {
    if (encodedUrl.length > MAX_ENCODED_URL_LENGTH || !BASE64URL.test(encodedUrl) || !BASE64URL.test(signature)) {
      return undefined;
    }
    const given = Buffer.from(signature, 'base64url');
    const urlBytes = Buffer.from(encodedUrl, 'base64url');
    if (given.length !== MAC_BYTES || given.toString('base64url') !== signature) return undefined;
    if (urlBytes.toString('base64url') !== encodedUrl) return undefined;
    const url = urlBytes.toString('utf8');
    // Constant time: a MAC compared byte by byte leaks how much of a forgery was right.
    return timingSafeEqual(given, this.mac(url)) ? url : undefined;
  }

  private mac(url: string): Buffer {
    return createHmac('sha256', this.key).update(url, 'utf8').digest();
  }
}
