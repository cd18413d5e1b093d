import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { sanitizeFeedHtml } from '../feeds/sanitize.js';

export interface ExtractedArticle {
  /** The article's HTML, sanitized exactly like feed content, links and images absolute. */
  contentHtml: string;
}

/**
 * Readability walks every element several times, on the event loop: a page with more than
 * this many is refused rather than allowed to hold it for seconds (the size cap alone lets
 * through ~100,000 tiny elements). Real article pages have a few thousand. Counted here:
 * Readability's own `maxElemsToParse` counts with getElementsByTagName('*'), which linkedom
 * answers with an empty list.
 */
const MAX_ELEMENTS = 20_000;

/**
 * Less text than this is not an article but what Readability settles for on a page without
 * one: a menu, a sign-in wall, "please enable JavaScript". Readability's own
 * isProbablyReaderable uses the same floor.
 */
const MIN_TEXT_LENGTH = 140;

/** The little of linkedom's DOM this file touches (the project's TypeScript has no DOM lib). */
interface PageElement {
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  remove(): void;
  prepend(node: PageElement): void;
}
interface PageDocument {
  documentElement: PageElement | null;
  head: PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  createElement(tag: string): PageElement;
}

/**
 * The article of a web page, or undefined when none can be found. Pure (text in, text out,
 * no I/O), so it can move to a worker with the feed parser. `pageUrl` is where the page was
 * finally fetched from (after redirects): relative links and images resolve against it, or
 * against the page's own <base href> as a browser would.
 */
export function extractArticle(html: string, pageUrl: string): ExtractedArticle | undefined {
  const { document } = parseHTML(html) as unknown as { document: PageDocument };
  if (document.documentElement === null || document.querySelectorAll('*').length > MAX_ELEMENTS) return undefined;
  const base = pinBase(document, pageUrl);
  let article: ReturnType<Readability['parse']>;
  try {
    article = new Readability(document).parse();
  } catch {
    // Markup Readability cannot walk: no article, not a crash.
    return undefined;
  }
  if (!article?.content || (article.textContent ?? '').trim().length < MIN_TEXT_LENGTH) return undefined;
  const contentHtml = sanitizeFeedHtml(article.content, base);
  return contentHtml === '' ? undefined : { contentHtml };
}

/**
 * Leaves exactly one <base>, with an absolute http(s) address: the page's own if it has a
 * usable one, else the page's URL. Readability resolves relative addresses against
 * `document.baseURI`, which linkedom reads from the first <base> as written (a relative
 * one would throw there and leave every link relative, to be resolved against the wrong
 * address later). Returns the base, for the sanitizer's second pass.
 */
function pinBase(document: PageDocument, pageUrl: string): string {
  const declared = document.querySelector('base[href]')?.getAttribute('href') ?? undefined;
  const base = absoluteWebUrl(declared, pageUrl) ?? pageUrl;
  for (const element of Array.from(document.querySelectorAll('base'))) element.remove();
  const pinned = document.createElement('base');
  pinned.setAttribute('href', base);
  (document.head ?? document.documentElement)?.prepend(pinned);
  return base;
}

function absoluteWebUrl(value: string | undefined, baseUrl: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value.trim(), baseUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
