import type { Context } from 'hono';

/** Every parameter of one Fever call: the query string and the form body, merged. */
export type FeverParams = ReadonlyMap<string, string>;

/** The body could not be read as the form its Content-Type claims. */
export class FeverBodyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`fever: ${message}`, options);
    this.name = 'FeverBodyError';
  }
}

/**
 * Clients put some parameters in the query (`?api&items&since_id=9`) and others in a POST
 * form (`api_key`, `mark`, `as`, `id`, `before`), urlencoded or multipart. A body value wins
 * over a query value of the same name, and the last of repeated names wins, as in PHP (the
 * protocol's home). A Map, not an object: `__proto__` is just a name here.
 */
export async function readFeverParams(c: Context): Promise<FeverParams> {
  const params = new Map<string, string>();
  for (const [name, value] of new URL(c.req.url).searchParams) params.set(name, value);
  if (c.req.method !== 'POST') return params;
  for (const [name, value] of await readForm(c)) params.set(name, value);
  return params;
}

async function readForm(c: Context): Promise<Iterable<[string, string]>> {
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  try {
    if (mediaType === 'application/x-www-form-urlencoded') return new URLSearchParams(await c.req.text());
    if (mediaType === 'multipart/form-data') {
      const form = await c.req.formData();
      // An uploaded file is never a Fever parameter.
      return [...form].filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    }
  } catch (error) {
    // The body limit ran before this and buffered the body: what fails here is its form.
    throw new FeverBodyError('the form body could not be read', { cause: error });
  }
  // No body, or one of another type: only the query string speaks.
  return [];
}
