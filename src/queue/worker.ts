import type { Clock } from '../clock';
import type { QueueStore } from '../db/repos/queue';
import type { Logger } from '../log';

export interface QueueOptions {
  /** Delay before attempt n+1 after n failures (ms). Its length + 1 is the number of attempts. */
  backoffMs: number[];
  /** How long a claimed row stays claimed before another worker may take it again. */
  lockMs: number;
  /** How often to look when nobody kicks. */
  pollMs: number;
  /** Rows read per pass. */
  batch: number;
  /** Rows handled at once. */
  concurrency: number;
  /** Kicks within this many ms share one pass (0: start on the next turn of the event loop). */
  kickDebounceMs: number;
}

/** What became of a claimed row. */
export type Handled =
  /** Finished (the handler wrote its final status, e.g. in the transaction that did the work). */
  | { done: true }
  /** Not now: back in the queue until `at` (pacing, waiting for something), the attempt given back. */
  | { later: number; error?: string }
  /** It failed: tried again with backoff, or failed for good after the last attempt. */
  | { retry: string; retryAfterMs?: number }
  /** It failed and trying again would not help. */
  | { fail: string };

interface Row {
  id: number;
  status: string;
  attempts: number;
  nextAttemptAt: number;
  lockedUntil: number | null;
}

export interface QueueHooks<R> {
  /** What each log line about a row says of it (e.g. { outboxId, platform, kind }). */
  fields?: (row: R) => Record<string, unknown>;
  /** The log messages for "will retry" and "failed for good". */
  messages?: { retry: string; failed: string };
  /** More to log when a row fails for good (e.g. its recipient). */
  failedFields?: (row: R) => Record<string, unknown>;
  /** Narrows the rows a pass takes (SQL over alias `q`), e.g. one at a time per recipient. */
  dueWhere?: string;
  /** Between two rows of a background pass (e.g. to let HTTP answers go first). */
  pause?: () => Promise<void>;
  /** A row failed for good (after `log`; awaited, e.g. to record why in words people read). */
  failed?: (row: R, error: string) => void | Promise<void>;
}

/**
 * A durable queue in a table: rows are claimed with a lease, handled, retried with backoff and kept
 * as `failed` after the last attempt — never dropped. A row whose worker died is taken up again when
 * its lease runs out; one that keeps killing its worker is parked as failed after the last attempt.
 * `kick` says there is work, `drain` works until nothing is due (tests), `stop` waits for the pass
 * in hand. The inbound processor and the outbox are both one of these.
 */
export class QueueWorker<R extends Row> {
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly store: QueueStore<R>,
    private readonly handle: (row: R, now: number) => Promise<Handled>,
    private readonly clock: Clock,
    private readonly log: Logger,
    readonly opts: QueueOptions,
    private readonly hooks: QueueHooks<R> = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of [this.soon, this.timer]) if (t) clearTimeout(t);
    this.soon = this.timer = null;
    await this.running;
  }

  /** There is work: look now (or, with a debounce, soon), not at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.soon) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.opts.kickDebounceMs > 0) {
      this.soon = setTimeout(() => {
        this.soon = null;
        this.begin();
      }, this.opts.kickDebounceMs);
      this.soon.unref();
    } else {
      // Let the HTTP answer that kicked go out before the work starts.
      this.running = new Promise<void>((r) => setImmediate(r)).then(() => this.loop()).finally(() => this.after());
    }
  }

  private begin(): void {
    if (this.stopped || this.running) return;
    this.running = this.loop().finally(() => this.after());
  }

  private after(): void {
    this.running = null;
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      this.kick();
    } else {
      this.timer = setTimeout(() => this.kick(), this.opts.pollMs);
      this.timer.unref();
    }
  }

  private async loop(): Promise<void> {
    try {
      while (!this.stopped && (await this.runOnce(true)) > 0) await new Promise((r) => setImmediate(r));
    } catch (e) {
      this.log.error({ err: e }, 'queue pass failed; will retry at next poll');
    }
  }

  /** Works until nothing is due now (tests call this instead of waiting). */
  async drain(): Promise<void> {
    while ((await this.runOnce()) > 0);
  }

  /** One pass: returns how many rows it handled. */
  async runOnce(background = false): Promise<number> {
    const now = this.clock.now().getTime();
    await this.store.reclaimExpired(now);
    const due = await this.store.due(now, this.opts.batch, this.hooks.dueWhere);
    let handled = 0;
    for (let i = 0; i < due.length; i += this.opts.concurrency) {
      const done = await Promise.all(due.slice(i, i + this.opts.concurrency).map((r) => this.one(r, now)));
      handled += done.filter(Boolean).length;
      if (background && this.hooks.pause) await this.hooks.pause();
    }
    return handled;
  }

  private async one(row: R, now: number): Promise<boolean> {
    if (!(await this.store.claim(row, now, this.opts.lockMs))) return false;
    try {
      return await this.claimed(row, now);
    } finally {
      await this.store.release(row);
    }
  }

  private async claimed(row: R, now: number): Promise<boolean> {
    const log = this.log.child(this.hooks.fields?.(row) ?? { queueId: row.id });
    const last = this.opts.backoffMs.length + 1;
    if (row.attempts > last) {
      // Claimed again after its last attempt: that attempt never came back (it crashed its worker).
      await this.giveUp(row, `gave up after ${last} attempts that did not finish`, log);
      return true;
    }
    let h: Handled;
    let err: unknown;
    try {
      h = await this.handle(row, now);
    } catch (e) {
      err = e;
      h = { retry: (e as Error).message ?? String(e) };
    }
    const at = this.clock.now().getTime();
    if ('done' in h) return true;
    if ('later' in h) {
      await this.store.later(row, h.later, { error: h.error, countAttempt: false });
      return true;
    }
    if ('retry' in h && row.attempts < last) {
      const delay = h.retryAfterMs ?? this.opts.backoffMs[row.attempts - 1];
      log.warn({ ...(err ? { err } : {}), attempt: row.attempts, retryInMs: delay, error: h.retry }, this.hooks.messages?.retry ?? 'failed; will retry');
      await this.store.later(row, at + delay, { error: h.retry, countAttempt: true });
      return true;
    }
    await this.giveUp(row, 'retry' in h ? h.retry : h.fail, log, err);
    return true;
  }

  private async giveUp(row: R, error: string, log: Logger, err?: unknown): Promise<void> {
    log.error({ ...(err ? { err } : {}), attempts: row.attempts, error, ...this.hooks.failedFields?.(row) }, this.hooks.messages?.failed ?? 'failed for good; kept as failed');
    await this.store.fail(row, error);
    await this.hooks.failed?.(row, error);
  }
}
