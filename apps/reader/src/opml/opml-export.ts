import { generateOpml, type Opml } from 'feedsmith';

export interface ExportedSubscription {
  title: string;
  feedUrl: string;
  siteUrl: string | null;
  folderName: string | null;
}

/** OPML 2.0 of a user's subscriptions, each folder an outline holding its feeds. */
export function buildOpml(subscriptions: readonly ExportedSubscription[], createdAt: Date): string {
  const folders = new Map<string, Opml.Outline<Date>[]>();
  const unfiled: Opml.Outline<Date>[] = [];
  for (const subscription of subscriptions) {
    const outline: Opml.Outline<Date> = {
      text: subscription.title,
      title: subscription.title,
      type: 'rss',
      xmlUrl: subscription.feedUrl,
      ...(subscription.siteUrl === null ? {} : { htmlUrl: subscription.siteUrl }),
    };
    if (subscription.folderName === null) {
      unfiled.push(outline);
    } else {
      const folder = folders.get(subscription.folderName) ?? [];
      folder.push(outline);
      folders.set(subscription.folderName, folder);
    }
  }
  const outlines: Opml.Outline<Date>[] = [
    ...[...folders].map(([name, feeds]) => ({ text: name, title: name, outlines: feeds })),
    ...unfiled,
  ];
  if (outlines.length === 0) return emptyOpml(createdAt);
  return generateOpml({
    head: { title: TITLE, dateCreated: createdAt },
    body: { outlines },
  });
}

const TITLE = 'Gatehouse Reader subscriptions';

/**
 * The export of a user with nothing to export. feedsmith refuses to generate a body without
 * outlines (GenerateError, which was a 500 on an ordinary GET /api/opml), so this one is
 * written out, in feedsmith's layout: nothing in it comes from the user, and the date is an
 * RFC 822 date as feedsmith writes it. OPML 2.0 says a body holds "one or more" outlines,
 * but an empty body is what readers export and import for "no subscriptions", our importer
 * included; an invented placeholder outline would import as a folder elsewhere.
 */
function emptyOpml(createdAt: Date): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${TITLE}</title>`,
    `    <dateCreated>${createdAt.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body></body>',
    '</opml>',
    '',
  ].join('\n');
}
