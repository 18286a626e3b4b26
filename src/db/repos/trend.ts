import type { WorkCalendar } from '../../domain/calendar';
import { Counts, respondedInTime, RESPONSE_WORKING_MS, zero } from '../../domain/metrics';
import { DONE as DONE_STATUSES } from '../../domain/status';
import type { Db } from '../db';
import { ON_TIME, satisfied } from './metrics';

/**
 * The dashboard's trend: the figures of `domain/metrics.ts` for consecutive weeks, read in one pass
 * per query instead of one `periodRows` per week. The definitions are those of `periodRows`
 * (src/db/repos/metrics.ts) — the same cohort, the same standing 办结, the same events — only grouped
 * by week and village; test/reports/trend.db.test.ts checks every week against `periodRows`. 超期 is a
 * snapshot of now and has no history: it stays 0 here.
 */
export interface Week {
  from: number;
  to: number;
}

type Raw = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const DONE = `(${DONE_STATUSES.map((s) => `'${s}'`).join(', ')})`;
/** As in periodRows: an acceptance later than this was never within 2 working hours. */
const SURELY_LATE_MS = 16 * 24 * 3600_000;

/**
 * The remit as a condition on a request alias (`r.` or ''), with its parameters: nothing for the
 * whole township; else its villages by the (village_id, received_at) index, township-level ones by
 * IS NULL.
 */
function remitWhere(villages: ReadonlySet<string | null> | null, alias: string): { sql: string; params: string[] } {
  if (!villages) return { sql: '', params: [] };
  const named = [...villages].filter((v): v is string => v !== null);
  const parts = [...(named.length ? [`${alias}village_id IN (${named.map(() => '?').join(', ')})`] : []), ...(villages.has(null) ? [`${alias}village_id IS NULL`] : [])];
  return { sql: ` AND (${parts.length ? parts.join(' OR ') : '1 = 0'})`, params: named };
}

/** Counts per week (oldest first) of the villages in `villages` (null: all, township-level included). */
export async function weeklyCounts(db: Db, cal: WorkCalendar, weeks: Week[], villages: ReadonlySet<string | null> | null, responseMs = RESPONSE_WORKING_MS): Promise<Counts[]> {
  if (!weeks.length) return [];
  const f0 = Math.round(weeks[0].from);
  const w = Math.round(weeks[0].to - weeks[0].from);
  const end = Math.round(weeks[weeks.length - 1].to);
  weeks.forEach((x, i) => {
    if (x.from !== f0 + i * w || x.to !== x.from + w) throw new Error('weeklyCounts needs consecutive spans of one length');
  });
  // The bucket of an instant, as an integer (f0 and w are our own integers, so inlined).
  const bucket = (col: string) => (db.dialect === 'mysql' ? `((${col} - ${f0}) DIV ${w})` : `((${col} - ${f0}) / ${w})`);
  const out = weeks.map(() => zero());
  const at = (b: unknown) => out[num(b)] as Counts | undefined;
  const mine = remitWhere(villages, '');
  const theirs = remitWhere(villages, 'r.');
  // Over the whole township, twelve weeks are a tenth of two years: MariaDB's planner then scans the
  // table (2 s a query at 1,000,000 rows) where the range index takes 0.2 s, the covering one less
  // (migrations/1765267200000-DashboardIndexes.ts). SQLite takes the covering index by itself.
  const use = (index: string) => (db.dialect === 'mysql' && !villages ? ` FORCE INDEX (${index})` : '');

  // Asked together, as periodRows does: one connection (and core) each on MySQL.
  const [cohort, slow, resolved, events] = await Promise.all([
    db.query<Raw>(
      `SELECT ${bucket('received_at')} b, COUNT(*) received,
       SUM(CASE WHEN accepted_at IS NOT NULL AND accepted_at - received_at <= ? THEN 1 ELSE 0 END) fast,
       SUM(CASE WHEN status = 'rejected' THEN 0 ELSE 1 END) considered,
       SUM(CASE WHEN status IN ${DONE} AND resolved_at < ${f0} + (${bucket('received_at')} + 1) * ${w} THEN 1 ELSE 0 END) done
     FROM request${use('ix_request_received_cover')} WHERE received_at >= ? AND received_at < ?${mine.sql}
     GROUP BY b`,
      [responseMs, f0, end, ...mine.params],
    ),
    db.query<Raw>(
      `SELECT received_at, accepted_at FROM request${use('ix_request_received_cover')}
     WHERE received_at >= ? AND received_at < ? AND accepted_at IS NOT NULL
       AND accepted_at - received_at > ? AND accepted_at - received_at <= ?${mine.sql}`,
      [f0, end, responseMs, SURELY_LATE_MS, ...mine.params],
    ),
    db.query<Raw>(
      `SELECT ${bucket('resolved_at')} b,
       SUM(CASE WHEN status IN ${DONE} THEN 1 ELSE 0 END) resolved,
       SUM(CASE WHEN status IN ${DONE} AND (${ON_TIME}) THEN 1 ELSE 0 END) on_time
     FROM request${use('ix_request_resolved_cover')} WHERE resolved_at >= ? AND resolved_at < ?${mine.sql}
     GROUP BY b`,
      [f0, end, ...mine.params],
    ),
    // The whole township needs no village, so no join; a remit's villages are matched on the request.
    db.query<Raw>(
      `SELECT ${bucket('e.at')} b, e.type t, COUNT(*) n,
       SUM(CASE WHEN ${satisfied(db)} THEN 1 ELSE 0 END) sat
     FROM request_event e${use('ix_request_event_figures')}${villages ? ' JOIN request r ON r.id = e.request_id' : ''}
     WHERE e.type IN ('rated', 'refusal_filed', 'refusal_approved', 'appealed') AND e.at >= ? AND e.at < ?${theirs.sql}
     GROUP BY b, e.type`,
      [f0, end, ...theirs.params],
    ),
  ]);
  for (const r of cohort) {
    const c = at(r.b);
    if (!c) continue;
    c.received += num(r.received);
    c.responded += num(r.fast);
    c.considered += num(r.considered);
    c.done += num(r.done);
  }

  for (const r of slow) {
    const c = out[Math.floor((num(r.received_at) - f0) / w)] as Counts | undefined;
    if (c && respondedInTime(cal, num(r.received_at), num(r.accepted_at), responseMs)) c.responded++;
  }

  for (const r of resolved) {
    const c = at(r.b);
    if (!c) continue;
    c.resolved += num(r.resolved);
    c.onTime += num(r.on_time);
  }

  for (const r of events) {
    const c = at(r.b);
    if (!c) continue;
    const n = num(r.n);
    if (r.t === 'rated') {
      c.rated += n;
      c.satisfied += num(r.sat);
    } else if (r.t === 'refusal_filed') c.refusalsFiled += n;
    else if (r.t === 'refusal_approved') c.refusalsApproved += n;
    else c.appeals += n;
  }
  return out;
}
