/**
 * The sandbox's event queues, one per tenant, with long-poll waiters. Ids look like Scalepoint's
 * (`_122047`) and grow across all tenants. Retention (assumed): everything is kept in memory.
 */

export type StoredEvent = {
  id: string;
  seq: number;
  type: string;
  timestamp: string;
  attributes: Record<string, unknown>;
};

export const FIRST_SEQUENCE = 122_000;

export function eventIdOf(seq: number): string {
  return `_${seq}`;
}

/** `_122047` → 122047; anything else → undefined. */
export function sequenceOf(eventId: string): number | undefined {
  const match = /^_(\d{1,15})$/.exec(eventId);
  return match ? Number(match[1]) : undefined;
}

type Waiter = { tenant: string; wake: () => void };

export class EventLog {
  private lastSeq: number;
  private readonly byTenant = new Map<string, StoredEvent[]>();
  private readonly waiters = new Set<Waiter>();

  constructor(initial?: { lastSeq: number; events: Record<string, StoredEvent[]> }) {
    this.lastSeq = initial?.lastSeq ?? FIRST_SEQUENCE;
    for (const [tenant, events] of Object.entries(initial?.events ?? {}))
      this.byTenant.set(tenant, [...events]);
  }

  hasTenant(tenant: string): boolean {
    return this.byTenant.has(tenant);
  }

  append(
    tenant: string,
    items: { type: string; attributes: Record<string, unknown> }[],
    now: Date,
  ): StoredEvent[] {
    const list = this.byTenant.get(tenant) ?? [];
    this.byTenant.set(tenant, list);
    const stored = items.map((item) => {
      const seq = ++this.lastSeq;
      return {
        id: eventIdOf(seq),
        seq,
        type: item.type,
        timestamp: now.toISOString(),
        attributes: item.attributes,
      };
    });
    list.push(...stored);
    for (const waiter of [...this.waiters]) if (waiter.tenant === tenant) waiter.wake();
    return stored;
  }

  /** Events after `afterSeq` (all retained events when undefined), oldest first, at most `limit`. */
  after(tenant: string, afterSeq: number | undefined, limit: number): StoredEvent[] {
    const list = this.byTenant.get(tenant) ?? [];
    const from = afterSeq === undefined ? 0 : list.findIndex((e) => e.seq > afterSeq);
    return from < 0 ? [] : list.slice(from, from + limit);
  }

  /** Resolves when an event for the tenant is appended, the time passes, or `cancel` fires. */
  wait(tenant: string, ms: number, onCancel: (cancel: () => void) => void): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = { tenant, wake: () => done() };
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve();
      };
      this.waiters.add(waiter);
      onCancel(done);
    });
  }

  wakeAll(): void {
    for (const waiter of [...this.waiters]) waiter.wake();
  }

  snapshot(): { lastSeq: number; events: Record<string, StoredEvent[]> } {
    return { lastSeq: this.lastSeq, events: Object.fromEntries(this.byTenant) };
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.byTenant].map(([tenant, list]) => [tenant, list.length]));
  }
}
