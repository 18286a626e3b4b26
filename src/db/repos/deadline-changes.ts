import type { EntityManager } from 'typeorm';
import { affected } from '../data-source';
import { DeadlineChangeRow } from '../entities';

/** 时限 changes waiting for a leader (see DeadlineChangeRow). */
export class DeadlineChangeRepo {
  constructor(private readonly em: EntityManager) {}

  private get repo() {
    return this.em.getRepository(DeadlineChangeRow);
  }

  create(c: Pick<DeadlineChangeRow, 'requestId' | 'proposedBy' | 'deadline' | 'createdAt'>): Promise<DeadlineChangeRow> {
    return this.repo.save(this.repo.create({ ...c, status: 'pending', decidedBy: null, decidedAt: null }));
  }

  byId(id: number): Promise<DeadlineChangeRow | null> {
    return this.repo.findOneBy({ id });
  }

  /** The request's newest change still waiting for a decision. */
  pendingOf(requestId: number): Promise<DeadlineChangeRow | null> {
    return this.repo.findOne({ where: { requestId, status: 'pending' }, order: { id: 'DESC' } });
  }

  /**
   * Decides a pending change — a conditional UPDATE, so of two leaders tapping at once one decides.
   * False when it was no longer pending.
   */
  async decide(id: number, status: 'approved' | 'denied' | 'superseded', by: string, at: number): Promise<boolean> {
    const r = await this.em.createQueryBuilder().update(DeadlineChangeRow).set({ status, decidedBy: by, decidedAt: at }).where("id = :id AND status = 'pending'", { id }).execute();
    return affected(r) === 1;
  }
}
