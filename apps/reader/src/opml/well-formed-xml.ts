import { SaxesParser } from 'saxes';

/**
 * Why an XML document is not well-formed ("line 3, column 7: unclosed tag: body"), or null
 * if it is. The XML parser under feedsmith forgives mismatched and unclosed tags, which is
 * right for feeds (take what can be read) but wrong for an import that must be all or
 * nothing: a damaged file should be refused, not half-understood. saxes is a strict XML 1.0
 * parser (jsdom's). It reads no DTD: nothing is fetched or expanded (XXE, billion laughs),
 * and a reference to any entity but XML's five (&amp; &lt; &gt; &quot; &apos;) and
 * character references is an error. A subscription list needs no other.
 */
export function wellFormednessError(xml: string): string | null {
  // Namespace prefixes are not checked: an undeclared one loses no feed.
  const parser = new SaxesParser({ xmlns: false });
  try {
    parser.write(xml).close();
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // saxes writes "line:column: reason." (most reasons end with a full stop, a few don't).
    return message.replace(/^(\d+):(\d+): /u, 'line $1, column $2: ').replace(/\.$/u, '');
  }
}
