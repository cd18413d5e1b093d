import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_CATALOGUE } from './default-catalogue.js';

const httpUrl = z.url({ protocol: /^https?$/u, message: 'must be an http(s) URL' });

/**
 * A group's name in each language the app speaks. A file may give one string: the same name
 * in every language (a catalogue of one team's feeds need not be translated).
 */
const GroupName = z.union([
  z
    .string()
    .min(1)
    .transform((name) => ({ en: name, 'zh-CN': name })),
  z.object({ en: z.string().min(1), 'zh-CN': z.string().min(1) }),
]);

const CatalogueFeed = z.object({
  id: z.string().min(1),
  /** The source's name as it calls itself (Chinese sources in Chinese). */
  title: z.string().min(1),
  siteUrl: httpUrl,
  /**
   * Absent when the feed's own address is not known for sure: subscribing then starts from
   * the site, whose page names its feed (the same discovery as a pasted site address).
   */
  feedUrl: httpUrl.optional(),
  /** In the source's own language, like its title. */
  description: z.string().default(''),
  /** BCP 47, so the page can mark the title and description for fonts and screen readers. */
  language: z.string().min(2),
});

const CatalogueSchema = z.object({
  topics: z.array(z.object({ id: z.string().min(1), name: GroupName, feeds: z.array(CatalogueFeed) })),
});

export type Catalogue = z.output<typeof CatalogueSchema>;
export type CatalogueInput = z.input<typeof CatalogueSchema>;
export type CatalogueFeed = z.output<typeof CatalogueFeed>;

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
