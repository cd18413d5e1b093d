import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { announce } from '../servers/server-stats.js';
import { rssFeed } from './feed-fixtures.js';

/**
 * The feeds the poll benchmark fetches, served from their own process on 127.0.0.1:
 * /feeds/<n>.xml is feed n, ITEMS_PER_FEED items, generated once and then served from memory.
 */
export const ITEMS_PER_FEED = 3;
const BYTES_PER_ITEM = 800;
const documents = new Map<string, Buffer>();

const server = createServer((request, response) => {
  const match = /^\/feeds\/(\d+)\.xml$/.exec(request.url ?? '');
  if (match?.[1] === undefined) {
    response.writeHead(404).end();
    return;
  }
  let body = documents.get(match[1]);
  if (body === undefined) {
    body = Buffer.from(rssFeed(Number(match[1]), ITEMS_PER_FEED, BYTES_PER_ITEM));
    documents.set(match[1], body);
  }
  response.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', 'Content-Length': body.length });
  response.end(body);
});
server.listen(0, '127.0.0.1', () => {
  announce({ ready: true, port: (server.address() as AddressInfo).port });
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
