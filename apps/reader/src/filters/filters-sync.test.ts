import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GreaderTestClient } from '../sync/greader/greader-test-client.js';
import { createAppPassword, feverKey } from '../test-support/app-passwords.js';
import { serveEntries, ReaderUser } from '../test-support/filter-test-kit.js';
import { startFixtureFeedServer, type FixtureFeedServer } from '../test-support/fixture-feed-server.js';
import { startReaderTestServer, type ReaderTestServer } from '../test-support/reader-test-server.js';

let fixtures: FixtureFeedServer;
let server: ReaderTestServer;

beforeAll(async () => {
  fixtures = await startFixtureFeedServer();
  server = await startReaderTestServer({ fetchPolicy: { allowHosts: [fixtures.host], timeoutMs: 2000 } });
});

afterAll(async () => {
  await server.close();
  await fixtures.close();
});

const READING_LIST = 'user/-/state/com.google/reading-list';
const READ = 'user/-/state/com.google/read';

interface FeverBody {
  total_items?: number;
  items?: { id: number; title: string }[];
  unread_item_ids?: string;
}

/** A user reading one feed of three items, one of them ("Sponsored: …") hidden by a rule. */
async function filteredUser(path: string) {
  serveEntries(fixtures, path, [{ title: 'Kernel news' }, { title: 'Sponsored: buy this' }, { title: 'Compilers' }]);
  const user = await ReaderUser.signUp(server.origin);
  const subscriptionId = await user.subscribe(fixtures.url(path));
  const hidden = await user.itemByTitle('Sponsored: buy this');
  await user.createRule({ action: 'hide', fields: ['title'], keywords: ['sponsored'] });
  const app = await createAppPassword(user.browser);
  const greader = await GreaderTestClient.login(`${server.origin}/api/greader`, user.email, app.password);
  const fever = async (query: string): Promise<FeverBody> => {
    const response = await fetch(`${server.origin}/api/fever/?api&${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `api_key=${feverKey(app.feverLogin, app.password)}`,
    });
    expect(response.status).toBe(200);
    return (await response.json()) as FeverBody;
  };
  return { user, subscriptionId, hiddenId: Number(hidden.id), greader, fever };
}

describe('hidden items in the sync APIs', () => {
  it('are in no Google Reader stream nor unread count, yet can be marked by id', async () => {
    const { user, hiddenId, greader } = await filteredUser('/sync/greader.xml');
    const ids = await greader.getJson<{ itemRefs: { id: string }[] }>('/reader/api/0/stream/items/ids', {
      s: READING_LIST,
      n: '100',
    });
    expect(ids.itemRefs.map((ref) => Number(ref.id))).not.toContain(hiddenId);
    expect(ids.itemRefs).toHaveLength(2);
    const counts = await greader.getJson<{ unreadcounts: { id: string; count: number }[] }>(
      '/reader/api/0/unread-count',
      { output: 'json' },
    );
    expect(counts.unreadcounts.find((count) => count.id === READING_LIST)?.count).toBe(2);

    // A client that fetched the item before the rule can still mark it.
    await greader.postOk('/reader/api/0/edit-tag', [
      ['i', String(hiddenId)],
      ['a', READ],
    ]);
    await greader.postOk('/reader/api/0/mark-all-as-read', [['s', READING_LIST]]);
    expect((await user.items()).every((item) => item.read)).toBe(true);
  });

  it('are in no Fever list of items or unread ids, yet are returned when asked for by id', async () => {
    const { hiddenId, fever } = await filteredUser('/sync/fever.xml');
    const listed = await fever('items&unread_item_ids');
    expect(listed.total_items).toBe(2);
    expect(listed.items?.map((item) => item.title).sort()).toEqual(['Compilers', 'Kernel news']);
    expect(listed.unread_item_ids?.split(',').map(Number)).not.toContain(hiddenId);
    const byId = await fever(`items&with_ids=${String(hiddenId)}`);
    expect(byId.items?.map((item) => item.title)).toEqual(['Sponsored: buy this']);
  });
});
