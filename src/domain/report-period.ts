import { period as monthPeriod } from './periods';
import { addDays, atShanghai, isDay, shanghaiDay } from './time';
import { TL } from './texts';
import { mondayOf } from './worktime';

/**
 * The dashboard's periods (docs/interface.md#dashboard-and-ledger), Asia/Shanghai: a Mon–Sun week named
 * by its Monday (`?week=2026-11-23`, any day of the week will do) or a calendar month
 * (`?month=2026-11`). Without either, the week before the current one — the week the Monday
 * digest reports, so the page and the message show the same numbers. Pure.
 */
export interface Span {
  from: number;
  to: number;
}

export interface ReportPeriod {
  kind: 'week' | 'month';
  /** `2026-11-23` (the Monday) or `2026-11`. */
  key: string;
  cur: Span;
  /** The period before, of the same kind (the changes are counted against it). */
  prev: Span;
  /** The current week or month, still running. */
  running: boolean;
}

export const WEEK_MS = 7 * 24 * 3600_000;
export const TREND_WEEKS = 12;

const t0 = (day: string) => atShanghai(day, 0).getTime();

export function weekPeriod(anyDay: string, now: number): ReportPeriod {
  const mon = mondayOf(anyDay);
  const from = t0(mon);
  return { kind: 'week', key: mon, cur: { from, to: from + WEEK_MS }, prev: { from: from - WEEK_MS, to: from }, running: from + WEEK_MS > now };
}

function prevMonth(key: string): string {
  const [y, m] = key.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function monthOf(key: string, now: number): ReportPeriod {
  const cur = monthPeriod(key);
  const prev = monthPeriod(prevMonth(key));
  return { kind: 'month', key, cur: { from: cur.from, to: cur.to }, prev: { from: prev.from, to: prev.to }, running: cur.to > now };
}

/** The period a query asks for, or why it cannot be shown (a Chinese sentence). */
export function parsePeriod(q: { week?: string; month?: string }, now: number): ReportPeriod | { error: string } {
  const today = shanghaiDay(new Date(now));
  if (q.week && q.month) return { error: TL.periodErrors.both };
  if (q.month) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(q.month)) return { error: TL.periodErrors.month };
    if (q.month > today.slice(0, 7)) return { error: TL.periodErrors.futureMonth };
    return monthOf(q.month, now);
  }
  if (q.week) {
    if (!isDay(q.week)) return { error: TL.periodErrors.week };
    if (mondayOf(q.week) > mondayOf(today)) return { error: TL.periodErrors.futureWeek };
    return weekPeriod(q.week, now);
  }
  return weekPeriod(addDays(mondayOf(today), -7), now);
}

/** The twelve Mon–Sun weeks of the trend, oldest first, ending with the week that holds the period's last day (or today, if sooner). */
export function trendWeeks(p: ReportPeriod, now: number, n = TREND_WEEKS): Span[] {
  const lastDay = shanghaiDay(new Date(Math.min(p.cur.to, now + 1) - 1));
  const lastFrom = t0(mondayOf(lastDay));
  return Array.from({ length: n }, (_, i) => ({ from: lastFrom - (n - 1 - i) * WEEK_MS, to: lastFrom - (n - 2 - i) * WEEK_MS }));
}

/** What the period selector offers: this week and the twelve before it, this month and the eleven before it (newest first). */
export function periodChoices(now: number): { weeks: string[]; months: string[] } {
  const mon = mondayOf(shanghaiDay(new Date(now)));
  const weeks = Array.from({ length: TREND_WEEKS + 1 }, (_, i) => addDays(mon, -7 * i));
  const months: string[] = [];
  let m = shanghaiDay(new Date(now)).slice(0, 7);
  for (let i = 0; i < 12; i++, m = prevMonth(m)) months.push(m);
  return { weeks, months };
}
