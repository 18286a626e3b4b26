import { WorkCalendar } from '../../src/domain/calendar';
import { lateness } from '../../src/domain/lateness';
import { respondedInTime } from '../../src/domain/metrics';
import { addDays, atShanghai, dayOfNumber, shanghaiDay } from '../../src/domain/time';
import { WORK_END, WORK_START, workingMsBetween } from '../../src/domain/worktime';

/**
 * Working time by day number gives exactly what the day-by-day walk over `YYYY-MM-DD` strings gave
 * (the definition, kept here as the reference), and asks the calendar about each day once.
 */
function reference(cal: WorkCalendar, from: number, to: number): number {
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

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('workingMsBetween', () => {
  const cal = new WorkCalendar({ holidays: ['2027-01-04'], workdays: ['2026-12-27'] });
  let seed = 7;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;

  it('names days by number as the calendar does', () => {
    for (const day of ['1970-01-01', '2024-02-29', '2026-10-01', '2026-12-31', '2027-01-01']) {
      const n = Math.floor((atShanghai(day, 0).getTime() + 8 * HOUR) / DAY);
      expect(dayOfNumber(n)).toBe(day);
      expect(cal.isWorkdayNumber(n)).toBe(cal.isWorkday(day));
    }
  });

  it('equals the day-by-day walk over holidays, 调休 weekends, the operator’s days and the edges of working hours', () => {
    const base = Date.parse('2024-01-01T00:00:00+08:00');
    const span = 4 * 365 * DAY;
    for (let i = 0; i < 3000; i++) {
      const from = base + Math.floor(rnd() * span);
      // Mostly hours to days, as acceptances are; some up to a year, as late items are.
      const len = [Math.floor(rnd() * 3 * HOUR), Math.floor(rnd() * 3 * DAY), Math.floor(rnd() * 400 * DAY)][i % 3];
      expect([from, len, workingMsBetween(cal, from, from + len)]).toEqual([from, len, reference(cal, from, from + len)]);
    }
    for (const [a, b] of [
      ['2026-09-30T17:29:59+08:00', '2026-10-09T08:30:01+08:00'],
      ['2026-12-26T23:59:59.999+08:00', '2026-12-28T00:00:00+08:00'],
      ['2027-01-04T08:30:00+08:00', '2027-01-04T17:30:00+08:00'],
      ['2026-11-30T08:30:00+08:00', '2026-11-30T08:30:00+08:00'],
      ['2026-11-30T10:00:00+08:00', '2026-11-30T09:00:00+08:00'],
    ]) {
      const from = Date.parse(a);
      const to = Date.parse(b);
      expect([a, b, workingMsBetween(cal, from, to)]).toEqual([a, b, reference(cal, from, to)]);
    }
  });

  it('stops after 3,700 days as the walk did', () => {
    const from = Date.parse('2000-01-03T09:00:00+08:00');
    const to = Date.parse('2026-11-30T10:00:00+08:00');
    expect(workingMsBetween(cal, from, to)).toBe(reference(cal, from, to));
    expect(lateness(cal, from, to)).toEqual({ days: Math.floor(reference(cal, from, to) / (9 * HOUR)), hours: 0 });
  });

  it('asks the calendar about each day once, however often the figures ask', () => {
    const c = new WorkCalendar();
    const spy = jest.spyOn(c, 'isWorkday');
    const from = Date.parse('2026-11-02T16:00:00+08:00');
    for (let i = 0; i < 1000; i++) respondedInTime(c, from + i * MIN, from + i * MIN + 20 * HOUR);
    expect(spy.mock.calls.length).toBeLessThanOrEqual(3);
  });
});
