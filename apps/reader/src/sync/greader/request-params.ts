import type { Context, MiddlewareHandler } from 'hono';
import type { GreaderEnv } from './env.js';
import { ProtocolError } from './protocol-errors.js';

/**
 * A request's parameters, from the query string and (for POST) the form body. Clients put
 * them in either place: FreshRSS and Miniflux read both, and so do we. Many are repeated
 * (`i=…&i=…`, `a=…&a=…`), so every lookup can return them all.
 */
export class RequestParams {
  constructor(
    private readonly query: URLSearchParams,
    private readonly form: URLSearchParams,
  ) {}

  /** The first value, the form's before the query's; empty counts as absent. */
  get(name: string): string | undefined {
    return this.all(name)[0];
  }

  /** Every non-empty value, the form's first. */
  all(name: string): string[] {
    return [...this.form.getAll(name), ...this.query.getAll(name)].filter((value) => value !== '');
  }
}

/** Reads the parameters once (the body is a stream) and puts them on the context. */
export const readParams: MiddlewareHandler<GreaderEnv> = async (c, next) => {
  const query = new URL(c.req.url).searchParams;
  const form = c.req.method === 'POST' ? await readForm(c) : new URLSearchParams();
  c.set('params', new RequestParams(query, form));
  await next();
};

async function readForm(c: Context<GreaderEnv>): Promise<URLSearchParams> {
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  // No Content-Type at all is what some clients send with a form body (curl's -d sets one;
  // hand-written URLSession code often does not).
  if (mediaType === '' || mediaType === 'application/x-www-form-urlencoded') {
    return new URLSearchParams(await c.req.text());
  }
  if (mediaType === 'multipart/form-data') {
    let data: FormData;
    try {
      data = await c.req.formData();
    } catch {
      throw new ProtocolError(400, 'MalformedBody', 'The multipart body could not be read.');
    }
    const fields = new URLSearchParams();
    for (const [name, value] of data) if (typeof value === 'string') fields.append(name, value);
    return fields;
  }
  throw new ProtocolError(415, 'UnsupportedMediaType', 'Send a form: application/x-www-form-urlencoded.');
}
