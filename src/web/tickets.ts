import crypto from 'node:crypto';
import type { Db } from '../db/db';
import type { Logger } from '../log';
import type { SharedTickets } from '../platform/types';

export interface TicketOptions {
  now: () => number;
  /** How long to wait between looks while another instance fetches (real time). */
  wait?: (ms: number) => Promise<void>;
  /** A ticket is fetched anew this long before it expires. */
  marginMs?: number;
  /** How long a lease holder has to fetch before another may try. */
  leaseMs?: number;
  /** How many looks before giving up. */
  looks?: number;
}

/**
 * Platform tickets kept in the database for their lifetime and shared by every instance
 * (docs/interface.md#pages): a fresh one is read; otherwise one instance takes the lease (a conditional
 * UPDATE) and fetches, the others wait for what it stores. So a ticket is fetched once per lifetime
 * however many requests, on however many instances, ask at once.
 */
export class DbTickets implements SharedTickets {
  private readonly owner = crypto.randomBytes(8).toString('hex');
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly o: TicketOptions,
  ) {}

  get(key: string, fetch: () => Promise<{ value: string; ttlMs: number }>): Promise<string> {
    // One look at a time per key within this instance; other instances meet at the lease.
    let p = this.inFlight.get(key);
    if (!p) {
      p = this.look(key, fetch).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, p);
    }
    return p;
  }

  private async look(key: string, fetch: () => Promise<{ value: string; ttlMs: number }>): Promise<string> {
    const margin = this.o.marginMs ?? 5 * 60 * 1000;
    const wait = this.o.wait ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let i = 0; i < (this.o.looks ?? 100); i++) {
      const now = this.o.now();
      const row = await this.db.read.pages.ticket(key);
      if (row?.value && row.expiresAt > now + margin) return row.value;
      const leased = await this.db.write((r) => r.pages.lease(key, this.owner, now, now + (this.o.leaseMs ?? 15_000), now + margin));
      if (leased) {
        try {
          const t = await fetch();
          await this.db.write((r) => r.pages.storeTicket(key, this.owner, t.value, this.o.now() + t.ttlMs, this.o.now()));
          this.log.info({ key, ttlS: Math.round(t.ttlMs / 1000) }, 'platform ticket fetched and shared');
          return t.value;
        } catch (e) {
          await this.db.write((r) => r.pages.releaseLease(key, this.owner));
          throw e;
        }
      }
      await wait(50);
    }
    throw new Error(`ticket ${key}: another instance holds the lease and has stored nothing`);
  }
}
