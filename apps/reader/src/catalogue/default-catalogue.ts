import type { Catalogue } from './catalogue.js';

/**
 * Recommended feeds, grouped by topic: the sources of the aggregator page the reader grew
 * from (seed 000) and a few more of the same kind. Each is the publisher's own feed URL.
 */
export const DEFAULT_CATALOGUE: Catalogue = {
  topics: [
    {
      id: 'security',
      name: 'Security',
      feeds: [
        feed(
          'full-disclosure',
          'Full Disclosure',
          'https://seclists.org/fulldisclosure/',
          'https://seclists.org/rss/fulldisclosure.rss',
          'The public, vendor-neutral mailing list for the detailed discussion of vulnerabilities.',
        ),
        feed(
          'securelist',
          'Securelist',
          'https://securelist.com/',
          'https://securelist.com/feed/',
          "Kaspersky's threat research and reports.",
        ),
        feed(
          'the-hacker-news',
          'The Hacker News',
          'https://thehackernews.com/',
          'https://feeds.feedburner.com/TheHackersNews',
          'Cybersecurity news: breaches, vulnerabilities and attacks.',
        ),
        feed(
          'schneier',
          'Schneier on Security',
          'https://www.schneier.com/',
          'https://www.schneier.com/feed/atom/',
          "Bruce Schneier's blog on security and security technology.",
        ),
        feed(
          'cisco-talos',
          'Cisco Talos Blog',
          'https://blog.talosintelligence.com/',
          'https://blog.talosintelligence.com/rss/',
          'Threat intelligence and vulnerability research from Cisco Talos.',
        ),
        feed(
          'project-zero',
          'Project Zero',
          'https://googleprojectzero.blogspot.com/',
          'https://googleprojectzero.blogspot.com/feeds/posts/default',
          "Google's vulnerability research team.",
        ),
        feed(
          'tenable',
          'Tenable Blog',
          'https://www.tenable.com/blog',
          'https://www.tenable.com/blog/feed',
          'Exposure management and vulnerability research.',
        ),
        feed(
          'cert-vu',
          'CERT Recently Published Vulnerability Notes',
          'https://www.kb.cert.org/vuls/',
          'https://www.kb.cert.org/vuls/atomfeed/',
          'Vulnerability notes from the CERT Coordination Center.',
        ),
        feed(
          'cisa-advisories',
          'CISA Cybersecurity Advisories',
          'https://www.cisa.gov/news-events/cybersecurity-advisories',
          'https://www.cisa.gov/cybersecurity-advisories/all.xml',
          'Alerts and advisories from the US Cybersecurity and Infrastructure Security Agency.',
        ),
        feed(
          'register-security',
          'The Register - Security',
          'https://www.theregister.com/security/',
          'https://www.theregister.com/security/headlines.atom',
          'Security news from The Register.',
        ),
        feed(
          'kaspersky-blog',
          'Kaspersky official blog',
          'https://www.kaspersky.com/blog/',
          'https://www.kaspersky.com/blog/feed/',
          'Security advice and news from Kaspersky.',
        ),
        feed(
          'malwarebytes',
          'Malwarebytes',
          'https://www.malwarebytes.com/blog',
          'https://www.malwarebytes.com/blog/feed/index.xml',
          'Threat research and security news from Malwarebytes Labs.',
        ),
        feed(
          'graham-cluley',
          'Graham Cluley',
          'https://grahamcluley.com/',
          'https://grahamcluley.com/feed/',
          'Computer security news and opinion.',
        ),
        feed(
          'hackread',
          'Hackread',
          'https://www.hackread.com/',
          'https://www.hackread.com/feed/',
          'Cybersecurity news, data breaches and hacking.',
        ),
        feed(
          'darknet',
          'Darknet',
          'https://www.darknet.org.uk/',
          'https://www.darknet.org.uk/feed/',
          'Hacking tools and security news.',
        ),
        feed(
          'fox-it',
          'Fox-IT International blog',
          'https://blog.fox-it.com/',
          'https://blog.fox-it.com/feed/',
          'Incident response and threat research from Fox-IT.',
        ),
      ],
    },
    {
      id: 'privacy',
      name: 'Privacy',
      feeds: [
        feed(
          'tor-project',
          'Tor Project blog',
          'https://blog.torproject.org/',
          'https://blog.torproject.org/rss.xml',
          'News from the Tor Project.',
        ),
        feed(
          'privacy-international',
          'Privacy International',
          'https://privacyinternational.org/',
          'https://privacyinternational.org/rss.xml',
          'News and analysis from Privacy International.',
        ),
        feed(
          'spread-privacy',
          'Spread Privacy',
          'https://spreadprivacy.com/',
          'https://spreadprivacy.com/rss/',
          "DuckDuckGo's blog about online privacy.",
        ),
      ],
    },
    {
      id: 'engineering',
      name: 'Software engineering',
      feeds: [
        feed(
          'martin-fowler',
          'Martin Fowler',
          'https://martinfowler.com/',
          'https://martinfowler.com/feed.atom',
          'Software design, architecture, refactoring and agile delivery.',
        ),
        feed(
          'netflix-techblog',
          'Netflix TechBlog',
          'https://netflixtechblog.com/',
          'https://netflixtechblog.com/feed',
          'How Netflix builds and runs its systems.',
        ),
        feed(
          'dev-community',
          'DEV Community',
          'https://dev.to/',
          'https://dev.to/feed',
          'Articles by and for software developers.',
        ),
        feed(
          'aws-news',
          'AWS News Blog',
          'https://aws.amazon.com/blogs/aws/',
          'https://aws.amazon.com/blogs/aws/feed/',
          'Announcements and launches from Amazon Web Services.',
        ),
        feed(
          'azure-blog',
          'Microsoft Azure Blog',
          'https://azure.microsoft.com/en-us/blog/',
          'https://azure.microsoft.com/en-us/blog/feed/',
          'News and updates from Microsoft Azure.',
        ),
        feed(
          'tailwind-blog',
          'Tailwind CSS Blog',
          'https://tailwindcss.com/blog',
          'https://tailwindcss.com/feeds/feed.xml',
          'Releases and articles from the Tailwind CSS team.',
        ),
        feed(
          'intellij-idea',
          'IntelliJ IDEA Blog',
          'https://blog.jetbrains.com/idea/',
          'https://blog.jetbrains.com/idea/feed/',
          'News about IntelliJ IDEA from JetBrains.',
        ),
      ],
    },
    {
      id: 'chinese-tech',
      name: 'Chinese tech (中文科技)',
      feeds: [
        feed(
          'appinn',
          '小众软件',
          'https://www.appinn.com/',
          'https://www.appinn.com/feed/',
          '分享免费、小巧、实用、有趣、绿色的软件。',
          'zh',
        ),
        feed(
          'qbitai',
          '量子位',
          'https://www.qbitai.com/',
          'https://www.qbitai.com/feed',
          '追踪人工智能新趋势，关注科技行业新突破。',
          'zh',
        ),
        feed(
          'oschina-news',
          'OSCHINA 社区最新新闻',
          'https://www.oschina.net/news',
          'https://www.oschina.net/news/rss',
          '开源中国社区的最新开源与技术资讯。',
          'zh',
        ),
        feed(
          'cnblogs-home',
          '博客园_首页',
          'https://www.cnblogs.com/',
          'https://feed.cnblogs.com/blog/sitehome/rss',
          '博客园首页的最新技术文章。',
          'zh',
        ),
        feed(
          'cnblogs-yexiaochai',
          '博客园 - 叶小钗',
          'https://www.cnblogs.com/yexiaochai/',
          'https://www.cnblogs.com/yexiaochai/rss',
          '前端与架构方面的技术博客。',
          'zh',
        ),
        feed(
          'tencent-cdc',
          '腾讯CDC',
          'https://cdc.tencent.com/',
          'https://cdc.tencent.com/feed/',
          '腾讯用户研究与体验设计部的博客。',
          'zh',
        ),
      ],
    },
  ],
};

function feed(id: string, title: string, siteUrl: string, feedUrl: string, description: string, language = 'en') {
  return { id, title, siteUrl, feedUrl, description, language };
}
