import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { AuditEventType, AuditStore } from './stores/types.js';

export interface AuditContext {
  userId?: string | null;
  sessionId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  reason?: string | null;
}

/**
 * Writes auth events to the store and the security log. What goes in is chosen field by
 * field: ids, IP, user agent and a reason code, never a password, token, hash or body.
 */
export class AuditTrail {
  constructor(
    private readonly store: AuditStore,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  async record(type: AuditEventType, context: AuditContext = {}): Promise<void> {
    const event = {
      id: randomUUID(),
      type,
      at: this.clock(),
      userId: context.userId ?? null,
      sessionId: context.sessionId ?? null,
      ip: context.ip ?? null,
      userAgent: truncate(context.userAgent ?? null, 512),
      reason: context.reason ?? null,
    };
    this.log.info({
      event: type,
      userId: event.userId,
      sessionId: event.sessionId,
      ip: event.ip,
      reason: event.reason,
    });
    await this.store.record(event);
  }
}

function truncate(value: string | null, max: number): string | null {
  return value !== null && value.length > max ? value.slice(0, max) : value;
}
