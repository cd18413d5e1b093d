import { describe, expect, it } from 'vitest';
import { securityHeaders } from './security-headers.js';

function directive(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const csp = headers['Content-Security-Policy'] ?? '';
  const found = csp.split(';').find((part) => part.trim().startsWith(`${name} `));
  return found?.trim().slice(name.length + 1);
}

describe('content sources', () => {
  it('adds other origins for images, media and frames only', () => {
    const headers = securityHeaders({
      production: false,
      contentSources: { img: ['https:'], media: ['https:'], frame: ['https://www.youtube-nocookie.com'] },
    });
    expect(directive(headers, 'img-src')).toBe("'self' data: https:");
    expect(directive(headers, 'media-src')).toBe("'self' https:");
    expect(directive(headers, 'frame-src')).toBe("'self' https://www.youtube-nocookie.com");
    expect(directive(headers, 'script-src')).toBe("'self'");
    expect(directive(headers, 'connect-src')).toBe("'self'");
  });

  it('defaults to same-origin only', () => {
    const headers = securityHeaders({ production: false });
    expect(directive(headers, 'img-src')).toBe("'self' data:");
    expect(directive(headers, 'frame-src')).toBe("'self'");
  });

  it('refuses keywords, wildcards and anything that is not a scheme or an https origin', () => {
    for (const source of [
      "'unsafe-inline'",
      '*',
      'data:',
      'http://plain.example',
      "https: 'unsafe-eval'",
      'javascript:',
    ]) {
      expect(() => securityHeaders({ production: false, contentSources: { img: [source] } })).toThrow(/content source/);
    }
  });
});
