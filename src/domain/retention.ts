/**
 * Retention (docs/interface.md#security-and-retention): how many days what is kept only for a while
 * is kept — RETAIN_*_DAYS, purged daily by the retention job (src/jobs/retention.ts).
 */
export interface RetentionPolicy {
  /** inbound_delivery rows done or ignored. */
  deliveriesDays: number;
  /** inbound_delivery rows that failed (kept longer: someone may still look into them). */
  failedDeliveriesDays: number;
  /** outbox_message payloads of rows sent (or phoned, released): the row stays, its content goes. */
  outboxPayloadDays: number;
  /** sandbox_message (the sandbox's chat histories). */
  sandboxDays: number;
  /** job_run rows (each job's newest run is always kept: `jobs list` shows it). */
  jobRunsDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { deliveriesDays: 30, failedDeliveriesDays: 180, outboxPayloadDays: 30, sandboxDays: 30, jobRunsDays: 180 };

