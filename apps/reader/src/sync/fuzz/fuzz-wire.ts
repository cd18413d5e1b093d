/** How a hostile request goes on the wire, and what comes back. */

import { Readable } from 'node:stream';
import { Agent, FormData, request } from 'undici';
import type { SyncRequest } from './fuzz-types.js';
import { queryOf } from './request-parts.js';

export interface Answer {
  status: number;
  contentType: string;
  badTokenHeader: boolean;
  text: string;
}

/** A header carries bytes: UTF-8 read as Latin-1, control characters other than tab dropped. */
function headerSafe(text: string): string {
  const latin1 = Buffer.from(text, 'utf8').toString('latin1');
  // eslint-disable-next-line no-control-regex -- exactly the bytes a header cannot carry
  return latin1.replace(/[\x00-\x08\x0a-\x1f\x7f]/gu, '').trim();
}

type Body = string | Buffer | FormData | Readable;

function bodyOf(hostile: SyncRequest): { body: Body | undefined; contentType: string | undefined } {
  const form = queryOf(hostile.fields);
  switch (hostile.bodyKind) {
    case 'form':
      return { body: form, contentType: 'application/x-www-form-urlencoded' };
    case 'charset':
      return { body: form, contentType: 'application/x-www-form-urlencoded; charset=UTF-8' };
    case 'untyped':
      return { body: form, contentType: undefined };
    case 'multipart': {
      const data = new FormData();
      // A file part under a field's name first: never a parameter, whatever its name.
      data.append(hostile.fields[0]?.[0] ?? 'upload', new Blob(['i=1&T=x']), 'fields.txt');
      for (const [name, value] of hostile.fields) data.append(name, value);
      return { body: data, contentType: undefined };
    }
    case 'json':
      return { body: JSON.stringify(Object.fromEntries(hostile.fields)), contentType: 'application/json' };
    case 'garbage':
      return { body: Buffer.from(hostile.noise, 'base64'), contentType: 'application/x-www-form-urlencoded' };
    case 'brokenMultipart':
      return {
        body: `--x\r\nContent-Disposition: form-data; name="T"\r\n\r\n${form}`,
        contentType: 'multipart/form-data; boundary=x',
      };
    case 'oversize':
      return { body: `${form}&pad=${'x'.repeat(70 * 1024)}`, contentType: 'application/x-www-form-urlencoded' };
    case 'chunked': {
      // No Content-Length: the limit must count what arrives, not trust a header.
      const chunks = [form, ...Array.from({ length: 18 }, () => `&pad=${'x'.repeat(4096)}`)];
      return { body: Readable.from(chunks), contentType: 'application/x-www-form-urlencoded' };
    }
  }
}

/** Sends hostile requests to the reader server and reads what comes back. */
export class FuzzWire {
  private readonly agents = new Map<number, Agent>();

  constructor(private readonly origin: string) {}

  async send(hostile: SyncRequest): Promise<Answer> {
    const headers: Record<string, string> = { 'user-agent': 'sync-fuzz/1.0' };
    for (const [name, value] of Object.entries(hostile.headers)) headers[name] = headerSafe(value);
    const withBody = hostile.method !== 'GET' && hostile.method !== 'HEAD';
    const { body, contentType } = bodyOf(hostile);
    if (withBody && contentType !== undefined) headers['content-type'] = contentType;
    const response = await request(`${this.origin}${hostile.path}`, {
      method: hostile.method,
      headers,
      dispatcher: this.agentFor(hostile.source),
      ...(withBody && body !== undefined ? { body } : {}),
    });
    const type = response.headers['content-type'];
    return {
      status: response.statusCode,
      contentType: typeof type === 'string' ? type : '',
      badTokenHeader: response.headers['x-reader-google-bad-token'] === 'true',
      text: await response.body.text(),
    };
  }

  /** Each request from one of 64 loopback addresses: failed credentials are counted per address. */
  private agentFor(source: number): Agent {
    let agent = this.agents.get(source);
    if (agent === undefined) {
      agent = new Agent({ localAddress: `127.18.0.${String(source + 2)}` });
      this.agents.set(source, agent);
    }
    return agent;
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.close()));
  }
}
