/** Generated feeds: realistic item HTML (links, images, a script to strip), unique per feed and item. */

const PARAGRAPH =
  'Gatehouse keeps tokens out of reach of page scripts, and the reader fetches feeds for everyone who ' +
  'subscribes to them. <a href="/relative/link">A relative link</a>, an <em>emphasis</em>, some <code>code</code>.';

function itemHtml(feed: number, item: number, bytes: number): string {
  const parts = [
    `<p>Item ${String(item)} of feed ${String(feed)}.</p>`,
    `<img src="https://img.example.test/${String(feed)}/${String(item)}.png" alt="figure" onerror="alert(1)">`,
    '<script>document.cookie</script>',
  ];
  let size = parts.join('').length;
  while (size < bytes) {
    const paragraph = `<p>${PARAGRAPH}</p>`;
    parts.push(paragraph);
    size += paragraph.length;
  }
  return parts.join('\n');
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An RSS 2.0 document with `items` items of about `bytesPerItem` bytes of HTML each. */
export function rssFeed(feed: number, items: number, bytesPerItem: number): string {
  const published = Date.UTC(2026, 0, 1);
  const entries = Array.from({ length: items }, (_, item) => {
    const link = `https://site${String(feed)}.example.test/posts/${String(item)}`;
    return [
      '<item>',
      `<title>Post ${String(item)} on site ${String(feed)}</title>`,
      `<link>${link}</link>`,
      `<guid isPermaLink="true">${link}</guid>`,
      `<pubDate>${new Date(published - item * 3_600_000).toUTCString()}</pubDate>`,
      `<description>${escapeXml(itemHtml(feed, item, bytesPerItem))}</description>`,
      '</item>',
    ].join('');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0"><channel>',
    `<title>Site ${String(feed)}</title><link>https://site${String(feed)}.example.test/</link>`,
    '<description>A generated feed</description>',
    ...entries,
    '</channel></rss>',
  ].join('\n');
}
