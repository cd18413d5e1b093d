/** One queued message as stored: the payload is an encrypted MailMessage (see mail-outbox.ts). */
export interface QueuedMailRecord {
  id: string;
  createdAt: number;
  /** A compact JWE of the message JSON: addresses and single-use links never sit in clear. */
  payload: string;
  /** Failed delivery attempts so far. */
  attempts: number;
  nextAttemptAt: number;
  /** Set while one instance is sending it; others skip the row until the lease runs out. */
  leaseUntil: number | null;
  /** The last failure's message (addresses removed), for an operator. */
  lastError: string | null;
  /** Set when every retry failed: the row stays as a dead letter, never deleted silently. */
  failedAt: number | null;
}

export interface MailFailure {
  attempts: number;
  nextAttemptAt: number;
  lastError: string;
  /** Non-null marks the row dead: it is never claimed again. */
  failedAt: number | null;
}

export interface MailOutboxStore {
  insert(record: QueuedMailRecord): Promise<void>;
  /** Ids of live rows due at `now` (not dead, lease free or expired), oldest first. */
  listDue(now: number, limit: number): Promise<string[]>;
  /**
   * Takes the lease on one row if it is still due and free at `now`, atomically, so that two
   * instances never both send it. Returns the row as claimed, or undefined if another won.
   */
  claim(id: string, now: number, leaseUntil: number): Promise<QueuedMailRecord | undefined>;
  /** Deletes a sent row, only if this claim (`leaseUntil`) still holds it. */
  complete(id: string, leaseUntil: number): Promise<void>;
  /** Records a failed attempt and releases the lease, only if this claim still holds it. */
  fail(id: string, leaseUntil: number, failure: MailFailure): Promise<void>;
}
