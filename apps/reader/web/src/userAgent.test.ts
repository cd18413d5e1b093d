import { describe, expect, it } from 'vitest';
import { describeDevice } from './userAgent';

const signedIn = (userAgent: string | null) => describeDevice({ userAgent, kind: 'session' });
const bearer = (userAgent: string | null) => describeDevice({ userAgent, kind: 'bearer' });

describe('describeDevice', () => {
  it.each([
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
      'Safari on iPhone',
    ],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0', 'Firefox on Windows'],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36',
      'Headless Chrome on Linux',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0',
      'Edge on Windows',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0',
      'Opera on Windows',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36',
      'Samsung Internet on Android',
    ],
    [
      'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0 Mobile/15E148 Safari/604.1',
      'Chrome on iPad',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/120.0 Mobile/15E148 Safari/605.1.15',
      'Firefox on iPhone',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
      'Safari on macOS',
    ],
    [
      'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      'Chrome on ChromeOS',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
      'Chrome on Android',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/120.0 Chrome/120.0.0.0 Safari/537.36',
      'Chromium on Linux',
    ],
  ])('names the browser and system of %s', (userAgent, label) => {
    expect(signedIn(userAgent)).toBe(label);
    expect(signedIn(`  ${userAgent} `)).toBe(label);
  });

  it('says "a browser" when only the system is known', () => {
    expect(signedIn('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Unheard/1.0')).toBe('A browser on Windows');
  });

  it('names an app by its product token, and never takes an HTTP library for a browser', () => {
    expect(bearer('curl/8.4.0')).toBe('An app (curl)');
    expect(bearer('Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A)')).toBe('An app (Dalvik)');
    expect(bearer('Mozilla/5.0 (compatible; Something)')).toBe('An app (Mozilla)');
    expect(bearer(null)).toBe('An app');
    expect(signedIn('NetNewsWire (RSS Reader; https://netnewswire.com/)')).toBe('NetNewsWire');
  });

  it('says "Unknown device" for a signed-in session with no user agent', () => {
    expect(signedIn(null)).toBe('Unknown device');
    expect(signedIn('   ')).toBe('Unknown device');
    expect(signedIn('(((')).toBe('Unknown device');
  });
});
