import { sanitizeFeedHtml } from '../../feeds/sanitize.js';
import type { ImageUrlRewrite } from '../../media/media-urls.js';
import { longItemId } from './item-ids.js';
import type { ItemRow } from './item-rows.js';
import { feedStreamId } from './stream-ids.js';
import { atomTime, xmlText } from './xml-text.js';

/** The scheme Google Reader put on its state categories; newsboat reads labels only under it. */
const READER_SCHEME = 'http://www.google.com/reader/';

export interface AtomStream {
  /** The stream id as requested (user/-/… or feed/…). */
  streamId: string;
  title: string;
  userId: string;
  items: readonly ItemRow[];
  continuation: string | undefined;
  now: number;
  /** Where images point (reader.mediaUrls.forApps: absolute, through the media proxy by its mode). */
  imageUrl: ImageUrlRewrite;
}

/**
 * A stream as an Atom feed, the form Google Reader served at /reader/atom/<stream> and that
 * newsboat (in its FeedHQ and Old Reader modes) still reads. Each entry carries its state as
 * categories under the Reader scheme: `read` for read items, and `fresh` for unread ones,
 * which newsboat takes as "unread now" (so an item marked unread again elsewhere comes back
 * unread there too). Folders are not written as categories: newsboat would treat a folder
 * named "read" as a read mark.
 */
export function atomStream(stream: AtomStream): string {
  const userStream = (id: string) => id.replace(/^user\/-\//u, `user/${stream.userId}/`);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:gr="http://www.google.com/schemas/reader/atom/">',
    `  <id>tag:google.com,2005:reader/${xmlText(userStream(stream.streamId))}</id>`,
    `  <title>${xmlText(stream.title)}</title>`,
    `  <updated>${atomTime(stream.now)}</updated>`,
  ];
  if (stream.continuation !== undefined) {
    lines.push(`  <gr:continuation>${xmlText(stream.continuation)}</gr:continuation>`);
  }
  const state = (name: string) =>
    `    <category term="${xmlText(userStream(`user/-/state/com.google/${name}`))}" scheme="${READER_SCHEME}" label="${name}"/>`;
  for (const item of stream.items) {
    lines.push(
      '  <entry>',
      `    <id>${longItemId(item.id)}</id>`,
      state('reading-list'),
      state(item.read ? 'read' : 'fresh'),
      ...(item.starred ? [state('starred')] : []),
      `    <title type="text">${xmlText(item.title)}</title>`,
      `    <published>${atomTime(item.publishedAt)}</published>`,
      `    <updated>${atomTime(item.publishedAt)}</updated>`,
      ...(item.url === null ? [] : [`    <link rel="alternate" type="text/html" href="${xmlText(item.url)}"/>`]),
      `    <content type="html">${xmlText(sanitizeFeedHtml(item.contentHtml, item.url ?? undefined, stream.imageUrl))}</content>`,
      ...(item.author === null ? [] : [`    <author><name>${xmlText(item.author)}</name></author>`]),
      `    <source gr:stream-id="${xmlText(feedStreamId(item.feedId))}">`,
      `      <id>tag:google.com,2005:reader/${xmlText(feedStreamId(item.feedId))}</id>`,
      `      <title>${xmlText(item.feedTitle)}</title>`,
      ...(item.siteUrl === null ? [] : [`      <link rel="alternate" href="${xmlText(item.siteUrl)}"/>`]),
      '    </source>',
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
