import { EntityManager, In } from 'typeorm';
import type { Dialect } from '../data-source';
import { JobRunRow, KvRow, ReminderRow } from '../entities';

/** Small durable state: sync cursors, adapters' card codes, the scheduler's start. */
export class KvRepo {
  constructor(
    private readonly em: EntityManager,
    private readonly dialect: Dialect = 'sqlite',
  ) {}

  /**
   * Writes the row `key` first thing in a transaction, so that transactions doing the same wait for
   * each other (a row lock on MySQL, the write lock on SQLite) and each sees what the one before it
   * committed: work that must not run twice at once on several instances.
   */
  async lock(key: string, at: number): Promise<void> {
    const sql =
      this.dialect === 'mysql'
        ? 'INSERT INTO kv_state (`key`, value, updated_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE updated_at = VALUES(updated_at)'
        : 'INSERT INTO kv_state ("key", value, updated_at) VALUES (?, ?, ?) ON CONFLICT ("key") DO UPDATE SET updated_at = excluded.updated_at';
    await this.em.query(sql, [key, 'lock', at]);
  }

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
