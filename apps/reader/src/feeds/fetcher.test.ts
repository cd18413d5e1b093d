import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redirectTo, startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { FetchError } from './fetch-error.js';
import { FeedFetcher, type FetchResult } from './fetcher.js';
import type { Resolver } from './guarded-lookup.js';

let fixtures: FixtureFeedServer;
let fetcher: FeedFetcher;
const fetchers: FeedFetcher[] = [];

/** A fake DNS: names the tests invent, resolving where an attacker would point them. */
const FAKE_DNS: Record<string, LookupAddress[]> = {
  'loopback-name.test': [{ address: '127.0.0.1', family: 4 }],
  'metadata-name.test': [{ address: '169.254.169.254', family: 4 }],
  'mapped-name.test': [{ address: '::ffff:10.0.0.1', family: 6 }],
  // DNS rebinding: one public record and one private one in the same answer.
  'rebind.test': [
    { address: '93.184.215.14', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ],
  'allowed-name.test': [{ address: '127.0.0.1', family: 4 }],
};
const fakeResolver: Resolver = (hostname, _family, callback) => {
  const addresses = FAKE_DNS[hostname];
  if (addresses === undefined) callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);
  else callback(null, addresses);
};

function makeFetcher(policy: ConstructorParameters<typeof FeedFetcher>[0] = {}): FeedFetcher {
  const created = new FeedFetcher(policy, fakeResolver);
  fetchers.push(created);
  return created;
}

async function fetchError(promise: Promise<FetchResult>): Promise<FetchError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  fetcher = makeFetcher({ allowHosts: [fixtures.host], timeoutMs: 2000, maxBytes: 256 * 1024 });
});

afterAll(async () => {
  await Promise.all(fetchers.map((created) => created.close()));
  await fixtures.close();
});

describe('FeedFetcher', () => {
  it('fetches a document with its validators and announces itself', async () => {
    const result = await fetcher.fetch({ url: fixtures.url('/rss2.xml') });
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(Buffer.from(result.body).toString('utf8')).toContain('Fixture RSS');
    expect(result.etag).toBe('"rss2.xml-v1"');
    expect(result.lastModified).toBe('Mon, 01 Jan 2024 00:00:00 GMT');
    const sent = fixtures.requests('/rss2.xml').at(-1);
    expect(sent?.['user-agent']).toContain('GatehouseReader');
  });

  it('sends If-None-Match and If-Modified-Since, and reports 304 as not modified', async () => {
    const result = await fetcher.fetch({
      url: fixtures.url('/atom.xml'),
      etag: '"atom.xml-v1"',
      lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT',
    });
    expect(result.status).toBe('not_modified');
    const sent = fixtures.requests('/atom.xml').at(-1);
    expect(sent?.['if-none-match']).toBe('"atom.xml-v1"');
    expect(sent?.['if-modified-since']).toBe('Mon, 01 Jan 2024 00:00:00 GMT');
  });

  it('decompresses gzip', async () => {
    const result = await fetcher.fetch({ url: fixtures.url('/gzip.xml') });
    expect(result.status === 'ok' && Buffer.from(result.body).toString('utf8')).toContain('Fixture RSS');
  });

  it('follows redirects and reports the final address', async () => {
    const result = await fetcher.fetch({ url: fixtures.url('/redirect-to-rss') });
    expect(result.url).toBe(fixtures.url('/rss2.xml'));
  });

  it('stops a body larger than the limit while it streams', async () => {
    const error = await fetchError(fetcher.fetch({ url: fixtures.url('/huge.xml') }));
    expect(error.kind).toBe('too_large');
    expect(error.message).toContain('256 KiB');
  });

  it('counts the limit after decompression (gzip bomb)', async () => {
    expect((await fetchError(fetcher.fetch({ url: fixtures.url('/gzip-bomb.xml') }))).kind).toBe('too_large');
  });

  it('gives up on a server slower than the deadline', async () => {
    const quick = makeFetcher({ allowHosts: [fixtures.host], timeoutMs: 300 });
    const error = await fetchError(quick.fetch({ url: fixtures.url('/slow.xml') }));
    expect(error.kind).toBe('timeout');
  });

  it('follows at most 5 redirects', async () => {
    expect((await fetchError(fetcher.fetch({ url: fixtures.url('/redirect-loop') }))).kind).toBe('too_many_redirects');
    // The first request plus five redirects, then it stopped.
    expect(fixtures.requests('/redirect-loop')).toHaveLength(6);
  });

  it('reads Retry-After of a 429', async () => {
    const error = await fetchError(fetcher.fetch({ url: fixtures.url('/rate-limited.xml') }));
    expect(error.kind).toBe('http_status');
    expect(error.details).toMatchObject({ status: 429, retryAfterMs: 7_200_000 });
  });

  it('reports other HTTP errors with their status', async () => {
    const error = await fetchError(fetcher.fetch({ url: fixtures.url('/missing.xml') }));
    expect(error.details.status).toBe(404);
    expect(error.message).toContain('404');
  });
});

describe('FeedFetcher SSRF guard', () => {
  it('refuses the loopback fixture server when it is not on the allow-list', async () => {
    const strict = makeFetcher();
    const error = await fetchError(strict.fetch({ url: fixtures.url('/rss2.xml') }));
    expect(error.kind).toBe('refused');
    expect(error.message).toContain('loopback');
    const before = fixtures.requests('/rss2.xml').length;
    await fetchError(strict.fetch({ url: fixtures.url('/rss2.xml') }));
    expect(fixtures.requests('/rss2.xml')).toHaveLength(before);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'link-local (cloud metadata)'],
    ['http://10.0.0.1/feed.xml', 'private'],
    ['http://192.168.0.1/feed.xml', 'private'],
    ['http://[::1]/feed.xml', 'loopback'],
    ['http://[::ffff:127.0.0.1]/feed.xml', 'loopback'],
    ['http://[fd00:ec2::254]/', 'private (unique local)'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://localhost/feed.xml', 'loopback'],
    ['http://localhost./feed.xml', 'loopback'],
    ['http://admin.localhost/feed.xml', 'loopback'],
  ])('refuses %s before connecting', async (url, reason) => {
    const error = await fetchError(makeFetcher().fetch({ url }));
    expect(error.kind).toBe('refused');
    expect(error.message).toContain(reason === 'loopback' && url.includes('localhost') ? 'loopback name' : reason);
  });

  it.each([
    ['http://loopback-name.test/', 'loopback'],
    ['http://metadata-name.test/', 'link-local (cloud metadata)'],
    ['http://mapped-name.test/', 'private'],
    ['http://rebind.test/', 'loopback'],
  ])('refuses %s, a name that resolves to a %s address, at connect time', async (url, reason) => {
    const error = await fetchError(makeFetcher().fetch({ url }));
    expect(error.kind).toBe('refused');
    expect(error.message).toContain(reason);
  });

  it('re-checks every redirect: a public feed redirecting to the metadata service is refused', async () => {
    const error = await fetchError(fetcher.fetch({ url: fixtures.url('/redirect-to-metadata') }));
    expect(error.kind).toBe('refused');
    expect(error.message).toContain('169.254.169.254');
  });

  it('allows only the listed port of an allow-listed host', async () => {
    const error = await fetchError(fetcher.fetch({ url: fixtures.url('/redirect-to-loopback-port') }));
    expect(error.kind).toBe('refused');
  });

  it('lets an allow-listed host name through the DNS check', async () => {
    const port = fixtures.host.split(':')[1] ?? '';
    const allowed = makeFetcher({ allowHosts: [`allowed-name.test:${port}`] });
    const result = await allowed.fetch({ url: `http://allowed-name.test:${port}/rss2.xml` });
    expect(result.status).toBe('ok');
  });

  it('a host-name allow entry with a port refuses another port, directly and through a redirect', async () => {
    // READER_FETCH_ALLOW_HOSTS=allowed-name.test:<fixture port> must not open the other
    // ports of that host: a second server on the same address plays an internal service.
    const internal = await startFixtureFeedServer();
    try {
      const port = fixtures.host.split(':')[1] ?? '';
      const otherPort = internal.host.split(':')[1] ?? '';
      const allowed = makeFetcher({ allowHosts: [`allowed-name.test:${port}`], timeoutMs: 2000 });
      const direct = await fetchError(allowed.fetch({ url: `http://allowed-name.test:${otherPort}/rss2.xml` }));
      expect(direct.kind).toBe('refused');

      fixtures.route('/redirect-to-other-port', redirectTo(`http://allowed-name.test:${otherPort}/rss2.xml`));
      const redirected = await fetchError(
        allowed.fetch({ url: `http://allowed-name.test:${port}/redirect-to-other-port` }),
      );
      expect(redirected.kind).toBe('refused');
      expect(fixtures.requests('/redirect-to-other-port')).toHaveLength(1);
      expect(internal.requests('/rss2.xml')).toHaveLength(0);
    } finally {
      await internal.close();
    }
  });

  it('marks what happens at allow-listed, refused or unresolvable destinations as non-public', async () => {
    const ok = await fetcher.fetch({ url: fixtures.url('/rss2.xml') });
    expect(ok.nonPublic).toBe(true);
    const failures = [
      () => fetcher.fetch({ url: fixtures.url('/missing.xml') }),
      () => fetcher.fetch({ url: fixtures.url('/redirect-to-metadata') }),
      () => makeFetcher().fetch({ url: 'http://10.0.0.1/feed.xml' }),
      () => makeFetcher().fetch({ url: 'http://loopback-name.test/' }),
      () => makeFetcher().fetch({ url: 'http://no-such-name.test/' }),
    ];
    for (const failure of failures) expect((await fetchError(failure())).details.nonPublic).toBe(true);
    // Decided from the URL's text alone: nothing about any destination.
    expect((await fetchError(makeFetcher().fetch({ url: 'ftp://x.example/' }))).details.nonPublic).toBeUndefined();
  });

  it.each([
    ['file:///etc/passwd', 'Only http and https'],
    ['ftp://example.com/feed', 'Only http and https'],
    ['gopher://example.com/', 'Only http and https'],
    ['http://user:secret@example.com/feed', 'user name or password'],
    ['not a url', 'not a valid URL'],
  ])('refuses %s', async (url, message) => {
    const error = await fetchError(makeFetcher().fetch({ url }));
    expect(error.kind).toBe('invalid_url');
    expect(error.message).toContain(message);
  });
});
