import type { RequestRow } from '../../db/entities';
import { periodRows } from '../../db/repos/metrics';
import type { OverdueKey, SupervisionView } from '../../db/repos/reports';
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
  // The previous period only gives the changes, so only its totals are read, in one bucket as the trend reads a week.
  // The response limit is the digest's (RESPONSE_WORKING_HOURS), so that both give the same 响应率.
  // 超期 is counted in SQL per (village, owner, category) — the same requests periodRows counts (in hand, past
  // their deadline, not merged) — and only the listed villages' overdue requests are read one by one.
  // The three are asked together: on MySQL each query has its own connection, and the server uses both
  // cores (a month at 1,000,000 requests: 0.95 s one after another, 0.5–0.7 s together; test/bench/PAGES-REPORTS.md).
  const responseMs = deps.policy.responseWorkingMs;
  const [cur, [prevTotal], groups] = await Promise.all([
    periodRows(db, calendar, p.cur, null, responseMs),
    weeklyCounts(db, calendar, [p.prev], villages, responseMs),
    db.read.reports.overdueGroups(now),
  ]);
  const rows = new RowsByVillage([...cur, ...groups.map((g): MetricRow => ({ village: g.villageId, owner: g.ownerId, category: g.category, overdue: g.count }))]).in(villages);
  const perVillage = new Map<string | null, { count: number; first: number }>();
  for (const g of groups) {
    if (!within(villages, g.villageId)) continue;
    const v = perVillage.get(g.villageId);
    if (v) {
      v.count += g.count;
      v.first = Math.min(v.first, g.first);
    } else perVillage.set(g.villageId, { count: g.count, first: g.first });
  }
  // Most overdue items first, then the earliest deadline, then (for a tie) the earliest such request:
  // the villages up to the last shown, and any tied with it, are read, then ordered and cut.
  const ranked = [...perVillage].sort((a, b) => b[1].count - a[1].count || a[1].first - b[1].first);
  const last = ranked[Math.min(LATE_VILLAGES_SHOWN, ranked.length) - 1];
  const candidates = last ? ranked.filter(([, v], i) => i < LATE_VILLAGES_SHOWN || (v.count === last[1].count && v.first === last[1].first)) : [];
  const keysOf = new Map<string | null, OverdueKey[]>(candidates.map(([v]) => [v, []]));
  for (const k of await db.read.reports.overdueKeys(now, [...keysOf.keys()])) keysOf.get(k.villageId)?.push(k);
  const firstId = (v: string | null) => keysOf.get(v)![0]?.id ?? 0;
  const order = candidates
    .sort((a, b) => b[1].count - a[1].count || a[1].first - b[1].first || firstId(a[0]) - firstId(b[0]))
    .slice(0, LATE_VILLAGES_SHOWN)
    .map(([v]) => [v, keysOf.get(v)!] as const);
  const single = villages !== null && villages.size === 1;
  const wanted = order.flatMap(([, list]) => list.slice(0, single ? SINGLE_VILLAGE_ITEMS : ITEMS_PER_VILLAGE).map((k) => k.id));
  const byId = new Map<number, RequestRow>((await db.read.requests.byIds(wanted)).map((r) => [r.id, r]));
  const late = order.map(([villageId, list]): LateVillage => ({
    villageId,
    count: perVillage.get(villageId)!.count,
    items: list
      .slice(0, single ? SINGLE_VILLAGE_ITEMS : ITEMS_PER_VILLAGE)
      .map((k) => byId.get(k.id))
      .filter((r): r is RequestRow => Boolean(r))
      .map((r) => ({ code: r.code, text: r.text, ownerId: r.ownerId, deadline: r.deadline!, late: lateness(calendar, r.deadline!, now) })),
  }));

  const supervisions = (await db.read.reports.supervisions(p.cur.from, p.cur.to)).filter((s) => !villages || (s.requestId !== null && villages.has(s.villageId)));
  return { rows, prevTotal, late, lateTotal: [...perVillage.values()].reduce((n, v) => n + v.count, 0), lateVillages: perVillage.size, supervisions };
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

/**
 * The weeks that have ended are kept for `TREND_TTL_MS` per database and remit: twelve weeks of a
 * large township cost a second on MySQL, and a leader opens the page more than once. The running
 * week is always read afresh; so are the page's own figures, which are never kept.
 */
export const TREND_TTL_MS = 5 * 60_000;
const kept = new WeakMap<object, Map<string, { at: number; counts: Counts }>>();
/** Reads under way, so that the page's warm-up and the browser's fetch share one. */
const reading = new WeakMap<object, Map<string, Promise<Counts[]>>>();

const remitKey = (villages: Villages) =>
  villages
    ? [...villages]
        .map((v) => v ?? '~')
        .sort()
        .join(',')
    : '*';

function mapOf<V>(m: WeakMap<object, Map<string, V>>, db: object): Map<string, V> {
  let x = m.get(db);
  if (!x) m.set(db, (x = new Map<string, V>()));
  return x;
}

export async function trendOf(deps: AppDeps, villages: Villages, p: ReportPeriod, now: number): Promise<TrendPoint[]> {
  const weeks = trendWeeks(p, now);
  const memo = mapOf(kept, deps.db);
  for (const [k, v] of memo) if (now - v.at > TREND_TTL_MS || v.at > now) memo.delete(k);
  const key = (from: number) => `${remitKey(villages)}|${from}`;
  const counts = weeks.map((w) => memo.get(key(w.from))?.counts ?? null);
  const missing = counts.flatMap((c, i) => (c ? [] : [i]));
  if (missing.length) {
    const first = missing[0];
    const last = missing[missing.length - 1];
    const under = mapOf(reading, deps.db);
    const k = `${key(weeks[first].from)}|${weeks[last].from}`;
    let read = under.get(k);
    if (!read) {
      read = weeklyCounts(deps.db, deps.calendar, weeks.slice(first, last + 1), villages, deps.policy.responseWorkingMs).finally(() => under.delete(k));
      under.set(k, read);
    }
    (await read).forEach((c, j) => {
      const i = first + j;
      counts[i] = c;
      if (weeks[i].to <= now) memo.set(key(weeks[i].from), { at: now, counts: c });
    });
  }
  return counts.map((c, i) => {
    const f = figures(c!);
    return {
      from: weeks[i].from,
      received: c!.received,
      resolved: c!.resolved,
      responseRate: whole(f.responseRate.value),
      onTimeRate: whole(f.onTimeRate.value),
      closeRate: whole(f.closeRate.value),
      satisfactionRate: whole(f.satisfactionRate.value),
    };
  });
}

/** Starts reading the trend once the page is written, so it is ready (or under way) when the page's script asks for it. */
export function warmTrend(deps: AppDeps, villages: Villages, p: ReportPeriod, now: number): void {
  trendOf(deps, villages, p, now).catch((e: unknown) => deps.log.warn({ err: e }, 'dashboard trend warm-up failed'));
}

/** Sums per dimension, busiest first (most overdue, then most received), leaving out what has nothing to show. */
export function busiest<K extends 'village' | 'owner' | 'category'>(rows: MetricRow[], dim: K) {
  return [...byDimension(rows, dim)]
    .filter(([, c]) => c.received + c.overdue + c.resolved + c.rated + c.refusalsFiled + c.appeals > 0)
    .sort((a, b) => b[1].overdue - a[1].overdue || b[1].received - a[1].received);
}
