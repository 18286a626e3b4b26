import type { EntityManager } from 'typeorm';
import { RequestRow } from '../entities';

/** A request a new one may repeat: what the comparison needs. */
export interface DuplicateCandidateRow {
  id: number;
  code: string;
  text: string;
}

/** The statuses a request can still be merged into (src/operations/merge.ts). */
const MERGEABLE = ['pending', 'accepted'];

/**
 * Likely duplicates (docs/interface.md#duplicates): the open requests of a village received since
 * `since`, newest first — through the index (village_id, status, received_at), so the cost is the rows
 * returned, not the table.
 */
export class DuplicateRepo {
  constructor(private readonly em: EntityManager) {}

  async openInVillageSince(villageId: string, since: number, exceptId: number, limit: number): Promise<DuplicateCandidateRow[]> {
    const rows = await this.em
      .getRepository(RequestRow)
      .createQueryBuilder('r')
      .select(['r.id', 'r.code', 'r.text'])
      .where('r.village_id = :villageId AND r.status IN (:...statuses) AND r.received_at >= :since AND r.merged_into IS NULL AND r.id <> :exceptId', { villageId, statuses: MERGEABLE, since, exceptId })
      .orderBy('r.received_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(limit)
      .getMany();
    return rows.map((r) => ({ id: r.id, code: r.code, text: r.text }));
  }
}
