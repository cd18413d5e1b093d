/**
 * A feed without its DOCTYPE declaration, for the parser. We never read a DTD: no external
 * DTD or entity is fetched (XXE: file:// and internal addresses) and no declared entity is
 * expanded (billion laughs); a reference such as "&secret;" stays as text, like any name
 * HTML doesn't know. The parser under feedsmith agrees on that, but it refuses a whole feed
 * whose DOCTYPE has a parameter entity or an external entity, which old feeds carry to
 * declare HTML's entity names. Removing the declaration reads those feeds and changes
 * nothing else. A DOCTYPE is only allowed in the prolog: one anywhere else, or one that
 * never ends, is left for the parser to refuse.
 */
export function withoutDoctype(text: string): string {
  const start = prologDoctypeStart(text);
  if (start === -1) return text;
  const end = doctypeEnd(text, start);
  return end === -1 ? text : text.slice(0, start) + text.slice(end);
}

const DOCTYPE = '<!DOCTYPE';

/** Where "<!DOCTYPE" starts after the XML declaration, comments and PIs; -1 if it doesn't. */
function prologDoctypeStart(text: string): number {
  let position = skipSpace(text, text.startsWith('\uFEFF') ? 1 : 0);
  for (;;) {
    if (text.startsWith(DOCTYPE, position)) return position;
    const end = text.startsWith('<?', position)
      ? closedAt(text, '?>', position + 2)
      : text.startsWith('<!--', position)
        ? closedAt(text, '-->', position + 4)
        : -1;
    if (end === -1) return -1;
    position = skipSpace(text, end);
  }
}

/**
 * Just past the ">" that ends the DOCTYPE at `start`, or -1. Quoted literals, and comments
 * and PIs in the internal subset, may hold "]" and ">" that end nothing.
 */
function doctypeEnd(text: string, start: number): number {
  let inSubset = false;
  let position = start + DOCTYPE.length;
  while (position < text.length && position !== -1) {
    const c = text.charAt(position);
    if (c === '"' || c === "'") {
      position = closedAt(text, c, position + 1);
    } else if (inSubset && text.startsWith('<!--', position)) {
      position = closedAt(text, '-->', position + 4);
    } else if (inSubset && text.startsWith('<?', position)) {
      position = closedAt(text, '?>', position + 2);
    } else if (c === '>' && !inSubset) {
      return position + 1;
    } else {
      if (c === '[') inSubset = true;
      if (c === ']') inSubset = false;
      position += 1;
    }
  }
  return -1;
}

/** Just past the next `terminator` from `from`, or -1. */
function closedAt(text: string, terminator: string, from: number): number {
  const at = text.indexOf(terminator, from);
  return at === -1 ? -1 : at + terminator.length;
}

function skipSpace(text: string, from: number): number {
  let position = from;
  while (/\s/u.test(text.charAt(position))) position += 1;
  return position;
}
