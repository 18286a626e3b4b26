import type { RequestRow } from '../../db/entities';
import { periodRows } from '../../db/repos/metrics';
import type { SupervisionView } from '../../db/repos/reports';
import { weeklyCounts } from '../../db/repos/trend';
import { byDimension, Counts, figures, MetricRow, RowsByVillage } from '../../domain/metrics';
import { lateness } from '../../domain/lateness';
import { ReportPeriod, trendWeeks } from '../../domain/report-period';
import type { AppDeps } from '../../operations/tx';

/**
 * What the dashboard shows, read once per page: the period's metric rows (`periodRows`, exactly as
 * the weekly digest reads them) and the previous period's totals, the overdue items of the remit (most
 * overdue first, per village), and the 督办单. The trend is read separately (`trendOf`), so the
 * page does not wait for twelve weeks of rows.
 */
export interface LateItem {
  code: string;
  text: string;
  ownerId: string | null;
  deadline: number;
  late: { days: number; hours: number };
}

export interface LateVillage {
  villageId: string | null;
  count: number;
  items: LateItem[];
}

export interface DashboardData {
  rows: MetricRow[];
  /** The previous period's totals (for the changes; 超期 has none). */
  prevTotal: Counts;
  late: LateVillage[];
  lateTotal: number;
  /** How many villages have overdue items (more than `late` lists when there are over `LATE_VILLAGES_SHOWN`). */
  lateVillages: number;
  supervisions: SupervisionView[];
}

/** Items listed per late village (all of them up to `SINGLE_VILLAGE_ITEMS` when the remit is one village). */
export const ITEMS_PER_VILLAGE = 3;
export const SINGLE_VILLAGE_ITEMS = 20;
export const LATE_VILLAGES_SHOWN = 30;

type Villages = ReadonlySet<string | null> | null;
const within = (villages: Villages, v: string | null) => !villages || villages.has(v);

export async function loadDashboard(deps: AppDeps, villages: Villages, p: ReportPeriod, now: number): Promise<DashboardData> {
  const { db, calendar } = deps;
  // Concurrent on MySQL's pool (SQLite answers one at a time anyway). The previous period only gives
  // the changes, so only its totals are read: in one bucket, as the trend reads each week.
  const [cur, [prevTotal], allKeys] = await Promise.all([periodRows(db, calendar, p.cur, now), weeklyCounts(db, calendar, [p.prev], villages), db.read.reports.overdueKeys(now)]);
  const rows = new RowsByVillage(cur).in(villages);
  const keys = allKeys.filter((k) => within(villages, k.villageId));
  const perVillage = new Map<string | null, typeof keys>();
  for (const k of keys) {
    const list = perVillage.get(k.villageId);
    if (list) list.push(k);
    else perVillage.set(k.villageId, [k]);
  }
  const single = villages !== null && villages.size === 1;
  const order = [...perVillage].sort((a, b) => b[1].length - a[1].length || a[1][0].deadline - b[1][0].deadline).slice(0, LATE_VILLAGES_SHOWN);
  const wanted = order.flatMap(([, list]) => list.slice(0, single ? SINGLE_VILLAGE_ITEMS : ITEMS_PER_VILLAGE).map((k) => k.id));
  const byId = new Map<number, RequestRow>((await db.read.requests.byIds(wanted)).map((r) => [r.id, r]));
  const late = order.map(([villageId, list]): LateVillage => ({
    villageId,
    count: list.length,
    items: list
      .slice(0, single ? SINGLE_VILLAGE_ITEMS : ITEMS_PER_VILLAGE)
      .map((k) => byId.get(k.id))
      .filter((r): r is RequestRow => Boolean(r))
      .map((r) => ({ code: r.code, text: r.text, ownerId: r.ownerId, deadline: r.deadline!, late: lateness(calendar, r.deadline!, now) })),
  }));

  const supervisions = (await db.read.reports.supervisions(p.cur.from, p.cur.to)).filter((s) => !villages || (s.requestId !== null && villages.has(s.villageId)));
  return { rows, prevTotal, late, lateTotal: keys.length, lateVillages: perVillage.size, supervisions };
}

/** One week of the trend, as the chart draws it (rates in whole percent, null when nothing to count). */
export interface TrendPoint {
  from: number;
  received: number;
  resolved: number;
  responseRate: number | null;
  onTimeRate: number | null;
  closeRate: number | null;
  satisfactionRate: number | null;
}

const whole = (v: number | null) => (v === null ? null : Math.round(v * 100));

export async function trendOf(deps: AppDeps, villages: Villages, p: ReportPeriod, now: number): Promise<TrendPoint[]> {
  const weeks = trendWeeks(p, now);
  const counts = await weeklyCounts(deps.db, deps.calendar, weeks, villages);
  return counts.map((c, i) => {
    const f = figures(c);
    return {
      from: weeks[i].from,
      received: c.received,
      resolved: c.resolved,
      responseRate: whole(f.responseRate.value),
      onTimeRate: whole(f.onTimeRate.value),
      closeRate: whole(f.closeRate.value),
      satisfactionRate: whole(f.satisfactionRate.value),
    };
  });
}

/** Sums per dimension, busiest first (most overdue, then most received), leaving out what has nothing to show. */
export function busiest<K extends 'village' | 'owner' | 'category'>(rows: MetricRow[], dim: K) {
  return [...byDimension(rows, dim)]
    .filter(([, c]) => c.received + c.overdue + c.resolved + c.rated + c.refusalsFiled + c.appeals > 0)
    .sort((a, b) => b[1].overdue - a[1].overdue || b[1].received - a[1].received);
}
