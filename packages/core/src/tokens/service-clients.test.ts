import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secureRandom, sha256Hex } from '../crypto.js';
import { GatehouseError } from '../errors.js';
import { openSqliteStores } from '../stores/sql/index.js';
import type { GatehouseStores } from '../stores/types.js';
import { ServiceClients, type RegisterServiceClientInput } from './service-clients.js';
import { scratchDirectories } from '../../../../test-support/scratch.js';

const scratchDirectory = scratchDirectories();

let file: string;
let stores: GatehouseStores;
let now: number;
const clock = () => now;
let clients: ServiceClients;

function storedRow(id: string): Record<string, unknown> | undefined {
  const db = new SQLite(file);
  try {
    return db.prepare('SELECT * FROM service_clients WHERE id = ?').get(id) as Record<string, unknown> | undefined;
  } finally {
    db.close();
  }
}

/** Every byte SQLite wrote: the main file and its write-ahead log. */
function storedBytes(): string {
  return [file, `${file}-wal`]
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path).toString('latin1'))
    .join('');
}

const billing: RegisterServiceClientInput = {
  name: 'Billing worker',
  audiences: ['https://feeds.internal', 'urn:gatehouse:search'],
  scopes: ['feeds:read', 'search.index'],
};

beforeEach(async () => {
  file = join(scratchDirectory(), 'db.sqlite');
  stores = await openSqliteStores(file);
  now = Date.UTC(2026, 10, 1, 12, 0, 0);
  clients = new ServiceClients({ store: stores.serviceClients, clock, random: secureRandom });
});

afterEach(async () => {
  await stores.close();
});

describe('ServiceClients.register and authenticate', () => {
  it('registers a client whose id and secret authenticate', async () => {
    const { client, clientSecret } = await clients.register(billing);

    expect(client.id).toMatch(/^svc_[0-9a-f]{24}$/);
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client).toEqual({
      id: client.id,
      name: 'Billing worker',
      audiences: billing.audiences,
      scopes: billing.scopes,
      createdAt: new Date(now).toISOString(),
    });

    const authenticated = await clients.authenticate(client.id, clientSecret);
    expect(authenticated).toMatchObject({ id: client.id, audiences: billing.audiences, scopes: billing.scopes });
    expect(authenticated?.revokedAt).toBeNull();
  });

  it('defaults scopes to none', async () => {
    const { client, clientSecret } = await clients.register({ name: 'n', audiences: ['a'] });
    expect(client.scopes).toEqual([]);
    expect((await clients.authenticate(client.id, clientSecret))?.scopes).toEqual([]);
  });

  it('stores only the SHA-256 of the secret', async () => {
    const { client, clientSecret } = await clients.register({ ...billing, name: 'marker-client-9c1e' });

    expect(storedRow(client.id)?.secret_hash).toBe(sha256Hex(clientSecret));
    // Positive control: the name is found in the raw file, so the secret would be too if it were there.
    const bytes = storedBytes();
    expect(bytes).toContain('marker-client-9c1e');
    expect(bytes).not.toContain(clientSecret);
  });

  it('refuses a wrong secret, including one differing in a single character', async () => {
    const { client, clientSecret } = await clients.register(billing);
    const other = await clients.register({ ...billing, name: 'other' });

    const oneOff = clientSecret.slice(0, -1) + (clientSecret.endsWith('A') ? 'B' : 'A');
    expect(await clients.authenticate(client.id, oneOff)).toBeUndefined();
    expect(await clients.authenticate(client.id, other.clientSecret)).toBeUndefined();
    expect(await clients.authenticate(client.id, sha256Hex(clientSecret))).toBeUndefined(); // the stored hash is no secret
  });

  it('refuses an unknown id and malformed or oversized input without throwing', async () => {
    const { client, clientSecret } = await clients.register(billing);
    const attempts: [string, string][] = [
      [`svc_${'0'.repeat(24)}`, clientSecret],
      ['', clientSecret],
      [client.id, ''],
      ['__proto__', clientSecret],
      [client.id.toUpperCase(), clientSecret],
      [`${client.id} `, clientSecret],
      [client.id, `${clientSecret}=`],
      [client.id, 'x'.repeat(1_000_000)],
      ['x'.repeat(1_000_000), clientSecret],
    ];
    for (const [id, secret] of attempts) expect(await clients.authenticate(id, secret)).toBeUndefined();
  });
});

describe('ServiceClients.revoke and list', () => {
  it('stops a revoked client and leaves it out of the list', async () => {
    const first = await clients.register({ ...billing, name: 'first' });
    now += 1000;
    const second = await clients.register({ ...billing, name: 'second' });

    expect((await clients.list()).map((client) => client.name)).toEqual(['first', 'second']);
    expect(await clients.revoke(first.client.id)).toBe(true);
    expect(await clients.revoke(first.client.id)).toBe(false);
    expect(await clients.revoke('svc_unknown')).toBe(false);

    expect(await clients.authenticate(first.client.id, first.clientSecret)).toBeUndefined();
    expect(storedRow(first.client.id)?.revoked_at).toBe(now);
    expect(await clients.authenticate(second.client.id, second.clientSecret)).toBeDefined();
    expect(await clients.list()).toEqual([second.client]);
  });

  it('never lists the secret or its hash', async () => {
    const { clientSecret } = await clients.register(billing);
    const serialized = JSON.stringify(await clients.list());
    expect(serialized).not.toContain(clientSecret);
    expect(serialized).not.toContain(sha256Hex(clientSecret));
    expect(serialized).not.toMatch(/secretHash/);
  });
});

describe('ServiceClients.register validation', () => {
  const cases: [string, unknown, string][] = [
    ['blank name', { ...billing, name: ' ' }, 'name'],
    ['name too long', { ...billing, name: 'n'.repeat(101) }, 'name'],
    ['no audiences', { ...billing, audiences: [] }, 'audiences'],
    ['missing audiences', { name: 'n' }, 'audiences'],
    ['wildcard audience', { ...billing, audiences: ['*'] }, 'audiences.0'],
    ['audience with a wildcard inside', { ...billing, audiences: ['https://*.internal'] }, 'audiences.0'],
    ['audience with whitespace', { ...billing, audiences: ['a', 'two words'] }, 'audiences.1'],
    ['audience with a newline', { ...billing, audiences: ['a\n'] }, 'audiences.0'],
    ['empty audience', { ...billing, audiences: [''] }, 'audiences.0'],
    ['audience too long', { ...billing, audiences: ['a'.repeat(201)] }, 'audiences.0'],
    [
      'eleven audiences',
      { ...billing, audiences: Array.from({ length: 11 }, (_, i) => `aud${String(i)}`) },
      'audiences',
    ],
    ['repeated audience', { ...billing, audiences: ['a', 'a'] }, 'audiences'],
    ['uppercase scope', { ...billing, scopes: ['Read'] }, 'scopes.0'],
    ['scope starting with a digit', { ...billing, scopes: ['1read'] }, 'scopes.0'],
    ['scope too long', { ...billing, scopes: [`a${'b'.repeat(64)}`] }, 'scopes.0'],
    ['repeated scope', { ...billing, scopes: ['read', 'read'] }, 'scopes'],
  ];

  it.each(cases)('refuses %s, naming the field and storing nothing', async (_label, input, field) => {
    const error = await clients.register(input as RegisterServiceClientInput).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GatehouseError);
    expect((error as GatehouseError).code).toBe('validation_failed');
    expect(Object.keys((error as GatehouseError).fields ?? {})).toContain(field);
    expect(await clients.list()).toEqual([]);
  });

  it('accepts the longest valid values', async () => {
    const { client } = await clients.register({
      name: 'n'.repeat(100),
      audiences: Array.from({ length: 10 }, (_, i) => `${String(i)}${'a'.repeat(199)}`),
      scopes: [`a${'b'.repeat(63)}`],
    });
    expect(client.audiences).toHaveLength(10);
  });
});
