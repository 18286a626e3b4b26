import crypto from 'node:crypto';
import type { Db } from '../db';
import { affected } from '../data-source';
import { InboundDeliveryRow, OutboxRow, SenderLeaseRow } from '../entities';

/** A table worked through as a durable queue: what its statuses and error column are called. */
export interface QueueShape<Row> {
  entity: new () => Row;
  table: string;
  /** Waiting to be worked on. */
  ready: string;
  /** Claimed by a worker until `locked_until`. */
  claimed: string;
  failed: string;
  errorColumn: 'error' | 'lastError';
  /**
   * Rows with the same value here are worked on one at a time across every worker and instance: a
   * claim first takes that value's lease in `sender_lease` (docs/interface.md#instances).
   */
  serialBy?: 'senderKey';
}

export const DELIVERY_QUEUE: QueueShape<InboundDeliveryRow> = {
  entity: InboundDeliveryRow, table: 'inbound_delivery', ready: 'received', claimed: 'processing', failed: 'failed', errorColumn: 'error', serialBy: 'senderKey',
};
export const OUTBOX_QUEUE: QueueShape<OutboxRow> = { entity: OutboxRow, table: 'outbox_message', ready: 'pending', claimed: 'sending', failed: 'failed', errorColumn: 'lastError' };

interface QueueRow {
  id: number;
  status: string;
  attempts: number;
  nextAttemptAt: number;
  lockedUntil: number | null;
}

/**
 * The SQL of a durable queue (src/queue/worker.ts runs the loop): rows are claimed with a lease — a
 * conditional UPDATE, so of two workers (or two instances) one gets a row — and counted as an attempt
 * when claimed, so a row that crashes its worker is not retried for ever. A lease that runs out (the
 * worker died) puts the row back.
 */
export class QueueStore<Row extends QueueRow> {
  constructor(
    private readonly db: Db,
    readonly shape: QueueShape<Row>,
  ) {}

  private get repo() {
    return this.db.ds.getRepository(this.shape.entity);
  }

  private write<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.exclusive(fn);
  }

  /** Rows whose lease ran out go back to the queue. */
  async reclaimExpired(now: number): Promise<number> {
    const r = await this.write(() =>
      this.db.ds
        .createQueryBuilder()
        .update(this.shape.entity)
        .set({ status: this.shape.ready, lockedUntil: null } as never)
        .where('status = :s AND locked_until < :now', { s: this.shape.claimed, now })
        .execute(),
    );
    return affected(r);
  }

  /** Up to `limit` rows due at `now`, oldest first; `where` narrows them (e.g. ordering per recipient). */
  due(now: number, limit: number, where?: string): Promise<Row[]> {
    const q = this.repo
      .createQueryBuilder('q')
      .where('q.status = :s AND q.next_attempt_at <= :now', { s: this.shape.ready, now })
      .orderBy('q.id', 'ASC')
      .limit(limit);
    if (where) q.andWhere(where);
    return q.getMany();
  }

  /**
   * Takes the row for `lockMs`, counting the attempt; false when another worker has it — or, for a
   * serialized queue, when another row of the same sender is being worked on (its lease is live).
   */
  async claim(row: Row, now: number, lockMs: number): Promise<boolean> {
    const serial = this.serialOf(row);
    if (serial && !(await this.takeLease(serial, this.leaseOwner(row), now, now + lockMs))) return false;
    const r = await this.write(() =>
      this.db.ds
        .createQueryBuilder()
        .update(this.shape.entity)
        .set({ status: this.shape.claimed, lockedUntil: now + lockMs, attempts: () => 'attempts + 1' } as never)
        .where('id = :id AND status = :s', { id: row.id, s: this.shape.ready })
        .execute(),
    );
    if (affected(r) !== 1) {
      await this.release(row);
      return false;
    }
    row.status = this.shape.claimed;
    row.attempts += 1;
    return true;
  }

  /** Done with the row for now (finished, back in the queue or failed): its sender's next row may be taken. */
  async release(row: Row): Promise<void> {
    const serial = this.serialOf(row);
    if (!serial) return;
    await this.write(() => this.db.ds.createQueryBuilder().delete().from(SenderLeaseRow).where('sender_key = :k AND owner = :o', { k: serial, o: this.leaseOwner(row) }).execute());
  }

  /**
   * Who holds a sender's lease: this store (one per process) and the row. Two instances trying the same
   * row get different owners, so the one whose claim lost never releases the winner's lease.
   */
  private leaseOwner(row: Row): string {
    return `${this.shape.table}:${row.id}:${this.nonce}`;
  }

  private readonly nonce = crypto.randomBytes(6).toString('hex');

  private serialOf(row: Row): string | null {
    const k = this.shape.serialBy ? (row as unknown as Record<string, unknown>)[this.shape.serialBy] : null;
    return typeof k === 'string' && k ? k : null;
  }

  /** The sender's lease for `owner` until `until`: a conditional UPDATE of a lapsed lease, else a unique INSERT; one of two wins. */
  private async takeLease(key: string, owner: string, now: number, until: number): Promise<boolean> {
    const r = await this.write(() =>
      this.db.ds
        .createQueryBuilder()
        .update(SenderLeaseRow)
        .set({ owner, lockedUntil: until })
        .where('sender_key = :key AND (locked_until < :now OR owner = :owner)', { key, now, owner })
        .execute(),
    );
    if (affected(r) === 1) return true;
    return this.db.insertUnique('sender_lease', { sender_key: key, owner, locked_until: until });
  }

  /** Rows waiting, by platform (e.g. for a platform that is not configured). */
  async countByPlatform(): Promise<Record<string, number>> {
    const rows: { platform: string; n: string | number }[] = await this.repo
      .createQueryBuilder('q')
      .select('q.platform', 'platform')
      .addSelect('COUNT(*)', 'n')
      .where('q.status = :s', { s: this.shape.ready })
      .groupBy('q.platform')
      .getRawMany();
    return Object.fromEntries(rows.map((r) => [r.platform, Number(r.n)]));
  }

  async set(id: number, patch: Partial<Row>): Promise<void> {
    await this.write(() => this.repo.update({ id } as never, patch as never));
  }

  /** Back to the queue, to be tried at `at`; `countAttempt: false` gives the claim's attempt back (e.g. paced). */
  async later(row: Row, at: number, o: { error?: string; countAttempt: boolean }): Promise<void> {
    const attempts = o.countAttempt ? row.attempts : row.attempts - 1;
    await this.set(row.id, { status: this.shape.ready, attempts, nextAttemptAt: at, lockedUntil: null, ...(o.error !== undefined ? { [this.shape.errorColumn]: o.error } : {}) } as never);
  }

  async fail(row: Row, error: string): Promise<void> {
    await this.set(row.id, { status: this.shape.failed, lockedUntil: null, [this.shape.errorColumn]: error } as never);
  }

  async countDue(now: number): Promise<number> {
    return this.repo.createQueryBuilder('q').where('q.status = :s AND q.next_attempt_at <= :now', { s: this.shape.ready, now }).getCount();
  }
}
