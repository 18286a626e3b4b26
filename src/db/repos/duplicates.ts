import type { EntityManager } from 'typeorm';

/** A request a new one may repeat: what the comparison needs. */
export interface DuplicateCandidateRow {
  id: number;
  code: string;
  text: string;
}

/** The statuses a request can still be merged into (src/operations/merge.ts). */
const MERGEABLE = ['pending', 'accepted'];
/** Read at most this many before keeping the newest `limit` (a village has a few dozen open at a time). */
const READ_CAP = 1000;

/**
 * Likely duplicates (docs/interface.md#duplicates): the open requests of a village received since
 * `since`, newest first. One plain query on the index (village_id, status, received_at), so its cost is
 * the rows it returns, not the table (test/bench/MEDIA.md: 1,000,000 requests). It has no ORDER BY on
 * purpose: with one, both SQLite and MariaDB walk (village_id, received_at) instead, through every
 * request of the village in the window, open or not; the few rows are ordered here.
 */
export class DuplicateRepo {
  constructor(private readonly em: EntityManager) {}

  async openInVillageSince(villageId: string, since: number, exceptId: number, limit: number): Promise<DuplicateCandidateRow[]> {
    const rows = await this.em.query<{ id: number | string; code: string; received_at: number | string; text: string }[]>(
      `SELECT id, code, received_at, text FROM request WHERE village_id = ? AND status IN (${MERGEABLE.map(() => '?').join(', ')}) AND received_at >= ? AND merged_into IS NULL AND id <> ? LIMIT ${READ_CAP}`,
      [villageId, ...MERGEABLE, since, exceptId],
    );
    return rows
      .map((r) => ({ id: Number(r.id), code: r.code, text: r.text, at: Number(r.received_at) }))
      .sort((a, b) => b.at - a.at || b.id - a.id)
      .slice(0, limit)
      .map(({ id, code, text }) => ({ id, code, text }));
  }
}
