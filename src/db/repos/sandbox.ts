import { EntityManager, In } from 'typeorm';
import { PersonRow, PlatformIdentityRow, SandboxMessageRow, VillageRow, VillagerRow } from '../entities';

export interface SandboxVillager {
  id: number;
  userId: string;
  name: string | null;
  villageId: string | null;
}

/** What the sandbox platform "delivered" (each identity's chat), and who can be played there. */
export class SandboxRepo {
  constructor(
    private readonly em: EntityManager,
    private readonly realm: string,
  ) {}

  private get messages() {
    return this.em.getRepository(SandboxMessageRow);
  }

  async record(m: Pick<SandboxMessageRow, 'recipient' | 'direction' | 'kind' | 'payload' | 'taskId'>, at: number): Promise<void> {
    await this.messages.insert({ ...m, payload: m.payload as never, createdAt: at, updatedAt: at });
  }

  /** Every copy of a card (by task id) that went to these recipients now shows `payload`. */
  async updateCard(taskId: string, recipients: string[], payload: unknown, at: number): Promise<void> {
    await this.em
      .createQueryBuilder()
      .update(SandboxMessageRow)
      .set({ payload: payload as never, updatedAt: at })
      .where('task_id = :t AND recipient IN (:...to)', { t: taskId, to: recipients })
      .execute();
  }

  /** By update time, so that the newest time returned is a cursor that skips nothing when a page is full. */
  inbox(recipient: string, since: number, limit: number): Promise<SandboxMessageRow[]> {
    return this.messages
      .createQueryBuilder('m')
      .where('m.recipient = :as AND m.updated_at > :since', { as: recipient, since })
      .orderBy('m.updated_at', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Per recipient: how many messages went out to them, and the newest time. */
  async outCounts(): Promise<{ recipient: string; n: number; last: number }[]> {
    const rows: { recipient: string; n: number | string; last: number | string }[] = await this.messages
      .createQueryBuilder('m')
      .select('m.recipient', 'recipient')
      .addSelect('COUNT(*)', 'n')
      .addSelect('MAX(m.updated_at)', 'last')
      .where("m.direction = 'out'")
      .groupBy('m.recipient')
      .getRawMany();
    return rows.map((r) => ({ recipient: r.recipient, n: Number(r.n), last: Number(r.last) }));
  }

  countOutSince(recipient: string, since: number): Promise<number> {
    return this.messages.createQueryBuilder('m').where("m.recipient = :r AND m.direction = 'out' AND m.updated_at > :since", { r: recipient, since }).getCount();
  }

  activeVillages(): Promise<VillageRow[]> {
    return this.em.getRepository(VillageRow).find({ where: { active: true }, order: { name: 'ASC' } });
  }

  /** Active villagers with their sandbox id. */
  async villagers(): Promise<SandboxVillager[]> {
    const rows = await this.em.getRepository(VillagerRow).find({ where: { active: true }, order: { id: 'ASC' } });
    const ids = await this.em.getRepository(PlatformIdentityRow).findBy({ realm: this.realm, villagerId: In(rows.length ? rows.map((r) => r.id) : [-1]) });
    const byVillager = new Map(ids.map((i) => [i.villagerId, i.userId]));
    return rows.flatMap((r) => (byVillager.has(r.id) ? [{ id: r.id, userId: byVillager.get(r.id)!, name: r.name, villageId: r.villageId }] : []));
  }

  /** A new villager of the sandbox, known there as `v<id>`. */
  async addVillager(name: string, villageId: string | null, at: number): Promise<string> {
    const row = await this.em.getRepository(VillagerRow).save({ name, villageId, phone: null, source: 'sandbox', askedVillage: false, active: true, createdAt: at });
    const userId = `v${row.id}`;
    await this.em.getRepository(PlatformIdentityRow).insert({ realm: this.realm, userId, personId: null, villagerId: row.id, lastInAt: null, windowOut: 0, createdAt: at });
    return userId;
  }

  /**
   * In the sandbox everyone of the directory can be played: a person by their person id, a villager
   * as `v<id>`. Gives every person and villager who has no sandbox id yet theirs.
   */
  async provision(at: number): Promise<number> {
    const ids = this.em.getRepository(PlatformIdentityRow);
    const have = await ids.findBy({ realm: this.realm });
    const taken = new Set(have.map((i) => i.userId));
    const people = new Set(have.map((i) => i.personId).filter(Boolean));
    const villagers = new Set(have.map((i) => i.villagerId).filter((x) => x !== null));
    let added = 0;
    for (const p of await this.em.getRepository(PersonRow).find({ order: { id: 'ASC' } })) {
      if (people.has(p.id) || taken.has(p.id)) continue;
      await ids.insert({ realm: this.realm, userId: p.id, personId: p.id, villagerId: null, lastInAt: null, windowOut: 0, createdAt: at });
      added++;
    }
    for (const v of await this.em.getRepository(VillagerRow).find({ order: { id: 'ASC' } })) {
      if (villagers.has(v.id) || taken.has(`v${v.id}`)) continue;
      await ids.insert({ realm: this.realm, userId: `v${v.id}`, personId: null, villagerId: v.id, lastInAt: null, windowOut: 0, createdAt: at });
      added++;
    }
    return added;
  }
}
