import crypto from 'node:crypto';
import { Db } from '../db/db';
import { affected } from '../db/data-source';
import { CardRow, InboundDeliveryRow } from '../db/entities';
import { Logger } from '../log';
import type { AdapterContext, Delivery, InboundEvent, PlatformAdapter, PlatformName } from '../platform/types';
import { AppDeps, inTx } from '../services/context';
import { handleEvent } from '../services/dispatch';

export interface ProcessorOptions {
  backoffMs: number[];
  lockMs: number;
  pollMs: number;
}

/**
 * The key as stored (the column holds 191 characters): a longer one keeps its start and gets a hash
 * of the whole, so two keys that differ only at the end (e.g. a tap's CreateTime) stay distinct.
 */
export function dedupeColumn(key: string): string {
  if (key.length <= 191) return key;
  return `${key.slice(0, 150)}#${crypto.createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

const BUSY_WINDOW_MS = 100;
const BUSY_PAUSE_MS = 50;

export const DEFAULT_PROCESSOR_OPTIONS: ProcessorOptions = {
  backoffMs: [1_000, 10_000, 60_000, 300_000, 1_800_000],
  lockMs: 120_000,
  pollMs: 5_000,
};

/**
 * Ack first, work after. `ingest` stores a delivery under its unique dedupe key — the only thing a
 * platform callback waits for — and `InboundProcessor` works through stored deliveries in order,
 * one transaction each. A delivery that fails is retried with backoff and, after the last attempt,
 * kept as `failed` (listed by the API): nothing acknowledged is lost.
 */
export class Inbound {
  private readonly opts: ProcessorOptions;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  /** Wall-clock time of the last stored delivery (scheduling only, not a rule: hence not the injected clock). */
  private lastIngest = 0;
  /** Called after a delivery's transaction commits (the outbox worker's kick). */
  onCommitted: () => void = () => undefined;

  constructor(
    private readonly deps: AppDeps,
    private readonly adapters: Map<PlatformName, PlatformAdapter>,
    private readonly adapterContext: () => AdapterContext,
    opts: Partial<ProcessorOptions> = {},
  ) {
    this.opts = { ...DEFAULT_PROCESSOR_OPTIONS, ...opts };
  }

  private get db(): Db {
    return this.deps.db;
  }

  private get log(): Logger {
    return this.deps.log;
  }

  /**
   * Store a delivery; 'duplicate' when nothing was stored: its key was seen before, or it is a tap on
   * a card we never issued (a card's row commits before the card is sent, so a genuine tap always
   * finds it). Never throws on duplicates.
   */
  async ingest(d: Delivery): Promise<'stored' | 'duplicate'> {
    const now = this.deps.clock.now().getTime();
    if (d.event.type === 'card_action' && !(await this.cardIssued(d.event.taskId))) {
      this.log.warn({ reason: 'card event for a TaskId we never issued', taskId: d.event.taskId.slice(0, 140), platform: d.event.platform, from: d.event.senderId }, 'delivery ignored');
      return 'duplicate';
    }
    const stored = await this.db.insertUnique('inbound_delivery', {
      dedupe_key: dedupeColumn(d.dedupeKey),
      platform: d.event.platform,
      kind: d.event.type,
      payload: JSON.stringify(d.event),
      status: 'received',
      attempts: 0,
      received_at: now,
      next_attempt_at: now,
    });
    if (!stored) {
      this.log.info({ dedupeKey: d.dedupeKey }, 'duplicate delivery ignored');
      return 'duplicate';
    }
    this.lastIngest = Date.now();
    this.kick();
    return 'stored';
  }

  private async cardIssued(taskId: string): Promise<boolean> {
    return taskId.length <= 128 && this.db.ds.getRepository(CardRow).existsBy({ taskId });
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Let the HTTP answer go out before the work starts.
    this.running = new Promise<void>((r) => setImmediate(r))
      .then(() => this.loop())
      .finally(() => {
        this.running = null;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          this.timer = setTimeout(() => this.kick(), this.opts.pollMs);
          this.timer.unref();
        }
      });
  }

  private async loop(): Promise<void> {
    try {
      while (!this.stopped && (await this.runOnce(50, true)) > 0);
    } catch (e) {
      this.log.error({ err: e }, 'inbound loop failed; will retry at next poll');
    }
  }

  /** Processes everything due now (tests call this instead of waiting). */
  async drain(): Promise<void> {
    while ((await this.runOnce()) > 0);
  }

  async runOnce(limit = 50, background = false): Promise<number> {
    const now = this.deps.clock.now().getTime();
    const repo = this.db.ds.getRepository(InboundDeliveryRow);
    await this.db.exclusive(() =>
      this.db.ds
        .createQueryBuilder()
        .update(InboundDeliveryRow)
        .set({ status: 'received', lockedUntil: null })
        .where('status = :s AND locked_until < :now', { s: 'processing', now })
        .execute(),
    );
    const due = await repo
      .createQueryBuilder('d')
      .where('d.status = :s AND d.next_attempt_at <= :now', { s: 'received', now })
      .orderBy('d.id', 'ASC')
      .limit(limit)
      .getMany();
    let n = 0;
    for (const row of due) {
      if (await this.claim(row.id, now)) {
        await this.process(row);
        await this.breathe(background);
        n++;
      }
    }
    return n;
  }

  /**
   * Ack first, work after — also under load. On SQLite every query resolves at once, so without a
   * pause a backlog would be worked through as one chain of microtasks with the HTTP acks waiting
   * behind it. Between deliveries the worker gives the event loop back; while callbacks are still
   * pouring in (one in the last 100 ms) it steps aside for 50 ms, so acknowledging keeps priority and
   * the backlog drains once the burst is over. Nothing is dropped: stored deliveries just wait.
   */
  private async breathe(background: boolean): Promise<void> {
    const busy = background && Date.now() - this.lastIngest < BUSY_WINDOW_MS;
    await new Promise((r) => (busy ? setTimeout(r, BUSY_PAUSE_MS) : setImmediate(r)));
  }

  private async claim(id: number, now: number): Promise<boolean> {
    const r = await this.db.exclusive(() =>
      this.db.ds
        .createQueryBuilder()
        .update(InboundDeliveryRow)
        .set({ status: 'processing', lockedUntil: now + this.opts.lockMs })
        .where('id = :id AND status = :s', { id, s: 'received' })
        .execute(),
    );
    return affected(r) === 1;
  }

  private async finish(id: number, status: string, error: string | null = null): Promise<void> {
    const now = this.deps.clock.now().getTime();
    await this.db.exclusive(() =>
      this.db.ds.getRepository(InboundDeliveryRow).update({ id }, { status, error, processedAt: now, lockedUntil: null }),
    );
  }

  private async process(row: InboundDeliveryRow): Promise<void> {
    const ev = row.payload as InboundEvent;
    const log = this.log.child({ deliveryId: row.id, platform: row.platform, kind: row.kind });
    try {
      if (ev.type === 'pull') {
        const adapter = this.adapters.get(ev.platform);
        if (!adapter?.pull) throw new Error(`platform ${ev.platform} cannot pull`);
        await adapter.pull(ev, this.adapterContext());
        await this.finish(row.id, 'done');
        return;
      }
      const outcome = await inTx(this.deps, log, async (tx) => {
        const o = await handleEvent(tx, ev, row.receivedAt);
        await tx.em.getRepository(InboundDeliveryRow).update(
          { id: row.id },
          { status: o.status === 'done' ? 'done' : 'ignored', error: o.status === 'ignored' ? o.reason : null, processedAt: tx.now, lockedUntil: null, attempts: row.attempts + 1 },
        );
        return o;
      });
      if (outcome.status === 'ignored') log.info({ reason: outcome.reason }, 'delivery ignored');
      this.onCommitted();
    } catch (e) {
      const attempts = row.attempts + 1;
      const err = (e as Error).message ?? String(e);
      if (attempts <= this.opts.backoffMs.length) {
        const delay = this.opts.backoffMs[attempts - 1];
        log.warn({ err: e, attempt: attempts, retryInMs: delay }, 'processing failed; will retry');
        const now = this.deps.clock.now().getTime();
        await this.db.exclusive(() =>
          this.db.ds.getRepository(InboundDeliveryRow).update({ id: row.id }, { status: 'received', attempts, error: err, nextAttemptAt: now + delay, lockedUntil: null }),
        );
      } else {
        log.error({ err: e, attempts }, 'delivery failed for good; kept as failed');
        await this.db.exclusive(() =>
          this.db.ds.getRepository(InboundDeliveryRow).update({ id: row.id }, { status: 'failed', attempts, error: err, lockedUntil: null }),
        );
      }
    }
  }
}
