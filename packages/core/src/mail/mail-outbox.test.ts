import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scratchDirectories } from '../../../../test-support/scratch.js';
import { transactionScoped } from '../stores/sql/atomic.js';
import { openSqliteDatabase } from '../stores/sql/database.js';
import { SqlMailOutboxStore } from '../stores/sql/mail-outbox-store.js';
import type { Database } from '../stores/sql/schema.js';
import type { MailMessage, MailTransport } from './mail-message.js';
import { MailOutbox, type MailOutboxOptions } from './mail-outbox.js';
import { deriveMailKey, sealMail } from './mail-payload.js';

const scratch = scratchDirectories('gh-mail-outbox-');
const SECRET = 'mail-outbox-test-secret-mail-outbox-test-secret-0123456789';
const T0 = 1_800_000_000_000;

function captureLog() {
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'debug' },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { log, lines };
}

/** A transport that records what it was given and fails while `failures` > 0. */
class RecordingTransport implements MailTransport {
  readonly name = 'recording';
  readonly sent: MailMessage[] = [];
  attempts = 0;
  closed = false;

  constructor(
    public failures = 0,
    private readonly delayMs = 0,
    private readonly failWith = 'connect ECONNREFUSED 127.0.0.1:25',
  ) {}

  async send(message: MailMessage): Promise<void> {
    this.attempts += 1;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error(this.failWith);
    }
    this.sent.push(message);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

async function createOutboxTable(db: Kysely<Database>): Promise<void> {
  await db.schema
    .createTable('mail_outbox')
    .ifNotExists()
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('next_attempt_at', 'bigint', (col) => col.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('failed_at', 'bigint')
    .execute();
}

function message(n = 1): MailMessage {
  return {
    to: `alice${String(n)}@example.test`,
    subject: `Reset your password · Gatehouse #${String(n)}`,
    text: `Open https://app.example.test/reset-password#token=secret-token-${String(n)}\n`,
    html: `<a href="https://app.example.test/reset-password#token=secret-token-${String(n)}">reset</a>`,
  };
}

let filename: string;
let db: Kysely<Database>;
let now: number;
const opened: Kysely<Database>[] = [];
const outboxes: MailOutbox[] = [];

beforeEach(async () => {
  filename = join(scratch(), 'gatehouse.sqlite');
  db = openSqliteDatabase(filename);
  opened.push(db);
  await createOutboxTable(db);
  now = T0;
});

afterEach(async () => {
  for (const outbox of outboxes.splice(0)) await outbox.close();
  for (const database of opened.splice(0)) await database.destroy();
});

function outboxOn(
  database: Kysely<Database>,
  transport: MailTransport,
  options: Partial<MailOutboxOptions> = {},
): MailOutbox {
  const outbox = new MailOutbox({
    store: new SqlMailOutboxStore(database),
    transport,
    secret: SECRET,
    clock: () => now,
    log: captureLog().log,
    ...options,
  });
  outboxes.push(outbox);
  return outbox;
}

const rows = () => db.selectFrom('mail_outbox').selectAll().execute();

describe('MailOutbox', () => {
  it('sends in the background: enqueue returns once stored, idle() once sent', async () => {
    const transport = new RecordingTransport(0, 30);
    const outbox = outboxOn(db, transport);
    await outbox.enqueue(message(1));
    await outbox.enqueue(message(2));
    expect(transport.sent).toHaveLength(0); // the caller did not wait for SMTP
    await outbox.idle();
    expect(transport.sent).toEqual([message(1), message(2)]);
    expect(await rows()).toEqual([]);
  });

  it('stores the message encrypted: no address, subject or link in the table', async () => {
    const transport = new RecordingTransport(1, 0, '550 5.1.1 <alice1@example.test>: Recipient address rejected');
    const outbox = outboxOn(db, transport);
    await outbox.enqueue(message(1));
    await outbox.idle();
    const [row] = await rows();
    expect(row).toBeDefined();
    const stored = JSON.stringify(row);
    for (const secret of ['alice1@example.test', 'secret-token-1', 'Reset your password', 'app.example.test']) {
      expect(stored).not.toContain(secret);
    }
    expect(row?.payload.split('.')).toHaveLength(5); // a compact JWE
    expect(row?.last_error).toBe('550 5.1.1 <<address>>: Recipient address rejected');
  });

  it('retries after a transport failure, logging the failure without the message', async () => {
    const transport = new RecordingTransport(2);
    const { log, lines } = captureLog();
    const outbox = outboxOn(db, transport, { log, retryDelaysMs: [1_000, 2_000] });
    await outbox.enqueue(message(1));
    await outbox.idle();
    expect(transport.attempts).toBe(1);
    expect(await rows()).toMatchObject([{ attempts: 1, next_attempt_at: T0 + 1_000, failed_at: null }]);

    now += 999; // not due yet
    await outbox.idle();
    expect(transport.attempts).toBe(1);

    now += 1;
    await outbox.idle();
    expect(transport.attempts).toBe(2);
    expect(await rows()).toMatchObject([{ attempts: 2, next_attempt_at: T0 + 3_000 }]);

    now += 2_000;
    expect(await outbox.deliverDue()).toBe(1);
    expect(transport.sent).toEqual([message(1)]);
    expect(await rows()).toEqual([]);

    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({ attempt: 1, err: 'connect ECONNREFUSED 127.0.0.1:25' });
    expect(typeof warnings[0]?.mailId).toBe('string');
    const everything = JSON.stringify(lines);
    expect(everything).not.toContain('alice1@example.test');
    expect(everything).not.toContain('secret-token-1');
  });

  it('keeps a message every retry failed as dead, logged as an error, never deleted', async () => {
    const transport = new RecordingTransport(Number.POSITIVE_INFINITY);
    const { log, lines } = captureLog();
    const outbox = outboxOn(db, transport, { log, retryDelaysMs: [1_000] });
    await outbox.enqueue(message(1));
    await outbox.idle();
    now += 1_000;
    await outbox.idle();
    expect(transport.attempts).toBe(2);
    expect(await rows()).toMatchObject([
      { attempts: 2, failed_at: now, last_error: 'connect ECONNREFUSED 127.0.0.1:25' },
    ]);
    expect(lines.filter((line) => line.level === 50)).toMatchObject([{ msg: 'mail undeliverable', attempt: 2 }]);

    now += 86_400_000;
    expect(await outbox.deliverDue()).toBe(0);
    expect(transport.attempts).toBe(2);
    expect(await rows()).toHaveLength(1);
  });

  it('never sends a message twice from two instances sharing one database', async () => {
    // Two connections to one SQLite file, as two processes would have.
    const other = openSqliteDatabase(filename);
    opened.push(other);
    const key = deriveMailKey(SECRET);
    const storeA = new SqlMailOutboxStore(db);
    for (let n = 0; n < 40; n += 1) {
      const id = `mail-${String(n).padStart(2, '0')}`;
      const payload = await sealMail(id, message(n), key);
      await storeA.insert({
        id,
        createdAt: now,
        payload,
        attempts: 0,
        nextAttemptAt: now,
        leaseUntil: null,
        lastError: null,
        failedAt: null,
      });
    }
    const transportA = new RecordingTransport(0, 2);
    const transportB = new RecordingTransport(0, 2);
    const [sentA, sentB] = await Promise.all([
      outboxOn(db, transportA).deliverDue(),
      outboxOn(other, transportB).deliverDue(),
    ]);
    expect(sentA + sentB).toBe(40);
    expect(sentA).toBeGreaterThan(0);
    expect(sentB).toBeGreaterThan(0);
    const recipients = [...transportA.sent, ...transportB.sent].map((mail) => mail.to).sort();
    expect(new Set(recipients).size).toBe(40);
    expect(await rows()).toEqual([]);
  });

  it('lets only one of two racing claims take a row, and a leased row waits for its lease', async () => {
    const other = openSqliteDatabase(filename);
    opened.push(other);
    const storeA = new SqlMailOutboxStore(db);
    const storeB = new SqlMailOutboxStore(other);
    await storeA.insert({
      id: 'm1',
      createdAt: now,
      payload: 'x',
      attempts: 0,
      nextAttemptAt: now,
      leaseUntil: null,
      lastError: null,
      failedAt: null,
    });
    const claims = await Promise.all([storeA.claim('m1', now, now + 60_000), storeB.claim('m1', now, now + 60_000)]);
    expect(claims.filter((claim) => claim !== undefined)).toHaveLength(1);
    expect(await storeB.listDue(now + 59_999, 10)).toEqual([]);
    // The holder died mid-send: once the lease runs out another instance takes over.
    expect(await storeB.listDue(now + 60_001, 10)).toEqual(['m1']);
    expect(await storeB.claim('m1', now + 60_001, now + 120_001)).toMatchObject({
      id: 'm1',
      leaseUntil: now + 120_001,
    });
    // The first holder's late answer no longer counts: its lease was taken over.
    await storeA.complete('m1', now + 60_000);
    expect(await rows()).toHaveLength(1);
  });

  it('delivers leftovers from before a restart when started', async () => {
    const first = outboxOn(db, new RecordingTransport(Number.POSITIVE_INFINITY), { retryDelaysMs: [1_000] });
    await first.enqueue(message(1));
    await first.close();

    now += 1_000;
    const transport = new RecordingTransport();
    const second = outboxOn(db, transport);
    second.start();
    await second.idle();
    expect(transport.sent).toEqual([message(1)]);
  });

  it('sends nothing for a transaction that rolled back, and sends once it commits', async () => {
    const scoped = transactionScoped(db);
    const transport = new RecordingTransport();
    const outbox = outboxOn(scoped.db, transport);
    await expect(
      scoped.atomically(async () => {
        await outbox.enqueue(message(1));
        // Give a background send started from inside the transaction the time to (wrongly) run.
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('a later write failed');
      }),
    ).rejects.toThrow('a later write failed');
    await outbox.idle();
    expect(transport.attempts).toBe(0);
    expect(await rows()).toEqual([]);

    await scoped.atomically(() => outbox.enqueue(message(2)));
    await outbox.idle();
    expect(transport.sent).toEqual([message(2)]);
  });

  it('marks a payload it cannot decrypt as dead instead of retrying forever', async () => {
    const transport = new RecordingTransport();
    const { log, lines } = captureLog();
    const writer = outboxOn(db, new RecordingTransport(Number.POSITIVE_INFINITY), { secret: 'another-secret' });
    await writer.enqueue(message(1));
    await writer.close();
    const reader = outboxOn(db, transport, { log });
    expect(await reader.deliverDue()).toBe(0);
    expect(transport.attempts).toBe(0);
    expect(await rows()).toMatchObject([{ failed_at: now }]);
    expect(lines).toMatchObject([{ level: 50, msg: 'mail undeliverable' }]);
  });

  it('waits for a send in progress on close, then closes the transport', async () => {
    const transport = new RecordingTransport(0, 100);
    const outbox = outboxOn(db, transport);
    await outbox.enqueue(message(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await outbox.close();
    expect(transport.sent).toHaveLength(1);
    expect(transport.closed).toBe(true);
    await outbox.enqueue(message(2)); // stored for the next start, not sent by a closed outbox
    expect(await rows()).toHaveLength(1);
  });

  it('refuses a zero retry delay at construction', () => {
    expect(() => outboxOn(db, new RecordingTransport(), { retryDelaysMs: [0] })).toThrow(TypeError);
  });
});
