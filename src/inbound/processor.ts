import crypto from 'node:crypto';
import type { InboundDeliveryRow } from '../db/entities';
import { senderKey } from '../db/keys';
import { DELIVERY_QUEUE, QueueStore } from '../db/repos/queue';
import type { AppDeps } from '../operations/tx';
import { inTx } from '../operations/tx';
import type { AdapterContext, Delivery, InboundEvent } from '../platform/types';
import { Handled, QueueOptions, QueueWorker } from '../queue/worker';
import { handleEvent } from './dispatch';

export type ProcessorOptions = Pick<QueueOptions, 'backoffMs' | 'lockMs' | 'pollMs'>;

/**
 * The key as stored (the column holds 191 characters): a longer one keeps its start and gets a hash
 * of the whole, so two keys that differ only at the end (e.g. a tap's CreateTime) stay distinct.
 */
export function dedupeColumn(key: string): string {
  if (key.length <= 191) return key;
  return `${key.slice(0, 150)}#${crypto.createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/**
 * One sender's deliveries in arrival order: a delivery waits while an earlier one of the same sender is
 * being processed or waiting with fewer than two attempts (one that keeps failing stops holding the
 * rest back after its second failure). The claim's sender lease (src/db/repos/queue.ts) makes it one
 * at a time across instances, whatever each pass read.
 */
const SENDER_ORDER = `NOT EXISTS (SELECT 1 FROM inbound_delivery p WHERE p.sender_key = q.sender_key AND p.id < q.id
  AND (p.status = 'processing' OR (p.status = 'received' AND p.attempts < 2)))`;

const BUSY_WINDOW_MS = 100;
const BUSY_PAUSE_MS = 50;

export const DEFAULT_PROCESSOR_OPTIONS: ProcessorOptions = {
  backoffMs: [1_000, 10_000, 60_000, 300_000, 1_800_000],
  lockMs: 120_000,
  pollMs: 5_000,
};

/**
 * Ack first, work after. `ingest` stores a delivery under its unique dedupe key — the only thing a
 * platform callback waits for — and a durable queue (src/queue/worker.ts) works through the stored
 * deliveries in order, one transaction each, the delivery marked done in the same transaction as its
 * effects. A delivery that fails is retried with backoff and, after the last attempt, kept as
 * `failed` (listed by the API): nothing acknowledged is lost.
 */
export class Inbound {
  readonly worker: QueueWorker<InboundDeliveryRow>;
  private readonly store: QueueStore<InboundDeliveryRow>;
  /** Wall-clock time of the last stored delivery (scheduling only, not a rule: hence not the injected clock). */
  private lastIngest = 0;

  constructor(
    private readonly deps: AppDeps,
    private readonly adapterContext: () => AdapterContext,
    opts: Partial<ProcessorOptions> = {},
  ) {
    this.store = new QueueStore(deps.db, DELIVERY_QUEUE);
    this.worker = new QueueWorker(
      this.store,
      (row) => this.process(row),
      deps.clock,
      deps.log,
      { ...DEFAULT_PROCESSOR_OPTIONS, ...opts, batch: 50, concurrency: 1, kickDebounceMs: 0 },
      {
        fields: (row) => ({ deliveryId: row.id, platform: row.platform, kind: row.kind }),
        messages: { retry: 'processing failed; will retry', failed: 'delivery failed for good; kept as failed' },
        pause: () => this.breathe(),
        dueWhere: SENDER_ORDER,
      },
    );
  }

  /**
   * Store a delivery; 'duplicate' when nothing was stored: its key was seen before, or it is a tap on
   * a card we never issued (a card's row commits before the card is sent, so a genuine tap always
   * finds it). Never throws on duplicates.
   */
  async ingest(d: Delivery): Promise<'stored' | 'duplicate'> {
    const { db, log } = this.deps;
    const now = this.deps.clock.now().getTime();
    if (d.event.type === 'card_action' && !(d.event.taskId.length <= 128 && (await db.read.cards.issued(d.event.taskId)))) {
      log.warn({ reason: 'card event for a TaskId we never issued', taskId: d.event.taskId.slice(0, 140), platform: d.event.platform, from: d.event.senderId }, 'delivery ignored');
      return 'duplicate';
    }
    const stored = await db.insertUnique('inbound_delivery', {
      dedupe_key: dedupeColumn(d.dedupeKey),
      platform: d.event.platform,
      kind: d.event.type,
      payload: JSON.stringify(d.event),
      sender_key: 'senderId' in d.event && d.event.senderId ? senderKey(d.event.platform, d.event.senderId) : null,
      status: 'received',
      attempts: 0,
      received_at: now,
      next_attempt_at: now,
    });
    if (!stored) {
      log.info({ dedupeKey: d.dedupeKey }, 'duplicate delivery ignored');
      return 'duplicate';
    }
    this.lastIngest = Date.now();
    this.worker.kick();
    return 'stored';
  }

  start(): void {
    this.worker.start();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  /** Processes everything due now (tests call this instead of waiting). */
  drain(): Promise<void> {
    return this.worker.drain();
  }

  runOnce(): Promise<number> {
    return this.worker.runOnce();
  }

  /** How many stored deliveries are due now. */
  due(): Promise<number> {
    return this.store.countDue(this.deps.clock.now().getTime());
  }

  /** Whether callbacks are pouring in right now (one stored in the last 100 ms): background work steps aside. */
  busy(): boolean {
    return Date.now() - this.lastIngest < BUSY_WINDOW_MS;
  }

  /**
   * Ack first, work after — also under load. On SQLite every query resolves at once, so without a
   * pause a backlog would be worked through as one chain of microtasks with the HTTP acks waiting
   * behind it. Between deliveries the worker gives the event loop back; while callbacks are still
   * pouring in (one in the last 100 ms) it steps aside for 50 ms, so acknowledging keeps priority and
   * the backlog drains once the burst is over. Nothing is dropped: stored deliveries just wait.
   */
  private breathe(): Promise<void> {
    return new Promise((r) => (this.busy() ? setTimeout(r, BUSY_PAUSE_MS) : setImmediate(r)));
  }

  private async process(row: InboundDeliveryRow): Promise<Handled> {
    const ev = row.payload as InboundEvent;
    const log = this.deps.log.child({ deliveryId: row.id, platform: row.platform, kind: row.kind });
    const adapter = this.deps.platforms.get(ev.platform);
    if (ev.type === 'pull') {
      if (!adapter?.pull) throw new Error(`platform ${ev.platform} cannot pull`);
      await adapter.pull(ev, this.adapterContext());
      await this.deps.db.write((r) => r.deliveries.finish(row.id, { status: 'done', error: null, at: this.deps.clock.now().getTime() }));
      return { done: true };
    }
    if (ev.type === 'card_action') await adapter?.noteCardAction?.(ev, this.adapterContext());
    const outcome = await inTx(this.deps, log, async (tx) => {
      const o = await handleEvent(tx, ev, row.receivedAt);
      await tx.deliveries.finish(row.id, { status: o.status === 'done' ? 'done' : 'ignored', error: o.status === 'ignored' ? o.reason : null, at: tx.now });
      return o;
    });
    if (outcome.status === 'ignored') log.info({ reason: outcome.reason }, 'delivery ignored');
    return { done: true };
  }
}
