/**
 * Asia/Shanghai wall-clock helpers. China keeps one offset all year (no DST), so every rule can
 * work on UTC+8 with plain arithmetic, whatever the machine's TZ.
 */
export const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function shifted(d: Date): Date {
  return new Date(d.getTime() + SHANGHAI_OFFSET_MS);
}

/** `YYYY-MM-DD` of the Shanghai calendar day that contains `d`. */
export function shanghaiDay(d: Date): string {
  const s = shifted(d);
  return `${s.getUTCFullYear()}-${pad(s.getUTCMonth() + 1)}-${pad(s.getUTCDate())}`;
}

/** 0 = Sunday … 6 = Saturday, in Shanghai. */
export function shanghaiWeekday(d: Date): number {
  return shifted(d).getUTCDay();
}

/** Minutes since Shanghai midnight. */
export function shanghaiMinutes(d: Date): number {
  const s = shifted(d);
  return s.getUTCHours() * 60 + s.getUTCMinutes();
}

/** The instant of `day` (YYYY-MM-DD) at hh:mm Shanghai time. */
export function atShanghai(day: string, hh: number, mm = 0): Date {
  const [y, m, dd] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, dd, hh, mm) - SHANGHAI_OFFSET_MS);
}

export function weekdayOfDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d) + n * DAY_MS);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** `YYYY-MM-DD` of the Shanghai day numbered `n` (days since 1970-01-01; that of instant t is ⌊(t + 8 h) / 24 h⌋). */
export function dayOfNumber(n: number): string {
  const t = new Date(n * DAY_MS);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

export function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  return addDays(s, 0) === s;
}

/** ISO-8601 with the `+08:00` offset, seconds precision: `2026-11-27T17:30:00+08:00`. */
export function isoShanghai(d: Date): string {
  const s = shifted(d);
  return (
    `${s.getUTCFullYear()}-${pad(s.getUTCMonth() + 1)}-${pad(s.getUTCDate())}` +
    `T${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}:${pad(s.getUTCSeconds())}+08:00`
  );
}

export function isoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : isoShanghai(new Date(ms));
}

/** Short Chinese date-time for messages: `11月27日 17:30`. */
export function shortZh(d: Date): string {
  const s = shifted(d);
  return `${s.getUTCMonth() + 1}月${s.getUTCDate()}日 ${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}`;
}

const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];
export function weekdayKey(d: Date): WeekdayKey {
  return WEEKDAY_KEYS[shanghaiWeekday(d)];
}

/**
 * Parses an ISO-8601 instant. A value without an offset is read as Shanghai time;
 * a bare date is that day at `defaultTime` (hh:mm) Shanghai.
 */
export function parseInstant(s: string, defaultTime: [number, number] = [0, 0]): Date | null {
  const v = s.trim();
  if (isDay(v)) return atShanghai(v, defaultTime[0], defaultTime[1]);
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  if (!m || !isDay(m[1])) return null;
  if (m[6]) {
    const t = Date.parse(v.replace(' ', 'T'));
    return Number.isNaN(t) ? null : new Date(t);
  }
  const base = atShanghai(m[1], Number(m[2]), Number(m[3]));
  return new Date(base.getTime() + Number(m[4] ?? 0) * 1000 + Number((m[5] ?? '0').padEnd(3, '0')));
}

/**
 * A date as a cadre types it on a phone: `2026-12-31`, `2026年12月31日`, `12月31日`, `12-31`, `12/31`.
 * Without a year, the next such day on or after `today` (YYYY-MM-DD). Returns YYYY-MM-DD or null.
 */
export function parseDayZh(text: string, today: string): string | null {
  const t = text.trim().replace(/号$/, '日');
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(t);
  if (m) {
    const d = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
    return isDay(d) ? d : null;
  }
  m = /^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(t);
  if (!m) return null;
  const year = Number(today.slice(0, 4));
  for (const y of [year, year + 1]) {
    const d = `${y}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}`;
    if (isDay(d) && d >= today) return d;
  }
  return null;
}
