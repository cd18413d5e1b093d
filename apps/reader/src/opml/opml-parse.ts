import { parseOpml, type Opml } from 'feedsmith';
import { wellFormednessError } from './well-formed-xml.js';

export interface OpmlEntry {
  url: string;
  title: string | null;
  /** The outline the feed sits in; nested folders are flattened to the innermost one. */
  folderName: string | null;
}

export class OpmlError extends Error {
  override readonly name = 'OpmlError';
}

const MAX_ENTRIES = 2000;
const MAX_DEPTH = 20;

/** The feeds of an OPML file, in order; throws OpmlError if it is not OPML. */
export function parseOpmlEntries(text: string): OpmlEntry[] {
  // The XML parser forgives unclosed and mismatched elements: a file cut off in the middle
  // would import half its feeds. A complete OPML document ends with </opml> (said first: it
  // is the usual damage), and is well-formed XML.
  if (!/<\/opml\s*>$/iu.test(text.trimEnd())) {
    throw new OpmlError('The file is not complete OPML: it does not end with </opml>.');
  }
  const notWellFormed = wellFormednessError(text);
  if (notWellFormed !== null) {
    throw new OpmlError(`The file is not valid OPML: its XML is not well-formed (${notWellFormed}).`);
  }
  let document: Opml.Document<string>;
  try {
    document = parseOpml(text);
  } catch (error) {
    throw new OpmlError('The file is not valid OPML (an XML document with <opml><body><outline …>).', { cause: error });
  }
  const entries: OpmlEntry[] = [];
  const visit = (outlines: Opml.Outline<string>[] | undefined, folderName: string | null, depth: number) => {
    if (outlines === undefined) return;
    if (depth > MAX_DEPTH) throw new OpmlError(`Outlines are nested more than ${String(MAX_DEPTH)} deep.`);
    for (const outline of outlines) {
      const label = clean(outline.title) ?? clean(outline.text);
      const url = clean(outline.xmlUrl);
      if (url !== null) {
        entries.push({ url, title: label, folderName });
        if (entries.length > MAX_ENTRIES) throw new OpmlError(`The file lists more than ${String(MAX_ENTRIES)} feeds.`);
      } else {
        visit(outline.outlines, label ?? folderName, depth + 1);
      }
    }
  };
  visit(document.body?.outlines, null, 0);
  return entries;
}

function clean(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed.slice(0, 200);
}
