import type { Page } from 'playwright-core';

/**
 * What "shown as inert" means for a feed's HTML once it is in the page: no element that runs
 * or loads script, submits, frames, re-points URLs or redirects; no event handler, style or
 * clobbering name; every URL http(s) or mailto. Policy as data, checked in the live DOM.
 */
const INERT_POLICY = {
  forbiddenTags: [
    'script',
    'style',
    'link',
    'meta',
    'base',
    'form',
    'input',
    'button',
    'textarea',
    'select',
    'option',
    'frame',
    'frameset',
    'object',
    'embed',
    'applet',
    'svg',
    'math',
    'template',
    'noscript',
    'marquee',
    'video',
    'audio',
    'source',
  ],
  forbiddenAttributes: ['style', 'srcdoc', 'formaction', 'action', 'xlink:href', 'id', 'name', 'background'],
  urlAttributes: ['href', 'src', 'cite', 'poster', 'data'],
  allowedFrameOrigins: ['https://www.youtube-nocookie.com', 'https://player.vimeo.com'],
} as const;

type InertPolicy = typeof INERT_POLICY;

// The DOM as the in-page function sees it (this package type-checks without the DOM lib).
interface InPageElement {
  tagName: string;
  getAttributeNames(): string[];
  getAttribute(name: string): string | null;
}
interface InPageDocument {
  querySelectorAll(selector: string): Iterable<InPageElement>;
}

/** Runs in the page: every way an element under `selector` breaks the policy. */
function findLiveMarkup({ selector, policy }: { selector: string; policy: InertPolicy }): string[] {
  const { document } = globalThis as unknown as { document: InPageDocument };
  const findings: string[] = [];
  for (const element of document.querySelectorAll(`${selector} *`)) {
    const tag = element.tagName.toLowerCase();
    if ((policy.forbiddenTags as readonly string[]).includes(tag)) findings.push(`<${tag}>`);
    for (const name of element.getAttributeNames()) {
      const value = element.getAttribute(name) ?? '';
      if (name.startsWith('on') || (policy.forbiddenAttributes as readonly string[]).includes(name)) {
        findings.push(`<${tag} ${name}>`);
      }
      if ((policy.urlAttributes as readonly string[]).includes(name) && !/^(?:https?|mailto):/iu.test(value)) {
        findings.push(`<${tag} ${name}="${value}">`);
      }
    }
    if (tag === 'iframe') {
      const src = element.getAttribute('src') ?? '';
      const allowed = (policy.allowedFrameOrigins as readonly string[]).some((origin) => src.startsWith(`${origin}/`));
      if (!allowed || element.getAttribute('sandbox') === null) findings.push(`<iframe src="${src}">`);
    }
    if (tag === 'a' && element.getAttribute('href') !== null) {
      const rel = element.getAttribute('rel') ?? '';
      if (!rel.includes('noopener') || !rel.includes('noreferrer')) findings.push(`<a rel="${rel}">`);
    }
  }
  return findings;
}

/** Elements and attributes under `selector` that could run, load, submit or navigate. */
export function liveMarkupIn(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(findLiveMarkup, { selector, policy: INERT_POLICY });
}

/** Runs in the page: scripts that are not the app's own bundle, and event-handler attributes anywhere. */
function findForeignScript(appOrigin: string): string[] {
  const { document } = globalThis as unknown as { document: InPageDocument };
  const findings: string[] = [];
  for (const script of document.querySelectorAll('script')) {
    const src = script.getAttribute('src') ?? '';
    if (!src.startsWith('/assets/') && !src.startsWith(`${appOrigin}/assets/`)) findings.push(`<script src="${src}">`);
  }
  for (const element of document.querySelectorAll('*')) {
    for (const name of element.getAttributeNames()) {
      if (name.startsWith('on')) findings.push(`<${element.tagName.toLowerCase()} ${name}>`);
    }
  }
  return findings;
}

/** Anything in the whole document that is script the app did not ship. */
export function foreignScriptIn(page: Page, appOrigin: string): Promise<string[]> {
  return page.evaluate(findForeignScript, appOrigin);
}
