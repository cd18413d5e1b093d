import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_CATALOGUE } from './default-catalogue.js';

const httpUrl = z.url({ protocol: /^https?$/u, message: 'must be an http(s) URL' });

const CatalogueFeed = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  siteUrl: httpUrl,
  feedUrl: httpUrl,
  description: z.string(),
  language: z.string().min(2),
});

const CatalogueSchema = z.object({
  topics: z.array(z.object({ id: z.string().min(1), name: z.string().min(1), feeds: z.array(CatalogueFeed) })),
});

export type Catalogue = z.infer<typeof CatalogueSchema>;
export type CatalogueFeed = z.infer<typeof CatalogueFeed>;

/**
 * The recommended feeds: the one shipped with the app, or READER_CATALOGUE_FILE (a JSON
 * file of the same shape) instead. Checked at start-up: a bad file stops the server with
 * a message, it does not serve half a catalogue.
 */
export function loadCatalogue(file: string | undefined): Catalogue {
  if (file === undefined || file === '') return CatalogueSchema.parse(DEFAULT_CATALOGUE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`READER_CATALOGUE_FILE: ${file} could not be read as JSON`, { cause: error });
  }
  const parsed = CatalogueSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`READER_CATALOGUE_FILE: ${file} is not a valid catalogue (${problems})`);
  }
  return parsed.data;
}
