import type { Clock } from '../clock';
import type { Db } from '../db/db';
import type { OutboxRow } from '../db/entities';
import { OUTBOX_QUEUE, QueueStore } from '../db/repos/queue';
import type { Logger } from '../log';
import type { Platforms } from '../platform/registry';
import type { AdapterContext, OutboundMessage, OutboundPayload, PlatformName, SendOutcome } from '../platform/types';
import { Handled, QueueOptions, QueueWorker } from '../queue/worker';
import { DbPacer, Reservation } from './pacer';

export interface OutboxWorkerOptions extends Omit<QueueOptions, 'kickDebounceMs'> {
  /** Longest an adapter call may take: then its signal is aborted and the attempt counts as a timeout. */
  sendTimeoutMs: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxWorkerOptions = {
  backoffMs: [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000],
  // Well beyond the send timeout (and a chart's upload inside it): a lease never runs out while a send is in flight.
  lockMs: 180_000,
  pollMs: 2_000,
  batch: 20,
  concurrency: 4,
  // What an adapter may need for its slowest call (an image's upload, then the message).
  sendTimeoutMs: 40_000,
};

/** Kicks within this many ms share one pass over the outbox. */
const KICK_DEBOUNCE_MS = 20;

/**
 * Attempts after which a row no longer holds back the later rows to its recipient
 * (docs/interface.md#outbox): with the default backoff, a failing message keeps them waiting for its
 * first retry (5 s), not for its whole backoff (~1 h 43 min).
 */
export const HOLD_ATTEMPTS = 2;

/**
 * A row is sent only when no earlier row to the same recipient is still being sent or waiting with
 * fewer than HOLD_ATTEMPTS attempts: messages arrive in order, and one that keeps failing stops
 * blocking the rest after its second failure (it is retried on its own schedule).
 */
const IN_ORDER = `NOT EXISTS (SELECT 1 FROM outbox_message p WHERE p.platform = q.platform AND p.recipient_key = q.recipient_key
  AND p.id < q.id AND (p.status = 'sending' OR (p.status = 'pending' AND p.attempts < ${HOLD_ATTEMPTS})))`;

/** Only rows of configured platforms are taken: the others wait, untouched, until the platform is configured. */
function configuredOnly(names: readonly string[]): string {
  const safe = names.filter((n) => /^[a-z]+$/.test(n));
  return safe.length ? `q.platform IN (${safe.map((n) => `'${n}'`).join(', ')})` : '1 = 0';
}

type Row = OutboxRow & { payload: OutboundPayload & { channel: string; via: Record<string, string> | null } };

/**
 * Sends what the outbox holds, on the durable queue (src/queue/worker.ts): in order per recipient,
 * paced per recipient, through the platform adapter, retried with backoff; after the last attempt a
 * row is `failed`, logged and listed by the API — never silently dropped.
 */
export class OutboxWorker {
  readonly worker: QueueWorker<OutboxRow>;
  private readonly store: QueueStore<OutboxRow>;
  private readonly pacers = new Map<PlatformName, DbPacer>();
  private readonly opts: OutboxWorkerOptions;

  constructor(
    db: Db,
    private readonly platforms: Platforms,
    private readonly clock: Clock,
    log: Logger,
    private readonly adapterContext: () => AdapterContext,
    opts: Partial<OutboxWorkerOptions> = {},
  ) {
    this.opts = { ...DEFAULT_OUTBOX_OPTIONS, ...opts };
    for (const a of platforms.all()) if (a.limits) this.pacers.set(a.name, new DbPacer(db, a.name, a.limits));
    this.store = new QueueStore(db, OUTBOX_QUEUE);
    this.worker = new QueueWorker(this.store, (row, now) => this.handle(row as Row, now), clock, log, { ...this.opts, kickDebounceMs: KICK_DEBOUNCE_MS }, {
      dueWhere: `${configuredOnly(platforms.names)} AND ${IN_ORDER}`,
      fields: (row) => ({ outboxId: row.id, platform: row.platform, kind: row.kind }),
      messages: { retry: 'send failed; will retry', failed: 'outbound message failed for good' },
      failedFields: (row) => ({ recipient: row.recipient, requestId: row.requestId }),
    });
  }

  start(): void {
    this.worker.start();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  kick(): void {
    this.worker.kick();
  }

  /** Sends everything due now (tests call this instead of waiting for the timer). */
  drain(): Promise<void> {
    return this.worker.drain();
  }

  runOnce(): Promise<number> {
    return this.worker.runOnce();
  }

  /** Rows waiting for a platform that is not configured here, by platform (they are kept, not failed). */
  async unconfigured(): Promise<Record<string, number>> {
    const counts = await this.store.countByPlatform();
    const out: Record<string, number> = {};
    for (const [platform, n] of Object.entries(counts)) if (!this.platforms.get(platform)) out[platform] = n;
    return out;
  }

  private async handle(row: Row, now: number): Promise<Handled> {
    const adapter = this.platforms.get(row.platform);
    // Not taken by the pass (configuredOnly); should one be, it goes back untouched, not failed.
    if (!adapter) return { later: now + this.opts.pollMs };
    const to = row.recipient.split('|');
    const pacer = this.pacers.get(adapter.name);
    let place: Reservation | null = null;
    if (pacer) {
      place = await pacer.reserve(to, this.clock.now().getTime());
      if (!place.ok) return { later: now + place.waitMs };
    }
    // The send is cancelled when the outbox stops waiting for it: a late answer cannot become a second copy.
    const abort = new AbortController();
    const msg: OutboundMessage = {
      id: row.id,
      platform: adapter.name,
      channel: row.payload.channel as OutboundMessage['channel'],
      to,
      via: row.payload.via ?? undefined,
      payload: row.payload,
      attempt: row.attempts,
      signal: abort.signal,
    };
    let outcome: SendOutcome;
    try {
      outcome = await withTimeout(adapter.send(msg, this.adapterContext()), this.opts.sendTimeoutMs, abort);
    } catch (e) {
      outcome = { ok: false, retryable: true, error: `send threw: ${(e as Error).message}` };
    }
    const at = this.clock.now().getTime();
    if (outcome.ok) {
      await this.sent(row, at, outcome.result ?? null);
      if (pacer && place) await pacer.sentAt(place, at);
      return { done: true };
    }
    return outcome.retryable ? { retry: outcome.error, retryAfterMs: outcome.retryAfterMs } : { fail: outcome.error };
  }

  private sent(row: Row, at: number, result: Record<string, unknown> | null): Promise<void> {
    return this.store.set(row.id, { status: 'sent', sentAt: at, lockedUntil: null, result, lastError: null });
  }
}

/** `p`, or a timeout error after `ms` — and then `abort` is aborted, so the adapter drops its HTTP calls. */
function withTimeout<T>(p: Promise<T>, ms: number, abort: AbortController): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => {
      t = setTimeout(() => {
        const e = new Error(`timed out after ${ms} ms`);
        abort.abort(e);
        reject(e);
      }, ms);
    }),
  ]);
}
