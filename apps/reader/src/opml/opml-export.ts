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
  return generateOpml({
    head: { title: 'Gatehouse Reader subscriptions', dateCreated: createdAt },
    body: { outlines },
  });
}
