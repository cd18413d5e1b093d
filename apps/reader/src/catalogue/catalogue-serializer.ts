import type { Catalogue } from './catalogue.js';

export interface ApiCatalogueFeed {
  id: string;
  title: string;
  siteUrl: string;
  /** null: subscribe with siteUrl, and the feed is found from the site's page. */
  feedUrl: string | null;
  description: string;
  language: string;
}

export interface ApiCatalogueTopic {
  id: string;
  /** Both languages: the page shows the one it speaks, and may switch without asking again. */
  name: { en: string; 'zh-CN': string };
  feeds: ApiCatalogueFeed[];
}

/** The catalogue as GET /api/catalogue answers it: named fields, never the parsed file as it is. */
export function toApiCatalogue(catalogue: Catalogue): { topics: ApiCatalogueTopic[] } {
  return {
    topics: catalogue.topics.map((topic) => ({
      id: topic.id,
      name: { en: topic.name.en, 'zh-CN': topic.name['zh-CN'] },
      feeds: topic.feeds.map((feed) => ({
        id: feed.id,
        title: feed.title,
        siteUrl: feed.siteUrl,
        feedUrl: feed.feedUrl ?? null,
        description: feed.description,
        language: feed.language,
      })),
    })),
  };
}
