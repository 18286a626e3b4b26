import fs from 'node:fs';
import { EntityManager, In } from 'typeorm';
import { Db } from '../db/db';
import { KvRow, PersonRow, VillageRow, VillagerRow } from '../db/entities';
import { OrgFile, parseOrg } from '../domain/org';
import { Directory } from '../domain/directory';

export interface ImportSummary {
  township: string;
  people: { added: number; updated: number; deactivated: number };
  villages: { added: number; updated: number; deactivated: number };
  villagers: { added: number; updated: number; deactivated: number };
}

export function readOrgFile(path: string): OrgFile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`组织架构文件无法读取 / cannot read org file ${path}: ${(e as Error).message}`);
  }
  return parseOrg(raw, path);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Loads the org file into the database. Idempotent: importing the same file twice changes nothing;
 * people, villages and listed villagers that left the file are deactivated, never deleted (their
 * requests and timeline entries keep pointing at them).
 */
export async function importOrg(db: Db, org: OrgFile, now: number): Promise<ImportSummary> {
  return db.tx(async (em) => {
    const s: ImportSummary = {
      township: org.township.name,
      people: { added: 0, updated: 0, deactivated: 0 },
      villages: { added: 0, updated: 0, deactivated: 0 },
      villagers: { added: 0, updated: 0, deactivated: 0 },
    };
    const people = em.getRepository(PersonRow);
    const existingPeople = new Map((await people.find()).map((p) => [p.id, p]));
    // Free the platform ids that change hands first, so an id may move between people in one import.
    const fileIds = org.people.map((p) => p.id);
    for (const have of existingPeople.values()) {
      const inFile = org.people.find((p) => p.id === have.id);
      if ((have.wecomId ?? null) !== (inFile?.wecom ?? null) || (have.dingtalkId ?? null) !== (inFile?.dingtalk ?? null)) {
        await people.update({ id: have.id }, { wecomId: null, dingtalkId: null });
      }
    }
    for (const p of org.people) {
      const want = {
        name: p.name,
        roles: p.roles,
        title: p.title ?? null,
        phone: p.phone ?? null,
        wecomId: p.wecom ?? null,
        dingtalkId: p.dingtalk ?? null,
        pairs: p.pairs ?? null,
        position: p.position ?? null,
        active: true,
      };
      const have = existingPeople.get(p.id);
      if (!have) {
        await people.insert({ id: p.id, ...want, lastPlatform: null, updatedAt: now });
        s.people.added++;
      } else if (Object.entries(want).some(([k, v]) => !same(have[k as keyof PersonRow], v))) {
        await people.update({ id: p.id }, { ...want, updatedAt: now });
        s.people.updated++;
      }
    }
    for (const have of existingPeople.values()) {
      if (!fileIds.includes(have.id) && have.active) {
        await people.update({ id: have.id }, { active: false, updatedAt: now });
        s.people.deactivated++;
      }
    }

    const villages = em.getRepository(VillageRow);
    const existingVillages = new Map((await villages.find()).map((v) => [v.id, v]));
    for (const v of org.villages) {
      const want = {
        name: v.name,
        residentIds: v.resident,
        cadreIds: v.cadres,
        secretaryId: v.secretary ?? null,
        duty: v.duty,
        directorId: v.director ?? null,
        areas: v.areas ?? null,
        active: true,
      };
      const have = existingVillages.get(v.id);
      if (!have) {
        await villages.insert({ id: v.id, ...want, updatedAt: now });
        s.villages.added++;
      } else if (Object.entries(want).some(([k, val]) => !same(have[k as keyof VillageRow], val))) {
        await villages.update({ id: v.id }, { ...want, updatedAt: now });
        s.villages.updated++;
      }
    }
    for (const have of existingVillages.values()) {
      if (!org.villages.some((v) => v.id === have.id) && have.active) {
        await villages.update({ id: have.id }, { active: false, updatedAt: now });
        s.villages.deactivated++;
      }
    }

    s.villagers = await importVillagers(em, org.villagers, now);
    await em.getRepository(KvRow).save({ key: 'org.township', value: org.township.name, updatedAt: now });
    // Kept beside the township name: township duty (CONTRACT §13) and the catalogue's changes.
    await em.getRepository(KvRow).save({ key: 'org.township.duty', value: JSON.stringify(org.township.duty ?? {}), updatedAt: now });
    await em.getRepository(KvRow).save({ key: 'org.matters', value: JSON.stringify(org.matters ?? []), updatedAt: now });
    return s;
  });
}

type Counts = ImportSummary['villagers'];
type ListedVillager = OrgFile['villagers'][number];
const PLATFORM_IDS = ['wecomId', 'dingtalkId'] as const;

/**
 * Listed villagers. Who is who is settled first, then written: a row is the same villager when name
 * and village match; failing that, when it holds one of their platform ids (a renamed villager, or one
 * first met on a platform who is now listed). So an id may move to another villager, or two may swap
 * ids, without anyone taking over someone else's row (and their requests). Ids that change hands are
 * freed before any is written, as the unique indexes require.
 */
async function importVillagers(em: EntityManager, listed: ListedVillager[], now: number): Promise<Counts> {
  const c: Counts = { added: 0, updated: 0, deactivated: 0 };
  const repo = em.getRepository(VillagerRow);
  const fromOrg = await repo.find({ where: { source: 'org' }, order: { id: 'ASC' } });
  const wanted = (v: ListedVillager) => ({ wecomId: v.wecom ?? null, dingtalkId: v.dingtalk ?? null });
  const taken = new Set<number>();
  const rowOf = new Map<number, VillagerRow>();

  listed.forEach((v, i) => {
    const sameName = fromOrg.filter((r) => !taken.has(r.id) && r.name === v.name && r.villageId === v.village);
    const ids = wanted(v);
    const row = sameName.find((r) => PLATFORM_IDS.some((k) => ids[k] && r[k] === ids[k])) ?? sameName[0];
    if (row) {
      taken.add(row.id);
      rowOf.set(i, row);
    }
  });
  for (const [i, v] of listed.entries()) {
    if (rowOf.has(i)) continue;
    const ids = wanted(v);
    for (const k of PLATFORM_IDS) {
      const holder = ids[k] ? await repo.findOneBy({ [k]: ids[k] }) : null;
      if (holder && !taken.has(holder.id)) {
        taken.add(holder.id);
        rowOf.set(i, holder);
        break;
      }
    }
  }

  // Free every id that changes hands or is dropped before writing any, as the unique indexes require:
  // rows holding an id the file gives to someone else, and rows about to get other ids.
  const plan = new Map([...rowOf].map(([i, r]) => [r.id, wanted(listed[i])]));
  for (const k of PLATFORM_IDS) {
    const given = listed.map((v) => wanted(v)[k]).filter((x): x is string => !!x);
    const holders = given.length ? await repo.findBy({ [k]: In(given) }) : [];
    for (const h of [...holders, ...rowOf.values()]) {
      if (h[k] !== null && plan.get(h.id)?.[k] !== h[k]) {
        await repo.update({ id: h.id }, { [k]: null });
        h[k] = null;
      }
    }
  }

  for (const [i, v] of listed.entries()) {
    const want = { name: v.name, villageId: v.village, phone: v.phone ?? null, ...wanted(v), source: 'org', active: true };
    const have = rowOf.get(i);
    if (!have) {
      await repo.insert({ ...want, kfExternalId: null, sandboxId: null, askedVillage: false, createdAt: now });
      c.added++;
    } else if (Object.entries(want).some(([k, val]) => !same(have[k as keyof VillagerRow], val))) {
      await repo.update({ id: have.id }, want);
      c.updated++;
    }
  }
  for (const r of fromOrg) {
    if (!taken.has(r.id) && r.active) {
      await repo.update({ id: r.id }, { active: false });
      c.deactivated++;
    }
  }
  return c;
}

/** Fills the in-memory directory from the database. */
export async function loadDirectory(db: Db, dir: Directory): Promise<void> {
  // Ordered, so lists built from the directory (e.g. the township office) read the same on both dialects.
  const people = await db.ds.getRepository(PersonRow).find({ order: { id: 'ASC' } });
  const villages = await db.ds.getRepository(VillageRow).find({ order: { id: 'ASC' } });
  const kv = await db.ds.getRepository(KvRow).findBy({ key: In(['org.township', 'org.township.duty', 'org.matters']) });
  const value = (key: string) => kv.find((r) => r.key === key)?.value;
  const json = <T>(key: string, fallback: T): T => {
    const v = value(key);
    return v ? (JSON.parse(v) as T) : fallback;
  };
  dir.load(people, villages, value('org.township'), { duty: json('org.township.duty', {}), matters: json('org.matters', []) });
  const villagers = await db.ds.getRepository(VillagerRow).findBy({ active: true });
  dir.setVillagerIds('wecom', villagers.filter((v) => v.wecomId).map((v) => v.wecomId!));
  dir.setVillagerIds('dingtalk', villagers.filter((v) => v.dingtalkId).map((v) => v.dingtalkId!));
}
