import { WorkCalendar } from './calendar';
import { addDays, SHANGHAI_OFFSET_MS, weekdayOfDay } from './time';

/**
 * Working time: 08:30–17:30 on working days (Asia/Shanghai). Used for "accepted within 2 working
 * hours" (响应率) and "due within 4 working hours" (pre-deadline warnings).
 */
export const WORK_START: [number, number] = [8, 30];
export const WORK_END: [number, number] = [17, 30];

const DAY_MS = 24 * 3600_000;
const START_MS = (WORK_START[0] * 60 + WORK_START[1]) * 60_000;
const END_MS = (WORK_END[0] * 60 + WORK_END[1]) * 60_000;
/** Days looked at at most (ten years): a longer span counts only its first 3,700 days. */
const MAX_DAYS = 3700;

/**
 * Working milliseconds in [from, to) — 0 when to ≤ from. Walks the Shanghai days by number (day n
 * starts at n × 24 h − 8 h), with the calendar's answer per day remembered: the figures call this for
 * every acceptance slower than 2 wall-clock hours, tens of thousands of times per page.
 */
export function workingMsBetween(cal: WorkCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  let total = 0;
  const first = Math.floor((Math.trunc(from) + SHANGHAI_OFFSET_MS) / DAY_MS);
  const last = Math.min(Math.floor((Math.trunc(to) + SHANGHAI_OFFSET_MS) / DAY_MS), first + MAX_DAYS - 1);
  for (let day = first; day <= last; day++) {
    if (!cal.isWorkdayNumber(day)) continue;
    const midnight = day * DAY_MS - SHANGHAI_OFFSET_MS;
    const s = Math.max(from, midnight + START_MS);
    const e = Math.min(to, midnight + END_MS);
    if (e > s) total += e - s;
  }
  return total;
}

/** Monday (YYYY-MM-DD) of the Mon–Sun week containing `day`. */
export function mondayOf(day: string): string {
  return addDays(day, -((weekdayOfDay(day) + 6) % 7));
}

/** The first working day of the Mon–Sun week containing `day`, or null if the week has none. */
export function firstWorkdayOfWeek(cal: WorkCalendar, day: string): string | null {
  const mon = mondayOf(day);
  for (let i = 0; i < 7; i++) if (cal.isWorkday(addDays(mon, i))) return addDays(mon, i);
  return null;
}

/** The first working day on or after `day`. */
export function firstWorkdayFrom(cal: WorkCalendar, day: string): string {
  return cal.onOrAfter(day);
}
