import { WorkCalendar } from './calendar';
import { addDays, atShanghai, shanghaiDay, weekdayOfDay } from './time';

/**
 * Working time: 08:30–17:30 on working days (Asia/Shanghai). Used for "accepted within 2 working
 * hours" (响应率) and "due within 4 working hours" (pre-deadline warnings).
 */
export const WORK_START: [number, number] = [8, 30];
export const WORK_END: [number, number] = [17, 30];

/** Working milliseconds in [from, to) — 0 when to ≤ from. */
export function workingMsBetween(cal: WorkCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  let total = 0;
  let day = shanghaiDay(new Date(from));
  const last = shanghaiDay(new Date(to));
  for (let guard = 0; day <= last && guard < 3700; guard++, day = addDays(day, 1)) {
    if (!cal.isWorkday(day)) continue;
    const s = Math.max(from, atShanghai(day, ...WORK_START).getTime());
    const e = Math.min(to, atShanghai(day, ...WORK_END).getTime());
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
