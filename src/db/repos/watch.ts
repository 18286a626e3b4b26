import type { Db } from '../db';

const concat = (db: Db, a: string, b: string) => (db.dialect === 'mysql' ? `CONCAT(${a}, ${b})` : `(${a} || ${b})`);

/**
 * What deadline-watch may still have to send about: requests in hand whose last stage for their
 * current deadline (the warning before it, the leaders' notice after it) is not yet recorded, and new
 * requests not yet chased — ids only; the rows are read for those alone.
 */
export async function watchCandidates(db: Db, now: number, lookbackMs: number, lookaheadMs: number): Promise<{ live: number[]; pending: number[] }> {
  const final = `CASE WHEN r.deadline <= ? THEN 'overdue_leader:' ELSE 'warn:' END`;
  const live = await db.query<{ id: number }>(
    `SELECT r.id FROM request r WHERE r.status IN ('accepted', 'rejection_pending') AND r.deadline BETWEEN ? AND ?
     AND NOT EXISTS (SELECT 1 FROM reminder m WHERE m.subject = ${concat(db, "'request:'", 'r.id')} AND m.stage = ${concat(db, final, 'r.deadline')})`,
    [now - lookbackMs, now + lookaheadMs, now],
  );
  const pending = await db.query<{ id: number }>(
    `SELECT r.id FROM request r WHERE r.status = 'pending' AND r.received_at BETWEEN ? AND ?
     AND NOT EXISTS (SELECT 1 FROM reminder m WHERE m.subject = ${concat(db, "'request:'", 'r.id')} AND m.stage = 'unaccepted')`,
    [now - lookbackMs, now],
  );
  return { live: live.map((r) => Number(r.id)), pending: pending.map((r) => Number(r.id)) };
}
