import { EntityManager } from 'typeorm';
import { affected } from '../data-source';
import { OutboxRow, RequestRow } from '../entities';
import { recipientKey } from '../keys';

export type NewOutboxRow = Pick<OutboxRow, 'platform' | 'kind' | 'recipient' | 'personId' | 'requestId' | 'payload'>;

/** Everything that leaves, as rows; the worker (src/outbox/worker.ts) sends them. */
export class OutboxRepo {
  constructor(private readonly em: EntityManager) {}

  private get repo() {
    return this.em.getRepository(OutboxRow);
  }

  add(r: NewOutboxRow, at: number): Promise<OutboxRow> {
    return this.repo.save(
      this.repo.create({ ...r, recipientKey: recipientKey(r.recipient), status: 'pending', attempts: 0, nextAttemptAt: at, lockedUntil: null, lastError: null, result: null, createdAt: at, sentAt: null }),
    );
  }

  /** 待通知: a message the channel could not take, kept for the owner to phone about. */
  async hold(r: Omit<NewOutboxRow, 'kind'> & { why: string }, at: number): Promise<void> {
    await this.repo.save(
      this.repo.create({
        platform: r.platform, kind: 'text', recipient: r.recipient, recipientKey: recipientKey(r.recipient), personId: r.personId, requestId: r.requestId, payload: r.payload,
        status: 'held', attempts: 0, nextAttemptAt: at, lockedUntil: null, lastError: r.why, result: null, createdAt: at, sentAt: null,
      }),
    );
  }

  /** The oldest held messages to the villager who reported them. */
  heldForVillager(villagerId: number, limit: number): Promise<OutboxRow[]> {
    return this.repo
      .createQueryBuilder('o')
      .innerJoin(RequestRow, 'r', 'r.id = o.request_id')
      .where("o.status = 'held' AND r.reporter_villager_id = :v", { v: villagerId })
      .orderBy('o.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Marks a held message as sent again in chat; false if someone else already did. */
  async release(id: number): Promise<boolean> {
    return affected(await this.repo.update({ id, status: 'held' }, { status: 'released' })) === 1;
  }

  /** The owner phoned: every message held for the request counts as told. Returns how many. */
  async markPhoned(requestId: number): Promise<number> {
    return affected(await this.em.createQueryBuilder().update(OutboxRow).set({ status: 'phoned' }).where("request_id = :id AND status = 'held'", { id: requestId }).execute());
  }

  countHeld(requestId: number): Promise<number> {
    return this.repo.countBy({ requestId, status: 'held' });
  }

  list(status: string, take: number): Promise<OutboxRow[]> {
    return this.repo.find({ where: { status }, order: { id: 'DESC' }, take });
  }
}
