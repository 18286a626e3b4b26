import { EntityManager, In, IsNull, Not } from 'typeorm';
import { PlatformIdentityRow, VillagerRow } from '../entities';

export type NewVillager = Pick<VillagerRow, 'name' | 'villageId' | 'phone' | 'source'>;

/** Villagers: listed in the org file, or met on a platform. */
export class VillagerRepo {
  constructor(private readonly em: EntityManager) {}

  private get repo() {
    return this.em.getRepository(VillagerRow);
  }

  byId(id: number): Promise<VillagerRow | null> {
    return this.repo.findOneBy({ id });
  }

  create(v: NewVillager, at: number): Promise<VillagerRow> {
    return this.repo.save(this.repo.create({ ...v, askedVillage: false, active: true, createdAt: at }));
  }

  async update(id: number, patch: Partial<Pick<VillagerRow, 'villageId' | 'askedVillage' | 'name' | 'phone' | 'active'>>): Promise<void> {
    await this.repo.update({ id }, patch);
  }

  /** Active villagers with this phone number (digits compared), or with this name in this village (a 补录's 反映人, docs/interface.md#year). */
  async matching(o: { phone?: string | null; name?: string | null; villageId?: string | null }): Promise<VillagerRow[]> {
    const digits = o.phone?.replace(/\D/g, '');
    if (digits) {
      const byPhone = (await this.repo.find({ where: { active: true, phone: Not(IsNull()) }, order: { id: 'ASC' } })).filter((v) => v.phone?.replace(/\D/g, '') === digits);
      if (byPhone.length) return byPhone;
    }
    if (!o.name || !o.villageId) return [];
    return this.repo.find({ where: { active: true, name: o.name, villageId: o.villageId }, order: { id: 'ASC' } });
  }

  active(villageId?: string): Promise<VillagerRow[]> {
    return this.repo.find({ where: villageId ? { villageId, active: true } : { active: true }, order: { id: 'ASC' } });
  }
}

/** Whose a platform user id is, and the reply window of ids whose platform has one. */
export class IdentityRepo {
  constructor(private readonly em: EntityManager) {}

  private get repo() {
    return this.em.getRepository(PlatformIdentityRow);
  }

  find(realm: string, userId: string): Promise<PlatformIdentityRow | null> {
    return this.repo.findOneBy({ realm, userId });
  }

  /** The villager a user id belongs to, if any. */
  async villager(realm: string, userId: string): Promise<VillagerRow | null> {
    const id = await this.find(realm, userId);
    return id?.villagerId ? this.em.getRepository(VillagerRow).findOneBy({ id: id.villagerId }) : null;
  }

  async addVillager(villagerId: number, realm: string, userId: string, at: number): Promise<void> {
    await this.repo.insert({ realm, userId, personId: null, villagerId, lastInAt: null, windowOut: 0, createdAt: at });
  }

  ofVillagers(villagerIds: number[]): Promise<PlatformIdentityRow[]> {
    if (!villagerIds.length) return Promise.resolve([]);
    return this.repo.find({ where: { villagerId: In(villagerIds) }, order: { id: 'ASC' } });
  }

  /** Every id that belongs to a person. */
  ofPeople(): Promise<PlatformIdentityRow[]> {
    return this.repo.createQueryBuilder('i').where('i.person_id IS NOT NULL').orderBy('i.id', 'ASC').getMany();
  }

  /** The user wrote to us: their reply window opens again. */
  async wrote(realm: string, userId: string, at: number): Promise<void> {
    await this.repo.update({ realm, userId }, { lastInAt: at, windowOut: 0 });
  }

  /** One more message went to them within the window. */
  async countOut(realm: string, userId: string): Promise<void> {
    await this.em.createQueryBuilder().update(PlatformIdentityRow).set({ windowOut: () => 'window_out + 1' }).where('realm = :realm AND user_id = :userId', { realm, userId }).execute();
  }
}
