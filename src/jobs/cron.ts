import { parse } from 'node-cron';
import { SHANGHAI_OFFSET_MS } from '../domain/time';

/**
 * Cron arithmetic in Asia/Shanghai (node-cron parses the pattern; we walk the minutes), so slots,
 * catch-up and `jobs list` work with the injected clock rather than the machine's.
 */
export interface CronSpec {
  minute: Set<number>;
  hour: Set<number>;
  dayOfMonth: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
}

export function parseCron(expr: string): CronSpec {
  const f = parse(expr);
  const nums = (a: (number | string)[]) => new Set(a.map(Number));
  return { minute: nums(f.minute), hour: nums(f.hour), dayOfMonth: nums(f.dayOfMonth), month: nums(f.month), dayOfWeek: nums(f.dayOfWeek) };
}

const MINUTE = 60_000;

export function matches(spec: CronSpec, at: Date): boolean {
  const s = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return (
    spec.minute.has(s.getUTCMinutes()) &&
    spec.hour.has(s.getUTCHours()) &&
    spec.dayOfMonth.has(s.getUTCDate()) &&
    spec.month.has(s.getUTCMonth() + 1) &&
    spec.dayOfWeek.has(s.getUTCDay())
  );
}

/** The latest slot at or before `now` and after `now - windowMs`, or null. */
export function previousSlot(spec: CronSpec, now: Date, windowMs: number): Date | null {
  const start = Math.floor(now.getTime() / MINUTE) * MINUTE;
  for (let t = start; t > now.getTime() - windowMs; t -= MINUTE) if (matches(spec, new Date(t))) return new Date(t);
  return null;
}

/** The next `n` slots strictly after `now` (searching up to ~400 days). */
export function nextSlots(spec: CronSpec, now: Date, n = 1): Date[] {
  const out: Date[] = [];
  let t = Math.floor(now.getTime() / MINUTE) * MINUTE + MINUTE;
  const end = t + 400 * 24 * 60 * MINUTE;
  for (; t < end && out.length < n; t += MINUTE) if (matches(spec, new Date(t))) out.push(new Date(t));
  return out;
}
