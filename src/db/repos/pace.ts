import { EntityManager, In, LessThanOrEqual } from 'typeorm';
import type { Dialect } from '../data-source';
import { SendPaceLockRow, SendPaceRow } from '../entities';

/** Sends per member, for pacing across instances (src/outbox/pacer.ts). */
export class PaceRepo {
  constructor(
    private readonly em: EntityManager,
    private readonly dialect: Dialect,
  ) {}

  /** Writes the member's lock row: inside a transaction, everyone else reserving for them waits until it ends. */
  async lock(platform: string, key: string, at: number): Promise<void> {
    const sql =
      this.dialect === 'mysql'
        ? 'INSERT INTO send_pace_lock (platform, recipient_key, touched_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE touched_at = VALUES(touched_at)'
        : 'INSERT INTO send_pace_lock (platform, recipient_key, touched_at) VALUES (?, ?, ?) ON CONFLICT (platform, recipient_key) DO UPDATE SET touched_at = excluded.touched_at';
    await this.em.query(sql, [platform, key, at]);
  }

  /** The member's sends after `since`, oldest first (and the older ones removed). */
  async times(platform: string, key: string, since: number): Promise<number[]> {
    const repo = this.em.getRepository(SendPaceRow);
    await repo.delete({ platform, recipientKey: key, sentAt: LessThanOrEqual(since) });
    const rows = await repo.find({ where: { platform, recipientKey: key }, order: { sentAt: 'ASC' }, select: { sentAt: true } });
    return rows.map((r) => r.sentAt);
  }

  async add(platform: string, key: string, at: number): Promise<number> {
    const r = await this.em.getRepository(SendPaceRow).insert({ platform, recipientKey: key, sentAt: at });
    return Number(r.identifiers[0].id);
  }

  /** The sends finished at `at`: they count from then. */
  async moveTo(ids: number[], at: number): Promise<void> {
    if (ids.length) await this.em.getRepository(SendPaceRow).update({ id: In(ids) }, { sentAt: at });
  }

  /** Sends from before `before`, and lock rows not touched since. */
  async prune(before: number): Promise<void> {
    await this.em.getRepository(SendPaceRow).delete({ sentAt: LessThanOrEqual(before) });
    await this.em.getRepository(SendPaceLockRow).delete({ touchedAt: LessThanOrEqual(before) });
  }

  /** Every send remembered for a member (tests). */
  async all(platform: string, key: string): Promise<number[]> {
    return (await this.em.getRepository(SendPaceRow).find({ where: { platform, recipientKey: key }, order: { sentAt: 'ASC' } })).map((r) => r.sentAt);
  }
}
