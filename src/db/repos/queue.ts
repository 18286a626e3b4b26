import type { Db } from '../db';
import { affected } from '../data-source';
import { InboundDeliveryRow, OutboxRow } from '../entities';

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
}

export const DELIVERY_QUEUE: QueueShape<InboundDeliveryRow> = { entity: InboundDeliveryRow, table: 'inbound_delivery', ready: 'received', claimed: 'processing', failed: 'failed', errorColumn: 'error' };
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

  /** Takes the row for `lockMs`, counting the attempt; false when another worker has it. */
  async claim(row: Row, now: number, lockMs: number): Promise<boolean> {
    const r = await this.write(() =>
      this.db.ds
        .createQueryBuilder()
        .update(this.shape.entity)
        .set({ status: this.shape.claimed, lockedUntil: now + lockMs, attempts: () => 'attempts + 1' } as never)
        .where('id = :id AND status = :s', { id: row.id, s: this.shape.ready })
        .execute(),
    );
    if (affected(r) !== 1) return false;
    row.status = this.shape.claimed;
    row.attempts += 1;
    return true;
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
