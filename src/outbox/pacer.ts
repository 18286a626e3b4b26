/**
 * Per-recipient pacing under a platform's limits (WeCom: 30 messages a minute and 1000 an hour to
 * one member). A sliding window of send times per recipient; `waitMs` says how long until one more
 * message may go.
 */
export class Pacer {
  private readonly sent = new Map<string, number[]>();
  private sweepAt = 1000;

  constructor(private readonly limits: { perMinute: number; perHour: number }) {}

  waitMs(recipient: string, now: number): number {
    const times = this.prune(recipient, now);
    let wait = 0;
    const lastMinute = times.filter((t) => t > now - 60_000);
    if (lastMinute.length >= this.limits.perMinute) wait = Math.max(wait, lastMinute[lastMinute.length - this.limits.perMinute] + 60_000 - now);
    if (times.length >= this.limits.perHour) wait = Math.max(wait, times[times.length - this.limits.perHour] + 3_600_000 - now);
    return wait;
  }

  record(recipient: string, at: number): void {
    const times = this.sent.get(recipient) ?? [];
    times.push(at);
    this.sent.set(recipient, times);
    // Recipients written to once are never asked about again: forget them after the hour.
    if (this.sent.size > this.sweepAt) {
      for (const r of [...this.sent.keys()]) this.prune(r, at);
      this.sweepAt = Math.max(1000, this.sent.size * 2);
    }
  }

  /** How many recipients are remembered (for tests). */
  get size(): number {
    return this.sent.size;
  }

  private prune(recipient: string, now: number): number[] {
    const times = (this.sent.get(recipient) ?? []).filter((t) => t > now - 3_600_000);
    if (times.length) this.sent.set(recipient, times);
    else this.sent.delete(recipient);
    return times;
  }
}
