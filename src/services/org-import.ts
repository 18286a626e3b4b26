import fs from 'node:fs';
import type { Db } from '../db/db';
import type { ImportSummary } from '../db/repos';
import type { Directory, Person } from '../domain/directory';
import { OrgFile, parseOrg } from '../domain/org';

export type { ImportSummary };

/** Someone an import deactivated, with the requests they still owned (docs/interface.md#year). */
export interface Leaving {
  personId: string;
  name: string;
  /** Their diary, archived: how many entries. */
  diaryEntries: number;
  requests: { id: number; code: string; text: string; status: string; villageId: string | null }[];
}

export type OrgImportResult = ImportSummary & { leaving: Leaving[] };

export function readOrgFile(path: string): OrgFile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`组织架构文件无法读取 / cannot read org file ${path}: ${(e as Error).message}`, { cause: e });
  }
  return parseOrg(raw, path);
}

/**
 * Loads the org file into the database (docs/interface.md#org-file). Idempotent: importing the same
 * file twice changes nothing; people, villages and listed villagers that left the file are
 * deactivated, never deleted. For each person it deactivates, in the same transaction, their
 * 民情日记 is archived (seed 002 §三.(三).4) and the requests they still own are listed — the 交接
 * cards for those go out when the directory is next loaded (src/operations/handover.ts).
 */
export function importOrg(db: Db, org: OrgFile, now: number): Promise<OrgImportResult> {
  return db.tx(async (r) => {
    const s = await r.org.import(org, now);
    const archived = await r.diaryArchive.archive(s.left, now);
    const open = await r.requests.openOwnedBy(s.left);
    const names = await r.org.names(s.left);
    const leaving = s.left.map((personId) => ({
      personId,
      name: names.get(personId) ?? personId,
      diaryEntries: archived.find((a) => a.personId === personId)?.entries ?? 0,
      requests: open.filter((q) => q.ownerId === personId).map((q) => ({ id: q.id, code: q.code, text: q.text, status: q.status, villageId: q.villageId })),
    }));
    return { ...s, leaving };
  });
}

/** Fills the in-memory directory from the database. */
export async function loadDirectory(db: Db, dir: Directory): Promise<void> {
  const s = await db.read.org.snapshot();
  const ids = new Map<string, Record<string, string>>();
  for (const i of s.identities) ids.set(i.personId!, { ...ids.get(i.personId!), [i.realm]: i.userId });
  const people: Person[] = s.people.map((p) => ({
    id: p.id, name: p.name, roles: p.roles, title: p.title, phone: p.phone, ids: ids.get(p.id) ?? {}, lastPlatform: p.lastPlatform, active: p.active, pairs: p.pairs, position: p.position,
  }));
  const villagerIds = s.villagerIdentities.map((i) => ({ realm: i.realm, userId: i.userId }));
  dir.load(people, s.villages, s.township ?? undefined, villagerIds, { duty: s.townshipDuty, matters: s.matters });
  dir.version = s.version;
}
