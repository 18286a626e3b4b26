import { EntityManager } from 'typeorm';
import { InboundDeliveryRow } from '../entities';

/** Deliveries from the platforms (stored by `Db.insertUnique` on the ack path). */
export class DeliveryRepo {
  constructor(private readonly em: EntityManager) {}

  /** Done with it, in the transaction that did the work: the two commit together. */
  async finish(id: number, o: { status: 'done' | 'ignored'; error: string | null; at: number }): Promise<void> {
    await this.em.getRepository(InboundDeliveryRow).update({ id }, { status: o.status, error: o.error, processedAt: o.at, lockedUntil: null });
  }

  list(status: string, take: number): Promise<InboundDeliveryRow[]> {
    return this.em.getRepository(InboundDeliveryRow).find({ where: { status }, order: { id: 'DESC' }, take });
  }
}
