import { period, periodsOf } from './periods';

/**
 * The quarter a 民情日记 审阅 or 自评 is about (seed 002 §三.(三).3, §四.(二)): the one that has just
 * ended — the quarterly diary-review job asks for both on the next quarter's first working day, and
 * whatever is typed during that quarter belongs to it.
 */
export function reviewQuarter(at: Date): string {
  const current = periodsOf(at).quarter;
  return periodsOf(new Date(period(current).from - 1)).quarter;
}

/** "2026-Q3" → "2026年第3季度". */
export function quarterZh(q: string): string {
  return `${q.slice(0, 4)}年第${q.slice(-1)}季度`;
}
