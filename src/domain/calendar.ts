import fs from 'node:fs';
import { z } from 'zod';
import { addDays, dayOfNumber, isDay, weekdayOfDay } from './time';

/**
 * The Chinese working-day calendar: State Council holidays and 调休 working weekends from
 * `chinese-days`, plus a `CALENDAR_FILE` for years the package does not know yet.
 * Days are Shanghai calendar days written `YYYY-MM-DD`.
 */
// The package ships its data as JSON; reading it directly keeps lookups O(1) and free of
// the package's own date parsing (which follows the machine's TZ).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builtIn = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };

export const calendarFileSchema = z.object({
  holidays: z.array(z.string().refine(isDay, 'must be YYYY-MM-DD')).default([]),
  workdays: z.array(z.string().refine(isDay, 'must be YYYY-MM-DD')).default([]),
});
export type CalendarExtra = z.infer<typeof calendarFileSchema>;

export class WorkCalendar {
  private readonly holidays: Set<string>;
  private readonly workdays: Set<string>;
  private readonly years: Set<number>;
  /** isWorkday by day number (days since 1970-01-01, Shanghai): working time asks for the same days over and over. */
  private readonly byNumber = new Map<number, boolean>();

  constructor(extra: CalendarExtra = { holidays: [], workdays: [] }) {
    this.holidays = new Set([...Object.keys(builtIn.holidays), ...extra.holidays]);
    this.workdays = new Set(Object.keys(builtIn.workdays));
    // The operator's file wins over the package where they disagree.
    for (const d of extra.workdays) {
      this.workdays.add(d);
      this.holidays.delete(d);
    }
    for (const d of extra.holidays) this.workdays.delete(d);
    this.years = new Set(
      [...Object.keys(builtIn.holidays), ...extra.holidays, ...extra.workdays].map((d) => Number(d.slice(0, 4))),
    );
  }

  static fromFile(path?: string): WorkCalendar {
    if (!path) return new WorkCalendar();
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(path, 'utf8'));
    } catch (e) {
      throw new Error(`CALENDAR_FILE: cannot read ${path}: ${(e as Error).message}`, { cause: e });
    }
    const parsed = calendarFileSchema.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new Error(`CALENDAR_FILE: ${path}: ${i.path.join('.')}: ${i.message}`);
    }
    return new WorkCalendar(parsed.data);
  }

  isWorkday(day: string): boolean {
    if (this.workdays.has(day)) return true;
    if (this.holidays.has(day)) return false;
    const w = weekdayOfDay(day);
    return w !== 0 && w !== 6;
  }

  /** `isWorkday` of the Shanghai day numbered `n` (days since 1970-01-01), remembered: the calendar never changes once built. */
  isWorkdayNumber(n: number): boolean {
    let w = this.byNumber.get(n);
    if (w === undefined) this.byNumber.set(n, (w = this.isWorkday(dayOfNumber(n))));
    return w;
  }

  /** The first working day strictly after `day`. */
  nextWorkday(day: string): string {
    let d = addDays(day, 1);
    while (!this.isWorkday(d)) d = addDays(d, 1);
    return d;
  }

  /** `day` itself if it is a working day, else the next one. */
  onOrAfter(day: string): string {
    return this.isWorkday(day) ? day : this.nextWorkday(day);
  }

  /** The n-th working day after `day` (n ≥ 1). */
  addWorkdays(day: string, n: number): string {
    let d = day;
    for (let i = 0; i < n; i++) d = this.nextWorkday(d);
    return d;
  }

  /** Whether holiday data exists for `year` (otherwise only weekends are known). */
  knowsYear(year: number): boolean {
    return this.years.has(year);
  }
}
