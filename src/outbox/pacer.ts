import type { Db } from '../db/db';
import { recipientKey } from '../db/keys';

export interface PaceLimits {
  perMinute: number;
  perHour: number;
}

/** Sends are remembered this long (the longest window). */
const HOUR_MS = 3_600_000;
/** Lock rows of members nobody wrote to for this long are removed (at most once per PRUNE_EVERY_MS). */
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * How long until one more message may go to a member who was sent messages at `times` (ascending,
 * the last hour): a sliding window of a minute and one of an hour.
 */
export function paceWaitMs(times: number[], now: number, limits: PaceLimits): number {
  const recent = times.filter((t) => t > now - HOUR_MS);
  let wait = 0;
  const lastMinute = recent.filter((t) => t > now - 60_000);
  if (lastMinute.length >= limits.perMinute) wait = Math.max(wait, lastMinute[lastMinute.length - limits.perMinute] + 60_000 - now);
  if (recent.length >= limits.perHour) wait = Math.max(wait, recent[recent.length - limits.perHour] + HOUR_MS - now);
  return wait;
}

/** A place for one message to every member of a send, or how long to wait for one. */
export type Reservation = { ok: true; ids: number[] } | { ok: false; waitMs: number };

/**
 * Per-member pacing under a platform's limits (WeCom: 30 messages a minute and 1000 an hour to one
 * member), counted in the database so that every instance on it together keeps under them.
 *
 * `reserve` checks and takes a place in one transaction: it first writes the member's row in
 * `send_pace_lock` (an exclusive row lock on MySQL, the write lock on SQLite), so two instances
 * reserving for the same member run one after the other and the second sees the first's send.
 * A reservation counts as a send (what the platform sees is at most what was reserved); once the send
 * is done its time is moved to when it finished. Rows older than the hour are removed as they are met.
 */
export class DbPacer {
  private prunedAt = 0;

  constructor(
    private readonly db: Db,
    readonly platform: string,
    private readonly limits: PaceLimits,
  ) {}

  async reserve(members: string[], now: number): Promise<Reservation> {
    // Locks in one order (sorted keys): two sends to overlapping members cannot deadlock.
    const keys = [...new Set(members.map((m) => recipientKey(m)))].sort();
    const result = await this.db.tx(async (r): Promise<Reservation> => {
      for (const k of keys) await r.pace.lock(this.platform, k, now);
      let waitMs = 0;
      for (const k of keys) waitMs = Math.max(waitMs, paceWaitMs(await r.pace.times(this.platform, k, now - HOUR_MS), now, this.limits));
      if (waitMs > 0) return { ok: false, waitMs };
      const ids: number[] = [];
      for (const k of keys) ids.push(await r.pace.add(this.platform, k, now));
      return { ok: true, ids };
    }, { quiet: true });
    if (now - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = now;
      await this.db.write((r) => r.pace.prune(now - HOUR_MS));
    }
    return result;
  }

  /** The send finished at `at`: its places count from then. */
  async sentAt(r: Reservation, at: number): Promise<void> {
    if (r.ok) await this.db.write((x) => x.pace.moveTo(r.ids, at));
  }
}
