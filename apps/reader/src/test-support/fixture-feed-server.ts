import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const FIXTURES = fileURLToPath(new URL('../../test-fixtures/', import.meta.url));

export function fixture(name: string): Buffer {
  return readFileSync(`${FIXTURES}${name}`);
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface FixtureFeedServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** "127.0.0.1:<port>": what READER_FETCH_ALLOW_HOSTS must list for the reader to fetch here. */
  host: string;
  url(path: string): string;
  /** Requests seen per path, with their headers: to check conditional requests and "one fetch for all". */
  requests(path: string): IncomingMessage['headers'][];
  /** Replaces (or adds) what a path serves. */
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

/** Serves a fixture file with a content type, an ETag and a Last-Modified; answers 304 to a match. */
export function serveFile(name: string, contentType: string, etag = `"${name}-v1"`): Handler {
  return (request, response) => {
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { ETag: etag }).end();
      return;
    }
    response
      .writeHead(200, {
        'Content-Type': contentType,
        ETag: etag,
        'Last-Modified': 'Mon, 01 Jan 2024 00:00:00 GMT',
      })
      .end(fixture(name));
  };
}

export function redirectTo(location: string, status = 302): Handler {
  return (_request, response) => {
    response.writeHead(status, { Location: location }).end();
  };
}

/**
 * A local feed server on 127.0.0.1 (port 0) with every case the reader must handle: the
 * four formats, broken XML, legacy encodings, relative links, a huge and a slow feed,
 * redirects (one to a refused address), 304, 429, a site page with autodiscovery.
 */
export async function startFixtureFeedServer(): Promise<FixtureFeedServer> {
  const routes = new Map<string, Handler>();
  const seen = new Map<string, IncomingMessage['headers'][]>();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://fixture').pathname;
    seen.set(path, [...(seen.get(path) ?? []), request.headers]);
    const handler = routes.get(path);
    if (handler === undefined) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${String(port)}`;

  routes.set('/rss2.xml', serveFile('rss2.xml', 'application/rss+xml; charset=utf-8'));
  routes.set('/rss1.rdf', serveFile('rss1.rdf', 'application/rdf+xml'));
  routes.set('/atom.xml', serveFile('atom.xml', 'application/atom+xml'));
  routes.set('/feed.json', serveFile('feed.json', 'application/feed+json'));
  routes.set('/broken.xml', serveFile('broken.xml', 'application/rss+xml'));
  routes.set('/gb2312.xml', serveFile('gb2312.xml', 'text/xml; charset=gb2312'));
  // No charset in the header: only the XML declaration says windows-1252.
  routes.set('/windows-1252.xml', serveFile('windows-1252.xml', 'application/xml'));
  routes.set('/relative-links.xml', serveFile('relative-links.xml', 'application/atom+xml'));
  routes.set('/relative-rss.xml', serveFile('relative-rss.xml', 'application/rss+xml'));
  routes.set('/hostile.xml', serveFile('hostile.xml', 'application/rss+xml'));
  routes.set('/site.html', serveFile('site.html', 'text/html; charset=utf-8'));
  routes.set('/site-without-feed.html', serveFile('site-without-feed.html', 'text/html'));
  routes.set('/gzip.xml', (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Encoding': 'gzip' });
    response.end(gzipSync(fixture('rss2.xml')));
  });
  // Bigger than any test limit, sent in chunks without a Content-Length.
  routes.set('/huge.xml', (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/rss+xml' });
    const chunk = Buffer.alloc(64 * 1024, ' ');
    response.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>');
    let sent = 0;
    const pump = () => {
      while (sent < 200 && !response.destroyed) {
        sent += 1;
        if (!response.write(chunk)) {
          response.once('drain', pump);
          return;
        }
      }
      if (!response.destroyed) response.end('</channel></rss>');
    };
    pump();
  });
  // A gzip bomb: small on the wire, far over the limit once inflated.
  routes.set('/gzip-bomb.xml', (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Encoding': 'gzip' });
    response.end(gzipSync(Buffer.alloc(20 * 1024 * 1024, ' ')));
  });
  // Headers come, the body never does.
  routes.set('/slow.xml', (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/rss+xml' });
    response.write('<?xml version="1.0"?>');
  });
  routes.set('/redirect-to-rss', redirectTo('/rss2.xml', 301));
  routes.set('/redirect-to-metadata', redirectTo('http://169.254.169.254/latest/meta-data/'));
  routes.set('/redirect-to-loopback-port', redirectTo('http://127.0.0.1:1/feed.xml'));
  routes.set('/redirect-loop', redirectTo('/redirect-loop'));
  routes.set('/rate-limited.xml', (_request, response) => {
    response.writeHead(429, { 'Retry-After': '7200' }).end();
  });
  routes.set('/unavailable.xml', (_request, response) => {
    response.writeHead(503, { 'Content-Type': 'text/plain' }).end('down');
  });

  return {
    origin,
    host: `127.0.0.1:${String(port)}`,
    url: (path) => `${origin}${path}`,
    requests: (path) => seen.get(path) ?? [],
    route: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
