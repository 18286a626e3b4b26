import { Clock } from '../clock';
import { Db } from '../db/db';
import { affected } from '../db/data-source';
import { CardRow, OutboxRow } from '../db/entities';
import { Logger } from '../log';
import type { OutboundMessage, OutboundPayload, PlatformAdapter, PlatformName, SendOutcome } from '../platform/types';
import { Pacer } from './pacer';

export interface OutboxWorkerOptions {
  /** Delay before attempt n+1 after n failures (ms). Its length + 1 is the number of attempts. */
  backoffMs: number[];
  /** How long a claimed row stays claimed before another worker may take it again. */
  lockMs: number;
  pollMs: number;
  batch: number;
  concurrency: number;
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

type Row = OutboxRow & { payload: OutboundPayload & { channel: string; via: Record<string, string> | null } };

/**
 * Sends what the outbox holds: claims due rows, paces them per recipient, calls the platform
 * adapter, and retries with backoff. After the last attempt a row is marked `failed`, logged and
 * listed by the API — never silently dropped. Rows left `sending` by a crash are taken up again.
 */
export class OutboxWorker {
  private readonly opts: OutboxWorkerOptions;
  private readonly pacers = new Map<PlatformName, Pacer>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private soon: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly adapters: Map<PlatformName, PlatformAdapter>,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: Partial<OutboxWorkerOptions> = {},
  ) {
    this.opts = { ...DEFAULT_OUTBOX_OPTIONS, ...opts };
    for (const a of adapters.values()) if (a.limits) this.pacers.set(a.name, new Pacer(a.limits));
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.soon) clearTimeout(this.soon);
    this.soon = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * Something was enqueued: look soon rather than at the next poll. Kicks within a few milliseconds
   * are folded into one pass, so a burst of commits does not rescan the outbox once each.
   */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.soon) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.soon = setTimeout(() => {
      this.soon = null;
      this.begin();
    }, KICK_DEBOUNCE_MS);
    this.soon.unref();
  }

  private begin(): void {
    if (this.stopped || this.running) return;
    this.running = this.loop().finally(() => {
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
      while (!this.stopped && (await this.runOnce()) > 0) await new Promise((r) => setImmediate(r));
    } catch (e) {
      this.log.error({ err: e }, 'outbox loop failed; will retry at next poll');
    }
  }

  /** Sends everything due now (tests call this instead of waiting for the timer). */
  async drain(): Promise<void> {
    while ((await this.runOnce()) > 0);
  }

  /** One pass: returns how many rows it handled. */
  async runOnce(): Promise<number> {
    const now = this.clock.now().getTime();
    await this.db.exclusive(() =>
      this.db.ds
        .createQueryBuilder()
        .update(OutboxRow)
        .set({ status: 'pending', lockedUntil: null })
        .where('status = :s AND locked_until < :now', { s: 'sending', now })
        .execute(),
    );
    const due: Row[] = await this.db.ds
      .getRepository(OutboxRow)
      .createQueryBuilder('o')
      .where('o.status = :pending AND o.next_attempt_at <= :now', { pending: 'pending', now })
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM outbox_message p WHERE p.platform = o.platform AND p.recipient = o.recipient
           AND p.id < o.id AND p.status IN ('pending', 'sending'))`,
      )
      .orderBy('o.id', 'ASC')
      .limit(this.opts.batch)
      .getMany() as Row[];
    let handled = 0;
    for (let i = 0; i < due.length; i += this.opts.concurrency) {
      const slice = due.slice(i, i + this.opts.concurrency);
      const done = await Promise.all(slice.map((r) => this.handle(r, now)));
      handled += done.filter(Boolean).length;
    }
    return handled;
  }

  private async claim(row: Row, now: number): Promise<boolean> {
    const r = await this.db.exclusive(() =>
      this.db.ds
        .createQueryBuilder()
        .update(OutboxRow)
        .set({ status: 'sending', lockedUntil: now + this.opts.lockMs })
        .where('id = :id AND status = :s', { id: row.id, s: 'pending' })
        .execute(),
    );
    return affected(r) === 1;
  }

  private async setRow(id: number, patch: Partial<OutboxRow>): Promise<void> {
    await this.db.exclusive(() => this.db.ds.getRepository(OutboxRow).update({ id }, patch as never));
  }

  private async handle(row: Row, now: number): Promise<boolean> {
    const adapter = this.adapters.get(row.platform as PlatformName);
    if (!(await this.claim(row, now))) return false;
    const log = this.log.child({ outboxId: row.id, platform: row.platform, kind: row.kind });
    if (!adapter) {
      await this.fail(row, `platform ${row.platform} is not configured`, log);
      return true;
    }
    const to = row.recipient.split('|');

    const pacer = this.pacers.get(adapter.name);
    const wait = pacer ? Math.max(...to.map((u) => pacer.waitMs(u, now))) : 0;
    if (wait > 0) {
      log.info({ waitMs: wait }, 'paced: recipient limit reached, sending later');
      await this.setRow(row.id, { status: 'pending', lockedUntil: null, nextAttemptAt: now + wait });
      return true;
    }

    let responseCode: string | null = null;
    if (row.payload.kind === 'card_update' && adapter.cardUpdateNeedsCode) {
      const card = await this.db.ds.getRepository(CardRow).findOneBy({ id: row.payload.cardId });
      responseCode = card?.responseCode ?? null;
      if (!responseCode) {
        const cardSendPending = await this.db.ds
          .getRepository(OutboxRow)
          .createQueryBuilder('o')
          .where("o.kind = 'card' AND o.status IN ('pending', 'sending') AND o.request_id = :r", { r: row.requestId })
          .getCount();
        if (cardSendPending > 0) {
          await this.setRow(row.id, { status: 'pending', lockedUntil: null, nextAttemptAt: now + 2_000 });
          return true;
        }
        await this.fail(row, 'no response_code to update this card with (card not delivered, or its code was used)', log);
        return true;
      }
    }

    const msg: OutboundMessage = {
      id: row.id,
      platform: adapter.name,
      channel: row.payload.channel as OutboundMessage['channel'],
      to,
      via: row.payload.via ?? undefined,
      payload: row.payload,
      responseCode,
      attempt: row.attempts + 1,
    };
    let outcome: SendOutcome;
    try {
      outcome = await withTimeout(adapter.send(msg), this.opts.sendTimeoutMs);
    } catch (e) {
      outcome = { ok: false, retryable: true, error: `send threw: ${(e as Error).message}` };
    }
    const at = this.clock.now().getTime();
    if (outcome.ok) {
      await this.setRow(row.id, { status: 'sent', sentAt: at, lockedUntil: null, attempts: row.attempts + 1, result: outcome.result ?? null, lastError: null });
      if (pacer) for (const u of to) pacer.record(u, at);
      await this.afterSent(row, outcome.result, responseCode);
      log.debug('sent');
      return true;
    }
    const attempts = row.attempts + 1;
    if (outcome.retryable && attempts <= this.opts.backoffMs.length) {
      const delay = outcome.retryAfterMs ?? this.opts.backoffMs[attempts - 1];
      log.warn({ attempt: attempts, retryInMs: delay, error: outcome.error }, 'send failed; will retry');
      await this.setRow(row.id, { status: 'pending', attempts, lockedUntil: null, nextAttemptAt: at + delay, lastError: outcome.error });
    } else {
      await this.fail({ ...row, attempts }, outcome.error, log);
    }
    return true;
  }

  private async fail(row: Row, error: string, log: Logger): Promise<void> {
    log.error({ attempts: row.attempts, error, recipient: row.recipient, requestId: row.requestId }, 'outbound message failed for good');
    await this.setRow(row.id, { status: 'failed', attempts: row.attempts, lockedUntil: null, lastError: error });
  }

  /** Card bookkeeping: keep the newest response code; a used one is gone. */
  private async afterSent(row: Row, result: Record<string, unknown> | undefined, usedCode: string | null): Promise<void> {
    const p = row.payload;
    if (p.kind === 'card' && typeof result?.responseCode === 'string') {
      await this.db.exclusive(() => this.db.ds.getRepository(CardRow).update({ id: p.cardId }, { responseCode: result.responseCode as string }));
    }
    if (p.kind === 'card_update' && usedCode) {
      await this.db.exclusive(() =>
        this.db.ds.getRepository(CardRow).update({ id: p.cardId, responseCode: usedCode }, { responseCode: null }),
      );
    }
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
