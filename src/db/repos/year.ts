import { EntityManager, In } from 'typeorm';
import { DiaryArchiveRow, DiaryEntryRow, DiaryReviewRow } from '../entities';

/** 民情日记 审阅 and 自评 (docs/interface.md#year). */
export class DiaryReviewRepo {
  constructor(private readonly em: EntityManager) {}

  private get repo() {
    return this.em.getRepository(DiaryReviewRow);
  }

  async add(r: Omit<DiaryReviewRow, 'id'>): Promise<void> {
    await this.repo.insert(r);
  }

  /** Every 审阅 and 自评 of these quarters, oldest first. */
  ofPeriods(periods: string[]): Promise<DiaryReviewRow[]> {
    if (!periods.length) return Promise.resolve([]);
    return this.repo.find({ where: { period: In(periods) }, order: { id: 'ASC' } });
  }

  ofPerson(personId: string): Promise<DiaryReviewRow[]> {
    return this.repo.find({ where: { personId }, order: { id: 'ASC' } });
  }
}

/** The diaries of people who left, and everything a diary export needs. */
export class DiaryArchiveRepo {
  constructor(private readonly em: EntityManager) {}

  /** Archives the diaries of `personIds` as they stand now (a person may leave, come back and leave again). */
  async archive(personIds: string[], at: number): Promise<DiaryArchiveRow[]> {
    const out: DiaryArchiveRow[] = [];
    for (const personId of personIds) {
      const raw = await this.em
        .getRepository(DiaryEntryRow)
        .createQueryBuilder('d')
        .select('COUNT(*)', 'n')
        .addSelect('MIN(d.at)', 'first')
        .addSelect('MAX(d.at)', 'last')
        .where('d.person_id = :personId', { personId })
        .getRawOne<{ n: string | number; first: string | number | null; last: string | number | null }>();
      const row = { personId, archivedAt: at, entries: Number(raw?.n ?? 0), firstAt: raw?.first == null ? null : Number(raw.first), lastAt: raw?.last == null ? null : Number(raw.last) };
      await this.em.getRepository(DiaryArchiveRow).insert(row);
      out.push({ id: 0, ...row });
    }
    return out;
  }

  ofPerson(personId: string): Promise<DiaryArchiveRow[]> {
    return this.em.getRepository(DiaryArchiveRow).find({ where: { personId }, order: { id: 'ASC' } });
  }

  /** A person's whole diary, oldest first. */
  entriesOf(personId: string): Promise<DiaryEntryRow[]> {
    return this.em.getRepository(DiaryEntryRow).find({ where: { personId }, order: { at: 'ASC', id: 'ASC' } });
  }
}
