import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, TestBrowser, uniqueEmail } from '../../../../test-support/test-browser.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';
import { loadCatalogue } from './catalogue.js';

/**
 * The recommended list of seed 000 (惯性聚合), in the page's order and under the page's
 * names, less the four names that do not say which source they are (see
 * default-catalogue.ts), and with the source the page has open (DEV Community) last.
 */
const SEED_LIST = [
  'Full Disclosure',
  'Recorded Future',
  'Tenable Blog',
  'Securelist',
  'CERT Recently Published Vulnerability Notes',
  'Threatpost',
  'Schneier on Security',
  'Arctic Wolf',
  'The Hacker News',
  'CXSECURITY Database RSS Feed - CXSecurity.com',
  'Know Your Adversary',
  'Privacy International News Feed',
  'Threat Intelligence Blog | Flashpoint',
  'The Register - Security',
  'Cisco Talos Blog',
  'AWS News Blog',
  'Kaspersky official blog',
  'Vulnerabilities – Threatpost',
  'Palo Alto Networks Blog',
  'The Exploit Database - CXSecurity.com',
  '小众软件',
  'Cyber Security Advisories - MS-ISAC',
  'Microsoft Azure Blog',
  'Cyberwarzone',
  'Cybersecurity and Infrastructure Security Agency CISA',
  'Tor Project blog',
  'Spread Privacy',
  'Malwarebytes',
  'Proofpoint News Feed',
  'Fox-IT International blog',
  'Fortinet All Blogs',
  'Privacy & Cybersecurity Law Blog',
  'GRAHAM CLULEY',
  '量子位',
  'OSCHINA 社区最新新闻',
  '博客园 - 叶小钗',
  'Project Zero',
  'Tailwind CSS Blog',
  'Netflix TechBlog - Medium',
  'Martin Fowler',
  'IntelliJ IDEA : IntelliJ IDEA – the Leading IDE for Professional Development in Java and Kotlin | The JetBrains Blog',
  'Intezer',
  '博客园_首页',
  '腾讯CDC',
  'Hackread – Cybersecurity News, Data Breaches, AI and More',
  'Darknet – Hacking Tools, Hacker News & Cyber Security',
  'DEV Community',
];

const CHINESE_SOURCES = ['小众软件', '量子位', 'OSCHINA 社区最新新闻', '博客园 - 叶小钗', '博客园_首页', '腾讯CDC'];

function writeCatalogue(name: string, catalogue: unknown): string {
  const file = join(tmpdir(), `gh-${name}-${String(process.pid)}.json`);
  writeFileSync(file, JSON.stringify(catalogue));
  return file;
}

describe('the shipped catalogue', () => {
  const catalogue = loadCatalogue(undefined);
  const feeds = catalogue.topics.flatMap((topic) => topic.feeds);

  it('is the seed page’s one list, under the page’s heading in Chinese and its English name', () => {
    expect(catalogue.topics.map((topic) => topic.name)).toEqual([{ en: 'Recommended feeds', 'zh-CN': '推荐订阅源' }]);
  });

  it('holds the page’s sources in the page’s order, under the names the page gives them', () => {
    expect(feeds.map((feed) => feed.title)).toEqual(SEED_LIST);
  });

  it('keeps the Chinese sources under their Chinese names, marked as Chinese', () => {
    const chinese = feeds.filter((feed) => feed.language === 'zh-CN');
    expect(chinese.map((feed) => feed.title)).toEqual(CHINESE_SOURCES);
    expect(chinese.every((feed) => /\p{Script=Han}/u.test(feed.description))).toBe(true);
  });

  it('gives every source an https site, an https feed where one is known, and a unique id', () => {
    expect(feeds.every((feed) => feed.siteUrl.startsWith('https://'))).toBe(true);
    expect(feeds.every((feed) => feed.feedUrl === undefined || feed.feedUrl.startsWith('https://'))).toBe(true);
    expect(new Set(feeds.map((feed) => feed.id)).size).toBe(feeds.length);
    // Only the sources whose feed address is not known for sure go by their site.
    expect(feeds.filter((feed) => feed.feedUrl === undefined).map((feed) => feed.title)).toEqual([
      'Know Your Adversary',
      'Privacy & Cybersecurity Law Blog',
    ]);
  });
});

describe('a catalogue file', () => {
  it('may name a group once for every language', () => {
    const file = writeCatalogue('one-name', { topics: [{ id: 't', name: 'Team feeds', feeds: [] }] });
    expect(loadCatalogue(file).topics[0]?.name).toEqual({ en: 'Team feeds', 'zh-CN': 'Team feeds' });
  });

  it('may leave out a feed’s address and description', () => {
    const file = writeCatalogue('site-only', {
      topics: [
        {
          id: 't',
          name: { en: 'Ours', 'zh-CN': '我们的' },
          feeds: [{ id: 'f', title: 'F', siteUrl: 'https://f.example/', language: 'en' }],
        },
      ],
    });
    expect(loadCatalogue(file).topics[0]?.feeds[0]).toEqual({
      id: 'f',
      title: 'F',
      siteUrl: 'https://f.example/',
      description: '',
      language: 'en',
    });
  });

  it('is refused with a group name missing a language, or a feed address that is not http(s)', () => {
    const noChinese = writeCatalogue('no-zh', { topics: [{ id: 't', name: { en: 'Only English' }, feeds: [] }] });
    expect(() => loadCatalogue(noChinese)).toThrow(/not a valid catalogue \(topics\.0\.name/u);
    const badFeed = writeCatalogue('bad-feed', {
      topics: [
        {
          id: 't',
          name: 'T',
          feeds: [
            { id: 'f', title: 'F', siteUrl: 'https://f.example/', feedUrl: 'javascript:alert(1)', language: 'en' },
          ],
        },
      ],
    });
    expect(() => loadCatalogue(badFeed)).toThrow(/topics\.0\.feeds\.0\.feedUrl: must be an http\(s\) URL/u);
  });
});

describe('GET /api/catalogue', () => {
  let fixtures: FixtureFeedServer;
  let server: ReaderTestServer;

  beforeAll(async () => {
    fixtures = await startFixtureFeedServer();
    const file = writeCatalogue('api', {
      topics: [
        {
          id: 'local',
          name: { en: 'Local', 'zh-CN': '本地' },
          feeds: [
            {
              id: 'by-site',
              title: '本地站点',
              siteUrl: fixtures.url('/site.html'),
              description: '只给了网站地址。',
              language: 'zh-CN',
            },
          ],
        },
      ],
    });
    server = await startReaderTestServer({
      fetchPolicy: { allowHosts: [fixtures.host] },
      catalogue: loadCatalogue(file),
    });
  });

  afterAll(async () => {
    await server.close();
    await fixtures.close();
  });

  it('answers both names of a group and a null feedUrl for a source known by its site; subscribing to the site finds its feed', async () => {
    const browser = new TestBrowser(server.origin);
    expect((await browser.signup(uniqueEmail('catalogue'), GOOD_PASSWORD)).status).toBe(201);
    const response = await browser.request('GET', '/api/catalogue');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      topics: [
        {
          id: 'local',
          name: { en: 'Local', 'zh-CN': '本地' },
          feeds: [
            {
              id: 'by-site',
              title: '本地站点',
              siteUrl: fixtures.url('/site.html'),
              feedUrl: null,
              description: '只给了网站地址。',
              language: 'zh-CN',
            },
          ],
        },
      ],
    });
    // What the subscribe dialog sends for it: the site, whose page names the feed.
    const subscribed = await browser.request('POST', '/api/subscriptions', {
      json: { url: fixtures.url('/site.html') },
    });
    expect(subscribed.status).toBe(201);
    const { subscription } = (await subscribed.json()) as { subscription: { feedUrl: string } };
    expect(subscription.feedUrl).not.toBe(fixtures.url('/site.html'));
  });

  it('is for signed-in users only', async () => {
    expect((await new TestBrowser(server.origin).request('GET', '/api/catalogue')).status).toBe(401);
  });
});
