import type { CatalogueInput } from './catalogue.js';

type Feed = CatalogueInput['topics'][number]['feeds'][number];

/**
 * The recommended list of the aggregator page the reader grew from (seed 000, 惯性聚合),
 * as that page shows it: one list under 推荐订阅源, in the page's order, each source under
 * the name the page gives it (Chinese sources in Chinese). The page names sources only;
 * the addresses are the publishers' own. Left out, because the page's name alone does not
 * say which source it is: "Blog", "Latest news", "True Tiger Recordings" and "Threat
 * Research - Cisco Blogs" (Cisco publishes several feeds under that name). Where the feed's
 * own address is not known for sure, only the site is given, and subscribing finds the feed
 * from its page.
 */
export const DEFAULT_CATALOGUE: CatalogueInput = {
  topics: [
    {
      id: 'recommended',
      name: { en: 'Recommended feeds', 'zh-CN': '推荐订阅源' },
      feeds: [
        en(
          'full-disclosure',
          'Full Disclosure',
          'https://seclists.org/fulldisclosure/',
          'https://seclists.org/rss/fulldisclosure.rss',
          'The public, vendor-neutral mailing list for the detailed discussion of vulnerabilities.',
        ),
        en(
          'recorded-future',
          'Recorded Future',
          'https://www.recordedfuture.com/',
          'https://www.recordedfuture.com/feed',
          'Threat intelligence research and analysis.',
        ),
        en(
          'tenable',
          'Tenable Blog',
          'https://www.tenable.com/blog',
          'https://www.tenable.com/blog/feed',
          'Exposure management and vulnerability research.',
        ),
        en(
          'securelist',
          'Securelist',
          'https://securelist.com/',
          'https://securelist.com/feed/',
          "Kaspersky's threat research and reports.",
        ),
        en(
          'cert-vu',
          'CERT Recently Published Vulnerability Notes',
          'https://www.kb.cert.org/vuls/',
          'https://www.kb.cert.org/vuls/atomfeed/',
          'Vulnerability notes from the CERT Coordination Center.',
        ),
        en(
          'threatpost',
          'Threatpost',
          'https://threatpost.com/',
          'https://threatpost.com/feed/',
          'Security news: vulnerabilities, malware and breaches.',
        ),
        en(
          'schneier',
          'Schneier on Security',
          'https://www.schneier.com/',
          'https://www.schneier.com/feed/atom/',
          "Bruce Schneier's blog on security and security technology.",
        ),
        en(
          'arctic-wolf',
          'Arctic Wolf',
          'https://arcticwolf.com/resources/blog/',
          'https://arcticwolf.com/feed/',
          'Threat reports and security operations from Arctic Wolf Labs.',
        ),
        en(
          'the-hacker-news',
          'The Hacker News',
          'https://thehackernews.com/',
          'https://feeds.feedburner.com/TheHackersNews',
          'Cybersecurity news: breaches, vulnerabilities and attacks.',
        ),
        en(
          'cxsecurity',
          'CXSECURITY Database RSS Feed - CXSecurity.com',
          'https://cxsecurity.com/',
          'https://cxsecurity.com/wlb/rss/all/',
          'Every new entry of the CXSecurity vulnerability database.',
        ),
        en(
          'know-your-adversary',
          'Know Your Adversary',
          'https://www.knowyouradversary.ru/',
          undefined,
          'Short notes on how adversaries work, and how to hunt for them.',
        ),
        en(
          'privacy-international',
          'Privacy International News Feed',
          'https://privacyinternational.org/',
          'https://privacyinternational.org/rss.xml',
          'News and analysis from Privacy International.',
        ),
        en(
          'flashpoint',
          'Threat Intelligence Blog | Flashpoint',
          'https://flashpoint.io/blog/',
          'https://flashpoint.io/feed/',
          'Threat intelligence from Flashpoint.',
        ),
        en(
          'register-security',
          'The Register - Security',
          'https://www.theregister.com/security/',
          'https://www.theregister.com/security/headlines.atom',
          'Security news from The Register.',
        ),
        en(
          'cisco-talos',
          'Cisco Talos Blog',
          'https://blog.talosintelligence.com/',
          'https://blog.talosintelligence.com/rss/',
          'Threat intelligence and vulnerability research from Cisco Talos.',
        ),
        en(
          'aws-news',
          'AWS News Blog',
          'https://aws.amazon.com/blogs/aws/',
          'https://aws.amazon.com/blogs/aws/feed/',
          'Announcements and launches from Amazon Web Services.',
        ),
        en(
          'kaspersky-blog',
          'Kaspersky official blog',
          'https://www.kaspersky.com/blog/',
          'https://www.kaspersky.com/blog/feed/',
          'Security advice and news from Kaspersky.',
        ),
        en(
          'threatpost-vulnerabilities',
          'Vulnerabilities – Threatpost',
          'https://threatpost.com/category/vulnerabilities/',
          'https://threatpost.com/category/vulnerabilities/feed/',
          "Threatpost's vulnerability news only.",
        ),
        en(
          'palo-alto-networks',
          'Palo Alto Networks Blog',
          'https://www.paloaltonetworks.com/blog/',
          'https://www.paloaltonetworks.com/blog/feed/',
          'Network and cloud security from Palo Alto Networks.',
        ),
        en(
          'cxsecurity-exploits',
          'The Exploit Database - CXSecurity.com',
          'https://cxsecurity.com/exploit/',
          'https://cxsecurity.com/wlb/rss/exploit/',
          'The exploits of the CXSecurity database.',
        ),
        zh(
          'appinn',
          '小众软件',
          'https://www.appinn.com/',
          'https://www.appinn.com/feed/',
          '分享免费、小巧、实用、有趣、绿色的软件。',
        ),
        en(
          'ms-isac-advisories',
          'Cyber Security Advisories - MS-ISAC',
          'https://www.cisecurity.org/advisory',
          'https://www.cisecurity.org/feed/advisories',
          'Advisories from the Multi-State Information Sharing and Analysis Center.',
        ),
        en(
          'azure-blog',
          'Microsoft Azure Blog',
          'https://azure.microsoft.com/en-us/blog/',
          'https://azure.microsoft.com/en-us/blog/feed/',
          'News and updates from Microsoft Azure.',
        ),
        en(
          'cyberwarzone',
          'Cyberwarzone',
          'https://cyberwarzone.com/',
          'https://cyberwarzone.com/feed/',
          'Cyber security and cyber warfare news.',
        ),
        en(
          'cisa-advisories',
          'Cybersecurity and Infrastructure Security Agency CISA',
          'https://www.cisa.gov/news-events/cybersecurity-advisories',
          'https://www.cisa.gov/cybersecurity-advisories/all.xml',
          'Alerts and advisories from the US Cybersecurity and Infrastructure Security Agency.',
        ),
        en(
          'tor-project',
          'Tor Project blog',
          'https://blog.torproject.org/',
          'https://blog.torproject.org/rss.xml',
          'News from the Tor Project.',
        ),
        en(
          'spread-privacy',
          'Spread Privacy',
          'https://spreadprivacy.com/',
          'https://spreadprivacy.com/rss/',
          "DuckDuckGo's blog about online privacy.",
        ),
        en(
          'malwarebytes',
          'Malwarebytes',
          'https://www.malwarebytes.com/blog',
          'https://www.malwarebytes.com/blog/feed/index.xml',
          'Threat research and security news from Malwarebytes Labs.',
        ),
        en(
          'proofpoint',
          'Proofpoint News Feed',
          'https://www.proofpoint.com/us',
          'https://www.proofpoint.com/us/rss.xml',
          'Threat research and news from Proofpoint.',
        ),
        en(
          'fox-it',
          'Fox-IT International blog',
          'https://blog.fox-it.com/',
          'https://blog.fox-it.com/feed/',
          'Incident response and threat research from Fox-IT.',
        ),
        en(
          'fortinet',
          'Fortinet All Blogs',
          'https://www.fortinet.com/blog',
          'https://feeds.fortinet.com/fortinet/blogs',
          'Every Fortinet blog, FortiGuard Labs threat research included.',
        ),
        en(
          'privacy-cybersecurity-law',
          'Privacy & Cybersecurity Law Blog',
          'https://www.hunton.com/privacy-and-cybersecurity-law-blog/',
          undefined,
          'Privacy and data security law, from Hunton Andrews Kurth.',
        ),
        en(
          'graham-cluley',
          'GRAHAM CLULEY',
          'https://grahamcluley.com/',
          'https://grahamcluley.com/feed/',
          'Computer security news and opinion.',
        ),
        zh(
          'qbitai',
          '量子位',
          'https://www.qbitai.com/',
          'https://www.qbitai.com/feed',
          '追踪人工智能新趋势，关注科技行业新突破。',
        ),
        zh(
          'oschina-news',
          'OSCHINA 社区最新新闻',
          'https://www.oschina.net/news',
          'https://www.oschina.net/news/rss',
          '开源中国社区的最新开源与技术资讯。',
        ),
        zh(
          'cnblogs-yexiaochai',
          '博客园 - 叶小钗',
          'https://www.cnblogs.com/yexiaochai/',
          'https://www.cnblogs.com/yexiaochai/rss',
          '前端与架构方面的技术博客。',
        ),
        en(
          'project-zero',
          'Project Zero',
          'https://googleprojectzero.blogspot.com/',
          'https://googleprojectzero.blogspot.com/feeds/posts/default',
          "Google's vulnerability research team.",
        ),
        en(
          'tailwind-blog',
          'Tailwind CSS Blog',
          'https://tailwindcss.com/blog',
          'https://tailwindcss.com/feeds/feed.xml',
          'Releases and articles from the Tailwind CSS team.',
        ),
        en(
          'netflix-techblog',
          'Netflix TechBlog - Medium',
          'https://netflixtechblog.com/',
          'https://netflixtechblog.com/feed',
          'How Netflix builds and runs its systems.',
        ),
        en(
          'martin-fowler',
          'Martin Fowler',
          'https://martinfowler.com/',
          'https://martinfowler.com/feed.atom',
          'Software design, architecture, refactoring and agile delivery.',
        ),
        en(
          'intellij-idea',
          'IntelliJ IDEA : IntelliJ IDEA – the Leading IDE for Professional Development in Java and Kotlin | The JetBrains Blog',
          'https://blog.jetbrains.com/idea/',
          'https://blog.jetbrains.com/idea/feed/',
          'News about IntelliJ IDEA from JetBrains.',
        ),
        en(
          'intezer',
          'Intezer',
          'https://intezer.com/blog/',
          'https://intezer.com/feed/',
          'Malware analysis and threat research from Intezer.',
        ),
        zh(
          'cnblogs-home',
          '博客园_首页',
          'https://www.cnblogs.com/',
          'https://feed.cnblogs.com/blog/sitehome/rss',
          '博客园首页的最新技术文章。',
        ),
        zh(
          'tencent-cdc',
          '腾讯CDC',
          'https://cdc.tencent.com/',
          'https://cdc.tencent.com/feed/',
          '腾讯用户研究与体验设计部的博客。',
        ),
        en(
          'hackread',
          'Hackread – Cybersecurity News, Data Breaches, AI and More',
          'https://www.hackread.com/',
          'https://www.hackread.com/feed/',
          'Cybersecurity news, data breaches and hacking.',
        ),
        en(
          'darknet',
          'Darknet – Hacking Tools, Hacker News & Cyber Security',
          'https://www.darknet.org.uk/',
          'https://www.darknet.org.uk/feed/',
          'Hacking tools and security news.',
        ),
        // The source the page has open beside its list.
        en(
          'dev-community',
          'DEV Community',
          'https://dev.to/',
          'https://dev.to/feed',
          'Articles by and for software developers.',
        ),
      ],
    },
  ],
};

function en(id: string, title: string, siteUrl: string, feedUrl: string | undefined, description: string): Feed {
  return { id, title, siteUrl, ...(feedUrl === undefined ? {} : { feedUrl }), description, language: 'en' };
}

function zh(id: string, title: string, siteUrl: string, feedUrl: string, description: string): Feed {
  return { id, title, siteUrl, feedUrl, description, language: 'zh-CN' };
}
