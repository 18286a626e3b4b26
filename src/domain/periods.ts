import { atShanghai, shanghaiDay } from './time';

/**
 * Reporting periods in Asia/Shanghai, named as people say them: a month `2026-11`, a quarter
 * `2026-Q4`, a half-year `2026-H2`, a year `2026`. Each is [from, to) in epoch ms.
 */
export interface Period {
  name: string;
  from: number;
  to: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const monthStart = (y: number, m: number) => atShanghai(`${y + Math.floor((m - 1) / 12)}-${pad(((m - 1) % 12) + 1)}-01`, 0).getTime();

export function period(name: string): Period {
  let m = /^(\d{4})-(\d{2})$/.exec(name);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return { name, from: monthStart(+m[1], +m[2]), to: monthStart(+m[1], +m[2] + 1) };
  m = /^(\d{4})-Q([1-4])$/.exec(name);
  if (m) return { name, from: monthStart(+m[1], +m[2] * 3 - 2), to: monthStart(+m[1], +m[2] * 3 + 1) };
  m = /^(\d{4})-H([12])$/.exec(name);
  if (m) return { name, from: monthStart(+m[1], +m[2] * 6 - 5), to: monthStart(+m[1], +m[2] * 6 + 1) };
  m = /^(\d{4})$/.exec(name);
  if (m) return { name, from: monthStart(+m[1], 1), to: monthStart(+m[1], 13) };
  throw new Error(`not a period: ${name} (expected 2026-11, 2026-Q4, 2026-H2 or 2026)`);
}

/** The month, quarter, half-year and year containing an instant. */
export function periodsOf(at: Date): { month: string; quarter: string; half: string; year: string } {
  const day = shanghaiDay(at);
  const y = day.slice(0, 4);
  const mo = Number(day.slice(5, 7));
  return { month: day.slice(0, 7), quarter: `${y}-Q${Math.ceil(mo / 3)}`, half: `${y}-H${mo <= 6 ? 1 : 2}`, year: y };
}

/** The months of a quarter, half-year or year (a month is its own). */
export function monthsOf(name: string): string[] {
  const p = period(name);
  const out: string[] = [];
  for (let t = p.from; t < p.to; ) {
    const m = periodsOf(new Date(t)).month;
    out.push(m);
    t = period(m).to;
  }
  return out;
}

/** The quarters of a half-year or year. */
export function quartersOf(name: string): string[] {
  return [...new Set(monthsOf(name).map((m) => periodsOf(new Date(period(m).from)).quarter))];
}

export const inPeriod = (p: Period, at: number) => at >= p.from && at < p.to;
