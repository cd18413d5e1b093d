import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A third-party site (an analytics pixel, a link in the page) that writes down every request
 * it receives with its headers: what a tracker or an attacker-controlled image host would
 * learn from the app's pages, Referer included. https://127.0.0.1:<port>, another site than
 * the app at localhost. HTTPS because the reader's CSP lets pages load images from https:
 * sites only (article images): an http:// pixel would be blocked before any Referer could
 * be sent, and prove nothing. Its certificate is self-signed: open the page in a context
 * with `ignoreHTTPSErrors`.
 */
export interface ThirdPartySite {
  origin: string;
  /** Every request so far, oldest first. */
  requests(): SeenRequest[];
  close(): Promise<void>;
}

export interface SeenRequest {
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
}

// The smallest transparent GIF, so an <img> loads for real.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export async function startThirdPartySite(): Promise<ThirdPartySite> {
  const seen: SeenRequest[] = [];
  const server = createServer(selfSignedCertificate(), (request, response) => {
    seen.push({ url: request.url ?? '/', headers: request.headers });
    request.resume();
    if ((request.url ?? '').startsWith('/pixel')) {
      response.writeHead(200, { 'Content-Type': 'image/gif', 'Cache-Control': 'no-store' }).end(PIXEL);
      return;
    }
    response
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      .end('<!doctype html><title>elsewhere</title><p>another site</p>');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${String(port)}`,
    requests: () => [...seen],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A throwaway certificate for 127.0.0.1, made by openssl (Debian's, as CI's image has it). */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const directory = mkdtempSync(join(tmpdir(), 'gh-e2e-tls-'));
  try {
    const key = join(directory, 'key.pem');
    const cert = join(directory, 'cert.pem');
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
        ...['-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1'],
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
