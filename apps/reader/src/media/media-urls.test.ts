import { describe, expect, it } from 'vitest';
import { MediaUrlSigner } from './media-url-signer.js';
import { MediaUrls } from './media-urls.js';

const ORIGIN = 'https://reader.example';
const signer = new MediaUrlSigner('media-urls-test-secret');
const urlsIn = (mode: 'http-only' | 'all' | 'none') => new MediaUrls(mode, signer, ORIGIN);
const proxied = (url: string) => {
  const { signature, encodedUrl } = signer.sign(url);
  return `${ORIGIN}/api/media/${signature}/${encodedUrl}`;
};

const HTTP = 'http://cdn.example/a.png?x=1';
const HTTPS = 'https://cdn.example/b.png';

describe('MediaUrls', () => {
  it('http-only (the default): proxies http images only, on the public origin', () => {
    const urls = urlsIn('http-only');
    expect(urls.forBrowser(HTTP)).toBe(proxied(HTTP));
    expect(urls.forBrowser(HTTPS)).toBe(HTTPS);
    expect(urls.forApps(HTTP)).toBe(proxied(HTTP));
    expect(urls.forApps(HTTPS)).toBe(HTTPS);
  });

  it('all: proxies every image, so the publisher never sees a reader', () => {
    const urls = urlsIn('all');
    expect(urls.forBrowser(HTTP)).toBe(proxied(HTTP));
    expect(urls.forBrowser(HTTPS)).toBe(proxied(HTTPS));
    expect(urls.forApps(HTTPS)).toBe(proxied(HTTPS));
  });

  it('none: upgrades http images for the browser (its CSP), leaves them to apps', () => {
    for (const urls of [urlsIn('none'), MediaUrls.off()]) {
      expect(urls.forBrowser(HTTP)).toBe('https://cdn.example/a.png?x=1');
      expect(urls.forBrowser(HTTPS)).toBe(HTTPS);
      expect(urls.forApps(HTTP)).toBe(HTTP);
    }
  });

  it('turns nothing but absolute http(s) URLs into an image to load', () => {
    const urls = urlsIn('all');
    for (const url of [
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      'file:///etc/passwd',
      '/relative.png',
      '',
    ]) {
      expect(urls.forBrowser(url), url).toBeUndefined();
      expect(urls.forApps(url), url).toBeUndefined();
    }
  });

  it('signs the URL the server can verify, and that one only', () => {
    const url = new URL(urlsIn('all').forBrowser(HTTP) ?? '');
    const [, , , signature = '', encodedUrl = ''] = url.pathname.split('/');
    expect(signer.verify({ signature, encodedUrl })).toBe(HTTP);
    expect(new MediaUrlSigner('another-secret').verify({ signature, encodedUrl })).toBeUndefined();
  });

  it('needs a signer for every mode that proxies', () => {
    expect(() => new MediaUrls('http-only', undefined, ORIGIN)).toThrow(TypeError);
    expect(() => new MediaUrls('all', undefined, ORIGIN)).toThrow(TypeError);
  });
});
