import type { Directory, Person } from '../../domain/directory';
import { TR } from '../../domain/texts';
import { byDimension, figures, MetricRow, RowsByVillage } from '../../domain/metrics';
import { addDays, atShanghai, shanghaiDay } from '../../domain/time';
import { mondayOf } from '../../domain/worktime';
import { OpenItems, openItems, Period, periodRows } from '../../db/repos/metrics';
import type { JobContext } from '../types';
import { charts, VillageBar } from './chart';
import { villageName } from './text';

/**
 * Who gets a report and what they may see: township leaders see the whole
 * township; a village secretary sees their own village (or villages). A secretary who is also a
 * leader gets the leader's report, once.
 */
export interface Remit {
  person: Person;
  /** null: the whole township, including township-level requests */
  villages: ReadonlySet<string | null> | null;
}

export function remits(dir: Directory, o: { leaders: boolean; secretaries: boolean }): Remit[] {
  const leaders = o.leaders ? dir.withRole('leader') : [];
  const out: Remit[] = leaders.map((person) => ({ person, villages: null }));
  if (!o.secretaries) return out;
  const own = new Map<string, Set<string | null>>();
  for (const v of dir.activeVillages()) {
    const p = dir.person(v.secretaryId);
    if (!p?.active || leaders.some((l) => l.id === p.id)) continue;
    own.set(p.id, (own.get(p.id) ?? new Set()).add(v.id));
  }
  for (const [id, villages] of own) out.push({ person: dir.person(id)!, villages });
  return out;
}

/** The Mon–Sun week before the one containing `at`, and the week before that. */
export function lastWeek(at: Date): { cur: Period; prev: Period } {
  const mon = mondayOf(shanghaiDay(at));
  const t = (d: string) => atShanghai(d, 0).getTime();
  return { cur: { from: t(addDays(mon, -7)), to: t(mon) }, prev: { from: t(addDays(mon, -14)), to: t(addDays(mon, -7)) } };
}

const monthStart = (y: number, m: number) => {
  const yy = y + Math.floor((m - 1) / 12);
  const mm = ((((m - 1) % 12) + 12) % 12) + 1;
  return atShanghai(`${yy}-${String(mm).padStart(2, '0')}-01`, 0).getTime();
};

/** The `months`-long period that ended at the start of the current one (month: 1, quarter: 3), and the one before. */
export function lastMonths(at: Date, months: 1 | 3): { cur: Period; prev: Period; label: string } {
  const day = shanghaiDay(at);
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const start = months === 1 ? m : Math.floor((m - 1) / 3) * 3 + 1;
  const cur = { from: monthStart(y, start - months), to: monthStart(y, start) };
  const prev = { from: monthStart(y, start - 2 * months), to: cur.from };
  const fromDay = shanghaiDay(new Date(cur.from));
  const label = months === 1 ? TR.month(Number(fromDay.slice(5, 7))) : TR.quarter(fromDay.slice(0, 4), Math.floor((Number(fromDay.slice(5, 7)) - 1) / 3) + 1);
  return { cur, prev, label };
}

export interface ReportData {
  rows: RowsByVillage;
  prevRows: RowsByVillage;
  open: OpenItems;
}

/** Everything a report needs, read once for all its recipients (each then sees their remit). */
export async function loadReport(ctx: JobContext, cur: Period, prev: Period): Promise<ReportData> {
  const { db, calendar, policy } = ctx.deps;
  const now = ctx.at.getTime();
  const rows = await periodRows(db, calendar, cur, now, policy.responseWorkingMs);
  // Overdue is a snapshot of now: the previous period has none.
  const prevRows = await periodRows(db, calendar, prev, null, policy.responseWorkingMs);
  return { rows: new RowsByVillage(rows), prevRows: new RowsByVillage(prevRows), open: await openItems(db, now) };
}

/** The villages of a remit as chart bars, in org order (township-level items last, when there are any). */
export function villageBars(dir: Directory, rows: MetricRow[], villages: ReadonlySet<string | null> | null): VillageBar[] {
  const per = byDimension(rows, 'village');
  const ids: (string | null)[] = dir.activeVillages().map((v) => v.id).filter((id) => !villages || villages.has(id));
  for (const id of per.keys()) if (!ids.includes(id) && (!villages || villages.has(id))) ids.push(id);
  return ids.flatMap((id) => {
    const c = per.get(id);
    if (id === null && !c) return [];
    const f = c ? figures(c) : null;
    return [{ name: villageName(dir, id), received: c?.received ?? 0, done: c?.done ?? 0, overdue: c?.overdue ?? 0, onTime: f?.onTimeRate.value == null ? null : Math.round(f.onTimeRate.value * 100) }];
  });
}

/** A remit as a cache key: leaders share one report, built once. */
export const remitKey = (remit: Remit) => (remit.villages ? [...remit.villages].sort().join(',') : '*');

/** Builds each distinct remit's messages once. */
export function once<T>(cache: Map<string, T>, remit: Remit, build: () => T): T {
  const key = remitKey(remit);
  if (!cache.has(key)) cache.set(key, build());
  return cache.get(key)!;
}

export type ChartResult = { png: string } | { error: string } | null;

/**
 * The villages-side-by-side chart of a remit, rendered once per distinct remit. A remit of one
 * village has no chart (there is nothing to put side by side). A failure is logged with its reason
 * and reported back, so the text can say the chart is missing.
 */
export async function remitChart(ctx: JobContext, cache: Map<string, ChartResult>, rows: MetricRow[], remit: Remit, title: string, subtitle: string): Promise<ChartResult> {
  const bars = villageBars(ctx.deps.directory, rows, remit.villages);
  if (bars.length < 2) return null;
  const key = remitKey(remit);
  if (cache.has(key)) return cache.get(key)!;
  let result: ChartResult;
  try {
    const started = Date.now();
    result = { png: (await charts.render({ title, subtitle, villages: bars })).toString('base64') };
    ctx.log.debug({ villages: bars.length, ms: Date.now() - started }, 'chart rendered');
  } catch (e) {
    ctx.log.warn({ err: e, remit: key }, 'chart failed to render; the text goes out without it');
    result = { error: (e as Error).message };
  }
  cache.set(key, result);
  return result;
}


