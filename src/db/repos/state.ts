import { EntityManager, In } from 'typeorm';
import { JobRunRow, KvRow, ReminderRow } from '../entities';

/** Small durable state: sync cursors, adapters' card codes, the scheduler's start. */
export class KvRepo {
  constructor(private readonly em: EntityManager) {}

  async get(key: string): Promise<string | null> {
    return (await this.em.getRepository(KvRow).findOneBy({ key }))?.value ?? null;
  }

  async set(key: string, value: string, at: number): Promise<void> {
    await this.em.getRepository(KvRow).save({ key, value, updatedAt: at });
  }
}

/** Reminder stages already sent (each stage once). */
export class ReminderRepo {
  constructor(private readonly em: EntityManager) {}

  /** `subject|stage` of every stage recorded for these subjects. */
  async sent(subjects: string[]): Promise<Set<string>> {
    const done = new Set<string>();
    for (let i = 0; i < subjects.length; i += 500) {
      for (const r of await this.em.getRepository(ReminderRow).findBy({ subject: In(subjects.slice(i, i + 500)) })) done.add(`${r.subject}|${r.stage}`);
    }
    return done;
  }

  async record(subject: string, stage: string, at: number): Promise<void> {
    await this.em.getRepository(ReminderRow).insert({ subject, stage, sentAt: at });
  }
}

/** Runs of scheduled jobs; a (job, slot) row is the lease that makes a slot run once. */
export class JobRunRepo {
  constructor(private readonly em: EntityManager) {}

  bySlot(job: string, slot: number): Promise<JobRunRow | null> {
    return this.em.getRepository(JobRunRow).findOneBy({ job, slot });
  }

  async finish(id: number, patch: Pick<JobRunRow, 'status' | 'summary' | 'error' | 'finishedAt'>): Promise<void> {
    await this.em.getRepository(JobRunRow).update({ id }, patch);
  }

  last(job: string): Promise<JobRunRow | null> {
    return this.em.getRepository(JobRunRow).findOne({ where: { job }, order: { startedAt: 'DESC', id: 'DESC' } });
  }

  async ran(job: string, slot: number): Promise<boolean> {
    return (await this.em.getRepository(JobRunRow).countBy({ job, slot })) > 0;
  }
}
