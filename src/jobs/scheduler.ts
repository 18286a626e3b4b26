import cron, { ScheduledTask } from 'node-cron';
import type { AppDeps } from '../operations/tx';
import { nextSlots, parseCron, previousSlot } from './cron';
import { runJob, schedulerSince } from './runner';
import type { Job } from './types';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Fires each job at its cron (Asia/Shanghai) through node-cron, and on start runs once — late, and
 * saying so — any slot missed in the last 24 h while the server was down.
 */
export class JobScheduler {
  private tasks: ScheduledTask[] = [];

  constructor(
    private readonly deps: AppDeps,
    private readonly jobs: Job[],
  ) {}

  async start(): Promise<void> {
    for (const job of this.jobs) {
      const task = cron.schedule(
        job.cron,
        async (ctx) => {
          const slot = new Date(Math.floor(ctx.date.getTime() / 60_000) * 60_000);
          await runJob(this.deps, job, { at: slot });
        },
        { timezone: 'Asia/Shanghai', name: `minqing:${job.id}`, noOverlap: true },
      );
      this.tasks.push(task);
    }
    await this.catchUp();
  }

  /** Runs each job's latest slot of the last 24 h if it has no run yet (and came after the first start). */
  async catchUp(): Promise<string[]> {
    const now = this.deps.clock.now();
    const since = await schedulerSince(this.deps);
    const ran: string[] = [];
    for (const job of this.jobs) {
      const slot = previousSlot(parseCron(job.cron), now, DAY_MS);
      if (!slot || slot.getTime() <= since) continue;
      if (await this.deps.db.read.jobRuns.ran(job.id, slot.getTime())) continue;
      this.deps.log.warn({ job: job.id, slot: slot.toISOString() }, 'slot was missed while the server was down; running it late');
      await runJob(this.deps, job, { at: slot, late: true });
      ran.push(job.id);
    }
    return ran;
  }

  async stop(): Promise<void> {
    for (const t of this.tasks) await t.destroy();
    this.tasks = [];
  }
}

export interface JobListing {
  id: string;
  cron: string;
  description: string;
  lastRun: { at: number; status: string; summary: string | null } | null;
  nextRun: Date | null;
}

export async function listJobs(deps: AppDeps, jobs: Job[]): Promise<JobListing[]> {
  const out: JobListing[] = [];
  for (const job of jobs) {
    const last = await deps.db.read.jobRuns.last(job.id);
    out.push({
      id: job.id,
      cron: job.cron,
      description: job.description,
      lastRun: last ? { at: last.startedAt, status: last.status, summary: last.summary } : null,
      // The next slot whose day the job really runs on (joint-meeting fires Mon–Fri but runs once a week).
      nextRun: nextSlots(parseCron(job.cron), deps.clock.now(), 60).find((t) => job.day(deps.calendar, t).run) ?? null,
    });
  }
  return out;
}
