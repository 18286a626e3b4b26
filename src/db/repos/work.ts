import { EntityManager, In } from 'typeorm';
import { isUniqueViolation } from '../data-source';
import { AttachmentRow, DiaryEntryRow, PendingInputRow, RequestEventRow, RequestHandlerRow, SupervisionRow } from '../entities';

/** 承办人: people a request was forwarded to. */
export class HandlerRepo {
  constructor(private readonly em: EntityManager) {}

  async ids(requestId: number): Promise<string[]> {
    return (await this.em.getRepository(RequestHandlerRow).find({ where: { requestId }, order: { id: 'ASC' } })).map((r) => r.personId);
  }

  async has(requestId: number, personId: string): Promise<boolean> {
    return (await this.em.getRepository(RequestHandlerRow).countBy({ requestId, personId })) > 0;
  }

  /** Adds a 承办人; false if they already are one. */
  async add(requestId: number, personId: string, addedBy: string, at: number): Promise<boolean> {
    try {
      await this.em.getRepository(RequestHandlerRow).insert({ requestId, personId, addedBy, addedAt: at });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async requestIdsOf(personId: string): Promise<number[]> {
    return (await this.em.getRepository(RequestHandlerRow).findBy({ personId })).map((h) => h.requestId);
  }

  async ofRequests(ids: number[]): Promise<RequestHandlerRow[]> {
    const out: RequestHandlerRow[] = [];
    for (let i = 0; i < ids.length; i += 1000) out.push(...(await this.em.getRepository(RequestHandlerRow).find({ where: { requestId: In(ids.slice(i, i + 1000)) }, order: { id: 'ASC' } })));
    return out;
  }
}

/** The append-only timeline of each request. */
export class EventRepo {
  constructor(private readonly em: EntityManager) {}

  async add(e: Omit<RequestEventRow, 'id'>): Promise<void> {
    await this.em.getRepository(RequestEventRow).insert(e as never);
  }

  async ofRequests(ids: number[]): Promise<RequestEventRow[]> {
    if (!ids.length) return [];
    return this.em.getRepository(RequestEventRow).find({ where: { requestId: In(ids) }, order: { id: 'ASC' } });
  }
}

export class AttachmentRepo {
  constructor(private readonly em: EntityManager) {}

  async add(a: Omit<AttachmentRow, 'id'>): Promise<void> {
    await this.em.getRepository(AttachmentRow).insert(a as never);
  }

  ofRequest(requestId: number): Promise<AttachmentRow[]> {
    return this.em.getRepository(AttachmentRow).find({ where: { requestId }, order: { id: 'ASC' } });
  }
}

/** 民情日记 entries: 办理过程, free entries, household visits, 一次性告知 notices. */
export class DiaryRepo {
  constructor(private readonly em: EntityManager) {}

  async add(e: Omit<DiaryEntryRow, 'id'>): Promise<void> {
    await this.em.getRepository(DiaryEntryRow).insert(e as never);
  }

  /** Entries of these kinds made in [from, to], with who made them. */
  between(kinds: string[], from: number, to: number): Promise<DiaryEntryRow[]> {
    return this.em
      .getRepository(DiaryEntryRow)
      .createQueryBuilder('d')
      .where('d.kind IN (:...kinds) AND d.at >= :from AND d.at <= :to', { kinds, from, to })
      .orderBy('d.id', 'ASC')
      .getMany();
  }
}

/** The one open question per actor (the 办理结果 after 办结, the 依据 and 理由 after 否定报备, …). */
export class PendingRepo {
  constructor(private readonly em: EntityManager) {}

  async expect(actor: string, kind: string, requestId: number | null, data: Record<string, unknown>, expiresAt: number): Promise<void> {
    await this.em.getRepository(PendingInputRow).save({ actor, kind, requestId, data, expiresAt });
  }

  /** The open question for `actor`, taken (removed) if still fresh at `now`. */
  async take(actor: string, now: number): Promise<PendingInputRow | null> {
    const repo = this.em.getRepository(PendingInputRow);
    const row = await repo.findOneBy({ actor });
    if (!row) return null;
    await repo.delete({ actor });
    return row.expiresAt >= now ? row : null;
  }
}

/** 督办单. */
export class SupervisionRepo {
  constructor(private readonly em: EntityManager) {}

  private get repo() {
    return this.em.getRepository(SupervisionRow);
  }

  create(s: Omit<SupervisionRow, 'id' | 'status' | 'result' | 'doneAt'>): Promise<SupervisionRow> {
    return this.repo.save(this.repo.create({ ...s, status: 'open', result: null, doneAt: null }));
  }

  /** This person's newest open 督办单 on a request (or the one with `id`). */
  openFor(requestId: number, personId: string, id?: number | null): Promise<SupervisionRow | null> {
    if (id) return this.repo.findOneBy({ id, personId, status: 'open' });
    return this.repo.findOne({ where: { requestId, personId, status: 'open' }, order: { id: 'DESC' } });
  }

  async complete(id: number, result: string, at: number): Promise<void> {
    await this.repo.update({ id, status: 'open' }, { status: 'done', result, doneAt: at });
  }

  openDueBefore(until: number): Promise<SupervisionRow[]> {
    return this.repo.createQueryBuilder('s').where("s.status = 'open' AND s.deadline <= :until", { until }).getMany();
  }

  async ofRequests(ids: number[]): Promise<SupervisionRow[]> {
    const out: SupervisionRow[] = [];
    for (let i = 0; i < ids.length; i += 1000) out.push(...(await this.repo.findBy({ requestId: In(ids.slice(i, i + 1000)) })));
    return out;
  }
}
