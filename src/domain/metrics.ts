import type { WorkCalendar } from './calendar';
import { workingMsBetween } from './worktime';

/**
 * The numbers people judge this by (docs/rules.md#numbers). Pure: counted rows
 * in, figures out. Every digest, analysis and review uses these definitions and nothing else.
 *
 * For a period [from, to) (Asia/Shanghai; a week Mon 00:00 → next Mon 00:00, a calendar month, a
 * quarter), counted per village, per cadre (the request's 首问责任人, `owner_id`) and per category:
 *
 * - **受理 received** — requests whose `received_at` is in the period. Each villager's report counts
 *   once, including reports later merged into another (each reporter is answered for their own).
 * - **响应率 response rate** — of those received, the share accepted (`accepted_at`) within
 *   **2 working hours** of receipt (working time 08:30–17:30 on working days, `workingMsBetween`).
 *   Not yet accepted counts as not in time.
 * - **按时办结率 on-time rate** — of the requests whose standing 办结 (`resolved_at`, status still
 *   已办结 or 已销号 — a resolution undone by 不满意 does not count until it is resolved again)
 *   falls in the period, the share resolved on or before their deadline (no deadline: on time) — the
 *   deadline the rules set (`original_deadline` when 时限 moved it): a moved deadline never turns a
 *   late request into an on-time one.
 * - **办结率 close rate** — of those received, less approved refusals (status 已否定), the share
 *   resolved or closed by the end of the period (status 已办结/已销号 and `resolved_at` < to).
 * - **满意率 satisfaction rate** — of the answers given in the period (`rated` events), the share
 *   满意. A request closed as 未评价 gave no answer and counts neither way; a request reopened by
 *   不满意 and later rated 满意 counts both answers.
 * - **超期 overdue now** — requests in 办理中/否定报备待审批 whose deadline has passed at the time of
 *   the report (merged requests are counted once, in the one they were merged into). A snapshot:
 *   it has no change from the previous period.
 * - **否定报备 refusals filed / approved, 申诉 appeals** — `refusal_filed`, `refusal_approved`,
 *   `appealed` events in the period.
 *
 * Each figure is shown with its change from the previous period of the same length (counts in 件,
 * rates in percentage points). A rate with nothing to count is shown as "—", never as 0% or 100%.
 */
export const RESPONSE_WORKING_MS = 2 * 3600_000;

export interface Counts {
  received: number;
  /** accepted within 2 working hours */
  responded: number;
  /** received less approved refusals: the 办结率 denominator */
  considered: number;
  /** resolved or closed by the period's end, among `considered` */
  done: number;
  /** standing 办结 in the period */
  resolved: number;
  onTime: number;
  rated: number;
  satisfied: number;
  overdue: number;
  refusalsFiled: number;
  refusalsApproved: number;
  appeals: number;
}

export const COUNT_KEYS: (keyof Counts)[] = [
  'received', 'responded', 'considered', 'done', 'resolved', 'onTime', 'rated', 'satisfied',
  'overdue', 'refusalsFiled', 'refusalsApproved', 'appeals',
];

/** A partial count for one (village, owner, category) — what the queries return. */
export interface MetricRow extends Partial<Counts> {
  village: string | null;
  owner: string | null;
  category: number | null;
}

export type Dimension = 'village' | 'owner' | 'category';

export function zero(): Counts {
  return { received: 0, responded: 0, considered: 0, done: 0, resolved: 0, onTime: 0, rated: 0, satisfied: 0, overdue: 0, refusalsFiled: 0, refusalsApproved: 0, appeals: 0 };
}

/** Field by field: this runs for every row of every remit, and a keyed loop is ten times slower. */
function add(c: Counts, r: Partial<Counts>): void {
  c.received += r.received ?? 0;
  c.responded += r.responded ?? 0;
  c.considered += r.considered ?? 0;
  c.done += r.done ?? 0;
  c.resolved += r.resolved ?? 0;
  c.onTime += r.onTime ?? 0;
  c.rated += r.rated ?? 0;
  c.satisfied += r.satisfied ?? 0;
  c.overdue += r.overdue ?? 0;
  c.refusalsFiled += r.refusalsFiled ?? 0;
  c.refusalsApproved += r.refusalsApproved ?? 0;
  c.appeals += r.appeals ?? 0;
}

/** Sums of every row. */
export function total(rows: MetricRow[]): Counts {
  const c = zero();
  for (const r of rows) add(c, r);
  return c;
}

/** Sums per village, per owner or per category (null keys kept: 镇直, 未受理, 未分类). */
export function byDimension<K extends Dimension>(rows: MetricRow[], dim: K): Map<MetricRow[K], Counts> {
  const m = new Map<MetricRow[K], Counts>();
  for (const r of rows) {
    let c = m.get(r[dim]);
    if (!c) m.set(r[dim], (c = zero()));
    add(c, r);
  }
  return m;
}

/** Rows grouped by village once, so that each of many remits takes only its own. */
export class RowsByVillage {
  private readonly index = new Map<string | null, MetricRow[]>();
  constructor(readonly all: MetricRow[]) {
    for (const r of all) {
      const list = this.index.get(r.village);
      if (list) list.push(r);
      else this.index.set(r.village, [r]);
    }
  }

  /** The rows of the villages in a remit (`null` remit: everything). */
  in(villages: ReadonlySet<string | null> | null): MetricRow[] {
    return villages ? [...villages].flatMap((v) => this.index.get(v) ?? []) : this.all;
  }
}

export interface Rate {
  n: number;
  d: number;
  /** n / d, or null when there is nothing to count */
  value: number | null;
}

const rate = (n: number, d: number): Rate => ({ n, d, value: d > 0 ? n / d : null });

export interface Figures {
  counts: Counts;
  responseRate: Rate;
  onTimeRate: Rate;
  closeRate: Rate;
  satisfactionRate: Rate;
}

export function figures(c: Counts): Figures {
  return {
    counts: c,
    responseRate: rate(c.responded, c.received),
    onTimeRate: rate(c.onTime, c.resolved),
    closeRate: rate(c.done, c.considered),
    satisfactionRate: rate(c.satisfied, c.rated),
  };
}

/** Whether a request was accepted within 2 working hours of receipt (RESPONSE_WORKING_HOURS changes the 2). */
export function respondedInTime(cal: WorkCalendar, receivedAt: number, acceptedAt: number | null, limitMs = RESPONSE_WORKING_MS): boolean {
  if (acceptedAt === null) return false;
  if (acceptedAt - receivedAt <= limitMs) return true; // working time never exceeds wall time
  return workingMsBetween(cal, receivedAt, acceptedAt) <= limitMs;
}

/** Whole percent: "95%", or "—" when nothing was counted. */
export function pct(r: Rate): string {
  return r.value === null ? '—' : `${Math.round(r.value * 100)}%`;
}

/** A count's change: "+5", "−2", "持平". */
export function countChange(cur: number, prev: number): string {
  const d = cur - prev;
  return d === 0 ? '持平' : d > 0 ? `+${d}` : `−${-d}`;
}

/** A rate's change in whole percentage points: "+3", "−2", "持平", or "" when either side has nothing. */
export function rateChange(cur: Rate, prev: Rate): string {
  if (cur.value === null || prev.value === null) return '';
  const d = Math.round(cur.value * 100) - Math.round(prev.value * 100);
  return d === 0 ? '持平' : d > 0 ? `+${d}` : `−${-d}`;
}
