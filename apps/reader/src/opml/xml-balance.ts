/**
 * Whether every element of an XML document is closed, in order. The XML parser under
 * feedsmith forgives mismatched and unclosed tags, which is right for feeds (take what can
 * be read) but wrong for an import that must be all or nothing: a damaged file should be
 * refused, not half-understood. This checks structure only (tags, comments, CDATA,
 * processing instructions, doctype), not names or entities.
 */
const TAG = /<(\/?)([A-Za-z_][\w:.-]*)(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(\/?)>/uy;

export function hasBalancedTags(xml: string): boolean {
  const open: string[] = [];
  let position = xml.indexOf('<');
  while (position !== -1) {
    const end = skipSpecial(xml, position);
    if (end === -1) return false;
    if (end !== undefined) {
      position = xml.indexOf('<', end);
      continue;
    }
    TAG.lastIndex = position;
    const match = TAG.exec(xml);
    if (match === null) return false;
    const [whole, closing, name = '', selfClosing] = match;
    if (closing === '/') {
      if (selfClosing === '/' || open.pop() !== name) return false;
    } else if (selfClosing !== '/') {
      open.push(name);
    }
    position = xml.indexOf('<', position + whole.length);
  }
  return open.length === 0;
}

/** The end of a comment, CDATA section, PI or doctype at `position`; -1 if unterminated. */
function skipSpecial(xml: string, position: number): number | undefined {
  const terminators: [string, string][] = [
    ['<!--', '-->'],
    ['<![CDATA[', ']]>'],
    ['<?', '?>'],
    ['<!DOCTYPE', '>'],
  ];
  for (const [start, terminator] of terminators) {
    if (xml.startsWith(start, position)) {
      const end = xml.indexOf(terminator, position + start.length);
      return end === -1 ? -1 : end + terminator.length;
    }
  }
  return undefined;
}
