import type { RetentionPolicy } from '../../domain/retention';
import type { Db } from '../db';

/** What a purge takes (or, in a dry run, would take). */
export interface RetentionCounts {
  deliveries: number;
  failedDeliveries: number;
  outboxPayloads: number;
  sandboxMessages: number;
  jobRuns: number;
  signatures: number;
}

const DAY_MS = 24 * 3600_000;
const BATCH = 500;
/** What a purged payload becomes (the column is NOT NULL). */
export const PURGED_PAYLOAD = '{"purged":true}';

interface Target {
  key: keyof RetentionCounts;
  table: string;
  /** WHERE over the table, with one `?`: the cutoff. */
  where: string;
  cutoff: (p: RetentionPolicy, now: number) => number;
  /** Instead of deleting, set this (the row stays). */
  set?: string;
}

const TARGETS: Target[] = [
  { key: 'deliveries', table: 'inbound_delivery', where: "status IN ('done', 'ignored') AND received_at < ?", cutoff: (p, now) => now - p.deliveriesDays * DAY_MS },
  { key: 'failedDeliveries', table: 'inbound_delivery', where: "status = 'failed' AND received_at < ?", cutoff: (p, now) => now - p.failedDeliveriesDays * DAY_MS },
  {
    key: 'outboxPayloads',
    table: 'outbox_message',
    where: `status IN ('sent', 'phoned', 'released') AND created_at < ? AND payload <> '${PURGED_PAYLOAD}'`,
    cutoff: (p, now) => now - p.outboxPayloadDays * DAY_MS,
    set: `payload = '${PURGED_PAYLOAD}'`,
  },
  { key: 'sandboxMessages', table: 'sandbox_message', where: 'updated_at < ?', cutoff: (p, now) => now - p.sandboxDays * DAY_MS },
  {
    key: 'jobRuns',
    table: 'job_run',
    // A derived table: MySQL refuses a subquery on the table a DELETE changes, but not on a materialized one.
    where: 'started_at < ? AND id NOT IN (SELECT id FROM (SELECT MAX(id) AS id FROM job_run GROUP BY job) newest)',
    cutoff: (p, now) => now - p.jobRunsDays * DAY_MS,
  },
  // Callback signatures that could no longer pass the timestamp check (src/db/repos/signatures.ts).
  { key: 'signatures', table: 'callback_signature', where: 'expires_at < ?', cutoff: (_p, now) => now },
];

/**
 * The retention job's SQL (src/jobs/retention.ts): counts, or purges in batches of 500 (short
 * transactions, no long lock on a busy table), what is older than the policy allows.
 */
export async function retention(db: Db, p: RetentionPolicy, now: number, dryRun: boolean): Promise<RetentionCounts> {
  const counts = { deliveries: 0, failedDeliveries: 0, outboxPayloads: 0, sandboxMessages: 0, jobRuns: 0, signatures: 0 };
  for (const t of TARGETS) {
    const cutoff = t.cutoff(p, now);
    if (dryRun) {
      counts[t.key] = Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t.table} WHERE ${t.where}`, [cutoff]))[0].n);
      continue;
    }
    for (;;) {
      const ids = (await db.query<{ id: number }>(`SELECT id FROM ${t.table} WHERE ${t.where} ORDER BY id LIMIT ${BATCH}`, [cutoff])).map((r) => Number(r.id));
      if (!ids.length) break;
      const list = ids.join(', ');
      await db.write((r) => r.query(t.set ? `UPDATE ${t.table} SET ${t.set} WHERE id IN (${list})` : `DELETE FROM ${t.table} WHERE id IN (${list})`));
      counts[t.key] += ids.length;
      if (ids.length < BATCH) break;
    }
  }
  return counts;
}
