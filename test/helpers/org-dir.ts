import { Directory, NO_PLATFORMS, Person, Village } from '../../src/domain/directory';
import { OrgFile, parseOrg } from '../../src/domain/org';

/** A Directory straight from an org file, as `org import` + `loadDirectory` would fill it (no database). */
export function directoryOf(raw: unknown, inactive: string[] = []): Directory {
  const org: OrgFile = parseOrg(raw);
  const people: Person[] = org.people.map((p) => ({
    id: p.id,
    name: p.name,
    roles: p.roles,
    title: p.title ?? null,
    phone: p.phone ?? null,
    ids: { ...(p.wecom ? { wecom: p.wecom } : {}), ...(p.dingtalk ? { dingtalk: p.dingtalk } : {}) },
    lastPlatform: null,
    active: !inactive.includes(p.id),
    pairs: p.pairs ?? null,
    position: p.position ?? null,
  }));
  const villages: Village[] = org.villages.map((v) => ({
    id: v.id,
    name: v.name,
    residentIds: v.resident,
    cadreIds: v.cadres,
    secretaryId: v.secretary ?? null,
    directorId: v.director ?? null,
    areas: v.areas ?? null,
    duty: v.duty,
    active: true,
  }));
  const dir = new Directory(NO_PLATFORMS);
  dir.load(people, villages, org.township.name, [], { duty: org.township.duty ?? {}, matters: org.matters ?? [] });
  return dir;
}
