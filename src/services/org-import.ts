import fs from 'node:fs';
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

    const villagers = em.getRepository(VillagerRow);
    const listed = await villagers.findBy({ source: 'org' });
    const kept = new Set<number>();
    for (const v of org.villagers) {
      const have =
        (v.wecom && (await villagers.findOneBy({ wecomId: v.wecom }))) ||
        (v.dingtalk && (await villagers.findOneBy({ dingtalkId: v.dingtalk }))) ||
        listed.find((x) => x.name === v.name && x.villageId === v.village && !kept.has(x.id)) ||
        null;
      const want = {
        name: v.name,
        villageId: v.village,
        phone: v.phone ?? null,
        wecomId: v.wecom ?? null,
        dingtalkId: v.dingtalk ?? null,
        source: 'org',
        active: true,
      };
      if (!have) {
        const row = await villagers.save(villagers.create({ ...want, kfExternalId: null, sandboxId: null, askedVillage: false, createdAt: now }));
        kept.add(row.id);
        s.villagers.added++;
      } else {
        kept.add(have.id);
        if (Object.entries(want).some(([k, val]) => !same(have[k as keyof VillagerRow], val))) {
          await villagers.update({ id: have.id }, want);
          s.villagers.updated++;
        }
      }
    }
    for (const v of listed) {
      if (!kept.has(v.id) && v.active) {
        await villagers.update({ id: v.id }, { active: false });
        s.villagers.deactivated++;
      }
    }
    await em.getRepository(KvRow).save({ key: 'org.township', value: org.township.name, updatedAt: now });
    return s;
  });
}

/** Fills the in-memory directory from the database. */
export async function loadDirectory(db: Db, dir: Directory): Promise<void> {
  // Ordered, so lists built from the directory (e.g. the township office) read the same on both dialects.
  const people = await db.ds.getRepository(PersonRow).find({ order: { id: 'ASC' } });
  const villages = await db.ds.getRepository(VillageRow).find({ order: { id: 'ASC' } });
  const township = await db.ds.getRepository(KvRow).findOneBy({ key: 'org.township' });
  dir.load(people, villages, township?.value);
  const villagers = await db.ds.getRepository(VillagerRow).findBy({ active: true });
  dir.setVillagerIds('wecom', villagers.filter((v) => v.wecomId).map((v) => v.wecomId!));
  dir.setVillagerIds('dingtalk', villagers.filter((v) => v.dingtalkId).map((v) => v.dingtalkId!));
}
