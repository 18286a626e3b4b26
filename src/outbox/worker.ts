import type { Clock } from '../clock';
import type { Db } from '../db/db';
import type { OutboxRow } from '../db/entities';
import { OUTBOX_QUEUE, QueueStore } from '../db/repos/queue';
import type { Logger } from '../log';
import type { Platforms } from '../platform/registry';
import type { AdapterContext, OutboundMessage, OutboundPayload, PlatformName, SendOutcome } from '../platform/types';
import { Handled, QueueOptions, QueueWorker } from '../queue/worker';
import { Pacer } from './pacer';

export interface OutboxWorkerOptions extends Omit<QueueOptions, 'kickDebounceMs'> {
  /** Longest an adapter call may take before it counts as a timeout. */
  sendTimeoutMs: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxWorkerOptions = {
  backoffMs: [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000],
  lockMs: 60_000,
  pollMs: 2_000,
  batch: 20,
  concurrency: 4,
  sendTimeoutMs: 15_000,
};

/** Kicks within this many ms share one pass over the outbox. */
const KICK_DEBOUNCE_MS = 20;

/** A row is sent only when no earlier row to the same recipient is still waiting: messages arrive in order. */
const IN_ORDER = `NOT EXISTS (SELECT 1 FROM outbox_message p WHERE p.platform = q.platform AND p.recipient = q.recipient
  AND p.id < q.id AND p.status IN ('pending', 'sending'))`;

type Row = OutboxRow & { payload: OutboundPayload & { channel: string; via: Record<string, string> | null } };

/**
 * Sends what the outbox holds, on the durable queue (src/queue/worker.ts): in order per recipient,
 * paced per recipient, through the platform adapter, retried with backoff; after the last attempt a
 * row is `failed`, logged and listed by the API — never silently dropped.
 */
export class OutboxWorker {
  readonly worker: QueueWorker<OutboxRow>;
  private readonly store: QueueStore<OutboxRow>;
  private readonly pacers = new Map<PlatformName, Pacer>();
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
    for (const a of platforms.all()) if (a.limits) this.pacers.set(a.name, new Pacer(a.limits));
    this.store = new QueueStore(db, OUTBOX_QUEUE);
    this.worker = new QueueWorker(this.store, (row, now) => this.handle(row as Row, now), clock, log, { ...this.opts, kickDebounceMs: KICK_DEBOUNCE_MS }, {
      dueWhere: IN_ORDER,
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

  private async handle(row: Row, now: number): Promise<Handled> {
    const adapter = this.platforms.get(row.platform);
    if (!adapter) return { fail: `platform ${row.platform} is not configured` };
    const to = row.recipient.split('|');
    const pacer = this.pacers.get(adapter.name);
    const wait = pacer ? Math.max(...to.map((u) => pacer.waitMs(u, now))) : 0;
    if (wait > 0) return { later: now + wait };
    const msg: OutboundMessage = {
      id: row.id,
      platform: adapter.name,
      channel: row.payload.channel as OutboundMessage['channel'],
      to,
      via: row.payload.via ?? undefined,
      payload: row.payload,
      attempt: row.attempts,
    };
    let outcome: SendOutcome;
    try {
      outcome = await withTimeout(adapter.send(msg, this.adapterContext()), this.opts.sendTimeoutMs);
    } catch (e) {
      outcome = { ok: false, retryable: true, error: `send threw: ${(e as Error).message}` };
    }
    const at = this.clock.now().getTime();
    if (outcome.ok) {
      await this.sent(row, at, outcome.result ?? null);
      if (pacer) for (const u of to) pacer.record(u, at);
      return { done: true };
    }
    return outcome.retryable ? { retry: outcome.error, retryAfterMs: outcome.retryAfterMs } : { fail: outcome.error };
  }

  private sent(row: Row, at: number, result: Record<string, unknown> | null): Promise<void> {
    return this.store.set(row.id, { status: 'sent', sentAt: at, lockedUntil: null, result, lastError: null });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]);
}
