import type { ServerResponse } from 'node:http';
import { fixture } from '../test-support/fixture-feed-server.js';

/** A fixture file with its {{NAME}} placeholders filled (ports are only known at run time). */
export function renderFixture(name: string, values: Readonly<Record<string, string>>): string {
  return fixture(name)
    .toString('utf8')
    .replace(/\{\{([A-Z_]+)\}\}/gu, (placeholder, key: string) => {
      const value = values[key];
      if (value === undefined) throw new Error(`${name}: no value for ${placeholder}`);
      return value;
    });
}

/** A fixture-server handler that serves a rendered fixture. */
export function serveRendered(body: string, contentType: string) {
  return (_request: unknown, response: ServerResponse) => {
    response.writeHead(200, { 'Content-Type': contentType }).end(body);
  };
}
