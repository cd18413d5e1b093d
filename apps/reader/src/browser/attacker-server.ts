import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AttackerServer {
  /** http://127.0.0.1:<port>: the origin the hostile feed's payloads call home to. */
  origin: string;
  /** Every request it received, "METHOD /path?query", in order. */
  hits: string[];
  /** Serves `html` at `path` with no CSP at all: the control page that shows the payloads are live. */
  page(path: string, html: string): void;
  close(): Promise<void>;
}

/**
 * The attacker's site, on loopback. It answers everything (a script, a stylesheet, a frame,
 * a form post) with an empty 200 and writes each request down: a hit means markup from the
 * feed reached the network, whether or not it went on to run.
 */
export async function startAttackerServer(): Promise<AttackerServer> {
  const hits: string[] = [];
  const pages = new Map<string, string>();
  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    const html = pages.get(new URL(url, 'http://attacker').pathname);
    if (html !== undefined) {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    hits.push(`${request.method ?? 'GET'} ${url}`);
    response.writeHead(200, { 'Content-Type': 'text/plain', 'Access-Control-Allow-Origin': '*' }).end('');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${String(port)}`,
    hits,
    page: (path, html) => pages.set(path, html),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
