import type { WorkCalendar } from '../../domain/calendar';
import { Counts, MetricRow, respondedInTime, RESPONSE_WORKING_MS, zero } from '../../domain/metrics';
import type { RepeatItem } from '../../domain/repeats';
import { DONE as DONE_STATUSES, OPEN, WORKING } from '../../domain/status';
import type { Db } from '../db';

/**
 * The SQL behind the figures of `domain/metrics.ts`. Each query reads only the period it needs,
 * from an index that holds every column it uses (migrations/1765267200000-DashboardIndexes.ts:
 * by `received_at`, by `resolved_at`, events by `(type, at)`; the overdue ones by
 * `ix_request_open_cover`), and counts in SQL, one row per (village, owner, category). Only the
 * acceptances that took longer than 2 wall-clock hours are read one by one, because working time
 * needs the calendar.
 */
export interface Period {
  from: number;
  to: number;
}

const sqlList = (list: readonly string[]) => `(${list.map((s) => `'${s}'`).join(', ')})`;
const IN_HAND = sqlList(WORKING);
const DONE = sqlList(DONE_STATUSES);
const OPEN_LIST = sqlList(OPEN);
/** No holiday gap is longer than this: an acceptance later than it was never within 2 working hours. */
const SURELY_LATE_MS = 16 * 24 * 3600_000;

/** On time: resolved by the deadline the rules set (`original_deadline` when 时限 moved it); no deadline is on time. */
export const ON_TIME = 'COALESCE(original_deadline, deadline) IS NULL OR resolved_at <= COALESCE(original_deadline, deadline)';
/**
 * A `rated` event (alias `e`) whose answer was 满意. On MySQL the same test on `data` is the virtual
 * column `value_satisfied`, which the events' covering index holds (migrations/1765267200000-DashboardIndexes.ts).
 */
export const satisfied = (db: Db) => (db.dialect === 'mysql' ? 'e.value_satisfied = 1' : `e.data LIKE '%"value":"satisfied"%'`);

type Raw = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
/** A text or number column as read, as a string. */
const str = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

/** One row per (village, owner, category), all counts present: every row has the same shape, so summing them stays fast. */
class Rows {
  private readonly m = new Map<string, MetricRow & Counts>();
  add(r: Raw, counts: Partial<Counts>): void {
    const village = str(r.v);
    const owner = str(r.o);
    const category = r.c === null || r.c === undefined ? null : Number(r.c);
    const k = `${village}|${owner}|${category}`;
    let row = this.m.get(k);
    if (!row) this.m.set(k, (row = { village, owner, category, ...zero() }));
    for (const name in counts) row[name as keyof Counts] += counts[name as keyof Counts]!;
  }
  list(): MetricRow[] {
    return [...this.m.values()];
  }
}

/** Every count of the period, per (village, owner, category); overdue as of `now` (left out when null). */
export async function periodRows(db: Db, cal: WorkCalendar, p: Period, now: number | null, responseMs = RESPONSE_WORKING_MS): Promise<MetricRow[]> {
  const rows = new Rows();
  // Asked together: on MySQL each runs on its own connection (one core each); SQLite answers them in turn.
  const [cohort, slow, resolved, events] = await Promise.all([
    db.query<Raw>(
      `SELECT village_id v, owner_id o, category c, COUNT(*) received,
         SUM(CASE WHEN accepted_at IS NOT NULL AND accepted_at - received_at <= ? THEN 1 ELSE 0 END) fast,
         SUM(CASE WHEN status = 'rejected' THEN 0 ELSE 1 END) considered,
         SUM(CASE WHEN status IN ${DONE} AND resolved_at < ? THEN 1 ELSE 0 END) done
       FROM request WHERE received_at >= ? AND received_at < ?
       GROUP BY village_id, owner_id, category`,
      [responseMs, p.to, p.from, p.to],
    ),
    // Accepted more than 2 wall-clock hours after receipt: within 2 working hours only across a night or a holiday.
    db.query<Raw>(
      `SELECT village_id v, owner_id o, category c, received_at, accepted_at FROM request
       WHERE received_at >= ? AND received_at < ? AND accepted_at IS NOT NULL
         AND accepted_at - received_at > ? AND accepted_at - received_at <= ?`,
      [p.from, p.to, responseMs, SURELY_LATE_MS],
    ),
    // The status test stays out of WHERE: on it the planner would take the status index (most rows are 已销号).
    db.query<Raw>(
      `SELECT village_id v, owner_id o, category c,
         SUM(CASE WHEN status IN ${DONE} THEN 1 ELSE 0 END) resolved,
         SUM(CASE WHEN status IN ${DONE} AND (${ON_TIME}) THEN 1 ELSE 0 END) on_time
       FROM request WHERE resolved_at >= ? AND resolved_at < ?
       GROUP BY village_id, owner_id, category`,
      [p.from, p.to],
    ),
    db.query<Raw>(
      `SELECT r.village_id v, r.owner_id o, r.category c, e.type t, COUNT(*) n,
         SUM(CASE WHEN ${satisfied(db)} THEN 1 ELSE 0 END) sat
       FROM request_event e JOIN request r ON r.id = e.request_id
       WHERE e.type IN ('rated', 'refusal_filed', 'refusal_approved', 'appealed') AND e.at >= ? AND e.at < ?
       GROUP BY r.village_id, r.owner_id, r.category, e.type`,
      [p.from, p.to],
    ),
  ]);
  for (const r of cohort) rows.add(r, { received: num(r.received), responded: num(r.fast), considered: num(r.considered), done: num(r.done) });
  for (const r of slow) if (respondedInTime(cal, num(r.received_at), num(r.accepted_at), responseMs)) rows.add(r, { responded: 1 });
  for (const r of resolved) rows.add(r, { resolved: num(r.resolved), onTime: num(r.on_time) });
  for (const r of events) {
    const n = num(r.n);
    if (r.t === 'rated') rows.add(r, { rated: n, satisfied: num(r.sat) });
    else if (r.t === 'refusal_filed') rows.add(r, { refusalsFiled: n });
    else if (r.t === 'refusal_approved') rows.add(r, { refusalsApproved: n });
    else rows.add(r, { appeals: n });
  }

  if (now === null) return rows.list();
  const overdue = await db.query<Raw>(
    `SELECT village_id v, owner_id o, category c, COUNT(*) n FROM request
     WHERE status IN ${IN_HAND} AND deadline < ? AND merged_into IS NULL
     GROUP BY village_id, owner_id, category`,
    [now],
  );
  for (const r of overdue) rows.add(r, { overdue: num(r.n) });
  return rows.list();
}

/** An open request as the reports name it. */
export interface OpenItem {
  id: number;
  code: string;
  status: string;
  text: string;
  villageId: string | null;
  ownerId: string | null;
  receivedAt: number;
  deadline: number | null;
}

export interface OpenItems {
  /** The five oldest open requests of each village (key null: township-level). */
  oldest: Map<string | null, OpenItem[]>;
  /** The overdue request with the earliest deadline, per village. */
  mostOverdue: Map<string | null, OpenItem>;
}

export const OLDEST_N = 5;

/**
 * The oldest open and the most overdue requests of each village. Reads the open requests' keys
 * (a small share of the table, by the status index), then the texts of only those it names.
 */
export async function openItems(db: Db, now: number): Promise<OpenItems> {
  // merged_into is tested here, not in WHERE, where the planner would take its index (NULL almost everywhere).
  const keys = (await db.query<Raw>(`SELECT id, village_id v, received_at, deadline, status, merged_into m FROM request WHERE status IN ${OPEN_LIST}`)).filter((r) => r.m === null);
  const oldestIds = new Map<string | null, { id: number; at: number }[]>();
  const overdueIds = new Map<string | null, { id: number; deadline: number }>();
  for (const r of keys) {
    const v = str(r.v);
    const id = num(r.id);
    const list = oldestIds.get(v) ?? [];
    list.push({ id, at: num(r.received_at) });
    oldestIds.set(v, list);
    const deadline = r.deadline === null ? null : num(r.deadline);
    if (deadline !== null && deadline < now && r.status !== 'pending') {
      const cur = overdueIds.get(v);
      if (!cur || deadline < cur.deadline || (deadline === cur.deadline && id < cur.id)) overdueIds.set(v, { id, deadline });
    }
  }
  for (const [v, list] of oldestIds) oldestIds.set(v, list.sort((a, b) => a.at - b.at || a.id - b.id).slice(0, OLDEST_N));
  const wanted = [...new Set([...[...oldestIds.values()].flat().map((x) => x.id), ...[...overdueIds.values()].map((x) => x.id)])];
  const byId = new Map<number, OpenItem>();
  for (let i = 0; i < wanted.length; i += 500) {
    const ids = wanted.slice(i, i + 500);
    const rows = await db.query<Raw>(`SELECT id, code, status, text, village_id, owner_id, received_at, deadline FROM request WHERE id IN (${ids.map(() => '?').join(',')})`, ids);
    for (const r of rows) {
      byId.set(num(r.id), {
        id: num(r.id),
        code: String(r.code),
        status: String(r.status),
        text: String(r.text),
        villageId: str(r.village_id),
        ownerId: str(r.owner_id),
        receivedAt: num(r.received_at),
        deadline: r.deadline === null ? null : num(r.deadline),
      });
    }
  }
  return {
    oldest: new Map([...oldestIds].map(([v, list]) => [v, list.map((x) => byId.get(x.id)!).filter(Boolean)])),
    mostOverdue: new Map([...overdueIds].map(([v, x]) => [v, byId.get(x.id)!])),
  };
}

/** The five oldest open requests within a remit (`null`: all). */
export function oldestIn(items: OpenItems, villages: ReadonlySet<string | null> | null): OpenItem[] {
  const lists = [...items.oldest].filter(([v]) => !villages || villages.has(v)).flatMap(([, l]) => l);
  return lists.sort((a, b) => a.receivedAt - b.receivedAt || a.id - b.id).slice(0, OLDEST_N);
}

/** The period's requests, for finding repeat problems. */
export async function repeatCandidates(db: Db, p: Period, villages: ReadonlySet<string | null> | null): Promise<RepeatItem[]> {
  const rows = await db.query<Raw>(
    `SELECT id, code, village_id, category, text, reporter_villager_id, reporter_name, received_at FROM request
     WHERE received_at >= ? AND received_at < ?`,
    [p.from, p.to],
  );
  return rows
    .map((r) => ({
      id: num(r.id),
      code: String(r.code),
      villageId: str(r.village_id),
      category: r.category === null ? null : num(r.category),
      text: String(r.text),
      reporterVillagerId: r.reporter_villager_id === null ? null : num(r.reporter_villager_id),
      reporterName: str(r.reporter_name),
      receivedAt: num(r.received_at),
    }))
    .filter((r) => !villages || villages.has(r.villageId));
}

/** 民情日记 entries (free, 办理过程, visits) and household visits per person in the period. */
export async function diaryCounts(db: Db, p: Period): Promise<Map<string, { diary: number; visits: number }>> {
  const rows = await db.query<Raw>(
    `SELECT person_id p, kind k, COUNT(*) n FROM diary_entry
     WHERE kind IN ('free', 'process', 'visit') AND at >= ? AND at < ? GROUP BY person_id, kind`,
    [p.from, p.to],
  );
  const out = new Map<string, { diary: number; visits: number }>();
  for (const r of rows) {
    const c = out.get(String(r.p)) ?? { diary: 0, visits: 0 };
    c.diary += num(r.n);
    if (r.k === 'visit') c.visits += num(r.n);
    out.set(String(r.p), c);
  }
  return out;
}
