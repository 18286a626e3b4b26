import { EntityManager, In, IsNull, Not } from 'typeorm';
import { KvRow, PersonRow, PlatformIdentityRow, VillageRow, VillagerRow } from '../entities';
import type { MatterOverride } from '../../domain/catalogue';
import type { OrgFile } from '../../domain/org';

export interface ImportSummary {
  township: string;
  people: { added: number; updated: number; deactivated: number };
  /** Ids of the people this import deactivated (docs/interface.md#year: their work is handed over, their diary archived). */
  left: string[];
  villages: { added: number; updated: number; deactivated: number };
  villagers: { added: number; updated: number; deactivated: number };
}

type Counts = ImportSummary['villagers'];
type ListedVillager = OrgFile['villagers'][number];
type Ids = Map<string, string>;

/** The org file's platform id fields and the realm each names (docs/interface.md#org-file). */
const FILE_REALMS = [
  ['wecom', 'wecom'],
  ['dingtalk', 'dingtalk'],
] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const idsOf = (entry: { wecom?: string; dingtalk?: string }): Ids => new Map(FILE_REALMS.filter(([field]) => entry[field]).map(([field, realm]) => [realm, entry[field]!]));
const FILE_REALM_NAMES = FILE_REALMS.map(([, realm]) => realm);
const KEY = (realm: string, userId: string) => `${realm}\u0000${userId}`;

/** What the directory is loaded from. */
export interface OrgSnapshot {
  people: PersonRow[];
  villages: VillageRow[];
  township: string | null;
  townshipDuty: Partial<Record<string, string[]>>;
  matters: MatterOverride[];
  /** Every id of an active person or an active villager. */
  identities: PlatformIdentityRow[];
  villagerIdentities: PlatformIdentityRow[];
  version: number;
}

/**
 * The org directory in the database. Import is idempotent: importing the same file twice changes
 * nothing; people, villages and listed villagers that left the file are deactivated, never deleted
 * (their requests and timeline entries keep pointing at them). Every import that changes something
 * bumps the org version, which every running instance watches.
 */
export class OrgRepo {
  constructor(private readonly em: EntityManager) {}

  async import(org: OrgFile, now: number): Promise<ImportSummary> {
    await this.lockVersion(now);
    const left: string[] = [];
    const s: ImportSummary = {
      township: org.township.name,
      people: await this.importPeople(org, now, left),
      left,
      villages: await this.importVillages(org, now),
      villagers: await this.importVillagers(org.villagers, now),
    };
    // Kept beside the township name: township duty (docs/interface.md#org-file) and the catalogue's changes.
    let townshipChanged = false;
    for (const [key, value] of [
      ['org.township', org.township.name],
      ['org.township.duty', JSON.stringify(org.township.duty ?? {})],
      ['org.matters', JSON.stringify(org.matters ?? [])],
    ] as const) {
      const have = await this.em.getRepository(KvRow).findOneBy({ key });
      if (have?.value === value) continue;
      await this.em.getRepository(KvRow).save({ key, value, updatedAt: now });
      townshipChanged = true;
    }
    const changed = [s.people, s.villages, s.villagers].some((c) => c.added + c.updated + c.deactivated > 0) || townshipChanged;
    if (changed) await this.bumpVersion(now);
    return s;
  }

  /**
   * Imports one at a time across processes: the version row is locked for the import's transaction
   * (MySQL `SELECT … FOR UPDATE`; SQLite has one writer anyway), so a second `org import` started at
   * the same moment waits, then reads the version the first wrote — never the same number twice.
   */
  private async lockVersion(now: number): Promise<void> {
    const kv = this.em.getRepository(KvRow);
    if (this.em.connection.options.type !== 'mysql') return;
    await this.em.createQueryBuilder().insert().into(KvRow).values({ key: 'org.version', value: '0', updatedAt: now }).orIgnore().execute();
    await kv.findOne({ where: { key: 'org.version' }, lock: { mode: 'pessimistic_write' } });
  }

  private async bumpVersion(now: number): Promise<void> {
    const kv = this.em.getRepository(KvRow);
    const v = Number((await kv.findOneBy({ key: 'org.version' }))?.value ?? 0);
    await kv.save({ key: 'org.version', value: String(v + 1), updatedAt: now });
  }

  /** The platform a person last used (their messages go there when they are on several). */
  async notePlatform(personId: string, platform: string): Promise<void> {
    await this.em.getRepository(PersonRow).update({ id: personId }, { lastPlatform: platform });
  }

  /** Names of people by id, whether active or not. */
  async names(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    return new Map((await this.em.getRepository(PersonRow).findBy({ id: In(ids) })).map((p) => [p.id, p.name]));
  }

  async version(): Promise<number> {
    return Number((await this.em.getRepository(KvRow).findOneBy({ key: 'org.version' }))?.value ?? 0);
  }

  async snapshot(): Promise<OrgSnapshot> {
    // Ordered, so lists built from the directory (e.g. the township office) read the same on both dialects.
    const people = await this.em.getRepository(PersonRow).find({ order: { id: 'ASC' } });
    const villages = await this.em.getRepository(VillageRow).find({ order: { id: 'ASC' } });
    const kv = await this.em.getRepository(KvRow).findBy({ key: In(['org.township', 'org.township.duty', 'org.matters']) });
    const value = (key: string) => kv.find((r) => r.key === key)?.value;
    const township = value('org.township') ?? null;
    const townshipDuty = JSON.parse(value('org.township.duty') ?? '{}') as OrgSnapshot['townshipDuty'];
    const matters = JSON.parse(value('org.matters') ?? '[]') as MatterOverride[];
    const ids = this.em.getRepository(PlatformIdentityRow);
    const identities = await ids.find({ where: { personId: Not(IsNull()) }, order: { id: 'ASC' } });
    const activeVillagers = (await this.em.getRepository(VillagerRow).find({ select: { id: true }, where: { active: true } })).map((v) => v.id);
    const villagerIdentities: PlatformIdentityRow[] = [];
    for (let i = 0; i < activeVillagers.length; i += 500) villagerIdentities.push(...(await ids.findBy({ villagerId: In(activeVillagers.slice(i, i + 500)) })));
    return { people, villages, township, townshipDuty, matters, identities, villagerIdentities, version: await this.version() };
  }

  private async importPeople(org: OrgFile, now: number, left: string[]): Promise<Counts> {
    const c: Counts = { added: 0, updated: 0, deactivated: 0 };
    const people = this.em.getRepository(PersonRow);
    const existing = new Map((await people.find()).map((p) => [p.id, p]));
    const idRows = await this.em.getRepository(PlatformIdentityRow).findBy({ realm: In(FILE_REALM_NAMES), personId: Not(IsNull()) });
    const had = new Map<string, Ids>();
    for (const r of idRows) had.set(r.personId!, (had.get(r.personId!) ?? new Map<string, string>()).set(r.realm, r.userId));
    // Ids that leave a person or change hands are let go first, so an id may move between people in one import.
    const wanted = new Map(org.people.map((p) => [p.id, idsOf(p)]));
    const given = new Map<string, string>();
    for (const [pid, ids] of wanted) for (const [realm, userId] of ids) given.set(KEY(realm, userId), pid);
    for (const r of idRows) if (given.get(KEY(r.realm, r.userId)) !== r.personId) await this.em.getRepository(PlatformIdentityRow).delete({ id: r.id });
    for (const [pid, ids] of wanted) for (const [realm, userId] of ids) if (had.get(pid)?.get(realm) !== userId) await this.claimId(realm, userId, { personId: pid }, now);

    for (const p of org.people) {
      const want = { name: p.name, roles: p.roles, title: p.title ?? null, phone: p.phone ?? null, pairs: p.pairs ?? null, position: p.position ?? null, active: true };
      const have = existing.get(p.id);
      const idsChanged = !same([...(had.get(p.id) ?? new Map<string, string>())].sort(), [...wanted.get(p.id)!].sort());
      if (!have) {
        await people.insert({ id: p.id, ...want, lastPlatform: null, updatedAt: now });
        c.added++;
      } else if (idsChanged || Object.entries(want).some(([k, v]) => !same(have[k as keyof PersonRow], v))) {
        await people.update({ id: p.id }, { ...want, updatedAt: now });
        c.updated++;
      }
    }
    for (const have of existing.values()) {
      if (!wanted.has(have.id) && have.active) {
        await people.update({ id: have.id }, { active: false, updatedAt: now });
        c.deactivated++;
        left.push(have.id);
      }
    }
    return c;
  }

  /** Gives the id to `owner`, whoever held it before (unique per realm). */
  private async claimId(realm: string, userId: string, owner: { personId?: string; villagerId?: number }, now: number): Promise<void> {
    const repo = this.em.getRepository(PlatformIdentityRow);
    const row = { personId: owner.personId ?? null, villagerId: owner.villagerId ?? null };
    const held = await repo.findOneBy({ realm, userId });
    if (held) await repo.update({ id: held.id }, row);
    else await repo.insert({ realm, userId, ...row, lastInAt: null, windowOut: 0, createdAt: now });
  }

  private async importVillages(org: OrgFile, now: number): Promise<Counts> {
    const c: Counts = { added: 0, updated: 0, deactivated: 0 };
    const villages = this.em.getRepository(VillageRow);
    const existing = new Map((await villages.find()).map((v) => [v.id, v]));
    for (const v of org.villages) {
      const want = { name: v.name, residentIds: v.resident, cadreIds: v.cadres, secretaryId: v.secretary ?? null, duty: v.duty, directorId: v.director ?? null, areas: v.areas ?? null, active: true };
      const have = existing.get(v.id);
      if (!have) {
        await villages.insert({ id: v.id, ...want, updatedAt: now });
        c.added++;
      } else if (Object.entries(want).some(([k, val]) => !same(have[k as keyof VillageRow], val))) {
        await villages.update({ id: v.id }, { ...want, updatedAt: now });
        c.updated++;
      }
    }
    for (const have of existing.values()) {
      if (!org.villages.some((v) => v.id === have.id) && have.active) {
        await villages.update({ id: have.id }, { active: false, updatedAt: now });
        c.deactivated++;
      }
    }
    return c;
  }

  /**
   * Listed villagers. Who is who is settled first, then written: a row is the same villager when name
   * and village match; failing that, when it holds one of their platform ids (a renamed villager, or
   * one first met on a platform who is now listed). So an id may move to another villager, or two may
   * swap ids, without anyone taking over someone else's row (and their requests).
   */
  private async importVillagers(listed: ListedVillager[], now: number): Promise<Counts> {
    const c: Counts = { added: 0, updated: 0, deactivated: 0 };
    const repo = this.em.getRepository(VillagerRow);
    const idRepo = this.em.getRepository(PlatformIdentityRow);
    const fromOrg = await repo.find({ where: { source: 'org' }, order: { id: 'ASC' } });
    const idRows = await idRepo.findBy({ realm: In(FILE_REALM_NAMES), villagerId: Not(IsNull()) });
    const idsOfRow = (villagerId: number): Ids => new Map(idRows.filter((r) => r.villagerId === villagerId).map((r) => [r.realm, r.userId]));
    const holderOf = (realm: string, userId: string) => idRows.find((r) => r.realm === realm && r.userId === userId)?.villagerId ?? null;
    const taken = new Set<number>();
    const rowOf = new Map<number, VillagerRow>();

    listed.forEach((v, i) => {
      const sameName = fromOrg.filter((r) => !taken.has(r.id) && r.name === v.name && r.villageId === v.village);
      const want = idsOf(v);
      const row = sameName.find((r) => [...want].some(([realm, userId]) => holderOf(realm, userId) === r.id)) ?? sameName[0];
      if (row) {
        taken.add(row.id);
        rowOf.set(i, row);
      }
    });
    for (const [i, v] of listed.entries()) {
      if (rowOf.has(i)) continue;
      for (const [realm, userId] of idsOf(v)) {
        const holder = holderOf(realm, userId);
        if (holder !== null && !taken.has(holder)) {
          const row = await repo.findOneByOrFail({ id: holder });
          taken.add(holder);
          rowOf.set(i, row);
          break;
        }
      }
    }

    // Free every id that changes hands or is dropped before writing any.
    const plan = new Map<number, Ids>([...rowOf].map(([i, r]) => [r.id, idsOf(listed[i])]));
    const given = new Set(listed.flatMap((v) => [...idsOf(v)].map(([realm, userId]) => KEY(realm, userId))));
    for (const r of idRows) {
      const mine = plan.get(r.villagerId!);
      const keep = mine ? mine.get(r.realm) === r.userId : !given.has(KEY(r.realm, r.userId));
      if (!keep) await idRepo.delete({ id: r.id });
    }

    for (const [i, v] of listed.entries()) {
      const want = { name: v.name, villageId: v.village, phone: v.phone ?? null, source: 'org', active: true };
      const ids = idsOf(v);
      let have = rowOf.get(i);
      if (!have) {
        have = await repo.save(repo.create({ ...want, askedVillage: false, createdAt: now }));
        c.added++;
      } else if (!same([...idsOfRow(have.id)].sort(), [...ids].sort()) || Object.entries(want).some(([k, val]) => !same(have![k as keyof VillagerRow], val))) {
        await repo.update({ id: have.id }, want);
        c.updated++;
      }
      for (const [realm, userId] of ids) if (holderOf(realm, userId) !== have.id) await this.claimId(realm, userId, { villagerId: have.id }, now);
    }
    for (const r of fromOrg) {
      if (!taken.has(r.id) && r.active) {
        await repo.update({ id: r.id }, { active: false });
        c.deactivated++;
      }
    }
    return c;
  }
}
