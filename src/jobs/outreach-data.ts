import type { DiaryEntryRow } from '../db/entities';
import type { Directory, Person } from '../domain/directory';
import { findHousehold, Household, parseHouseholdText } from '../domain/households';
import { namesOf, Names } from '../domain/outreach-report';
import { HeadsMeeting, OutreachInputs, Pair, resolvePairs, Visit } from '../domain/visits';
import type { AppDeps } from '../operations/tx';

/**
 * What the visit duties (src/domain/visits.ts) are computed from, read once: the directory's people
 * and villages, the household register, each person's 结对帮扶 households, the visits (`走访`) and the
 * 户主会 recorded in [from, to).
 *
 * A pair the org file names that the register does not hold (or a township with no register yet) is
 * still a pair: it stands as a household of its own (negative id), visited when a `走访` names it the
 * same way — so "no pair" is said only of someone who has none. Visits recorded before they were
 * linked to the register (only the name typed) are linked here by that name.
 */
export interface OutreachData {
  inputs: OutreachInputs;
  names: Names;
  /** Pairs named in the org file that are not in the register, for the log. */
  unregistered: { personId: string; text: string }[];
}

function serves(dir: Directory, p: Person): string[] {
  return dir.activeVillages().filter((v) => v.cadreIds.includes(p.id) || v.residentIds.includes(p.id) || v.secretaryId === p.id || v.directorId === p.id).map((v) => v.id);
}

export async function loadOutreach(deps: AppDeps, from: number, to: number): Promise<OutreachData> {
  const { directory: dir, db } = deps;
  const people = dir.activePeople();
  const villages = dir.activeVillages();
  const registered = await db.read.households.list({});
  const resolved = resolvePairs(people, villages, registered);
  const households: Household[] = [...registered];
  const pairs: Pair[] = [...resolved.pairs];
  const unregistered: OutreachData['unregistered'] = [];
  // An unregistered pair: a household of its own, found again by the words of a visit.
  const virtual = new Map<string, number>();
  for (const u of resolved.unresolved) {
    if (u.reason === 'many') continue;
    const person = dir.person(u.personId)!;
    const { head, group } = parseHouseholdText(u.text);
    const id = -(virtual.size + 1);
    virtual.set(`${u.personId}\u0000${head}\u0000${group}`, id);
    households.push({ id, villageId: serves(dir, person)[0] ?? '', head, group, phone: null, members: null, note: null, active: false });
    pairs.push({ personId: u.personId, householdId: id });
    unregistered.push({ personId: u.personId, text: u.text });
  }

  const rows = await db.read.diary.between(['visit', 'meeting'], from, to - 1);
  const visits: Visit[] = [];
  const meetings: HeadsMeeting[] = [];
  for (const r of rows) {
    const data = (r.data ?? {}) as { householdId?: number | null; household?: string; villageId?: string | null };
    if (r.kind === 'meeting') {
      if (data.villageId) meetings.push({ personId: r.personId, villageId: data.villageId, at: r.at });
      continue;
    }
    visits.push({ personId: r.personId, householdId: linkOf(r, data, registered, virtual, dir), villageId: data.villageId ?? null, at: r.at });
  }
  return { inputs: { people, villages, households: registered, pairs, visits, meetings }, names: namesOf(people, households), unregistered };
}

function linkOf(r: DiaryEntryRow, data: { householdId?: number | null; household?: string }, registered: Household[], virtual: Map<string, number>, dir: Directory): number | null {
  if (typeof data.householdId === 'number') return data.householdId;
  if (!data.household) return null;
  const { head, group } = parseHouseholdText(data.household);
  const own = virtual.get(`${r.personId}\u0000${head}\u0000${group}`) ?? (group ? undefined : [...virtual].find(([k]) => k.startsWith(`${r.personId}\u0000${head}\u0000`))?.[1]);
  if (own !== undefined) return own;
  if (data.householdId === null) return null; // recorded after linking began, and not in the register then
  const person = dir.person(r.personId);
  const pool = person ? registered.filter((h) => serves(dir, person).includes(h.villageId)) : registered;
  const m = findHousehold(pool.length ? pool : registered, null, data.household);
  return m.kind === 'one' ? m.household.id : null;
}
