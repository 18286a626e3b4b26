import type { Person, Village } from './directory';
import { findHousehold, Household, normalizeGroup } from './households';
import { inPeriod, period, quartersOf } from './periods';
import { shanghaiDay } from './time';

/**
 * The outreach duties of seeds 000 §五 and 001 §二.4 / §二.7 (docs/rules.md#11), computed from the
 * household register and the visits recorded — pure: the caller loads, this counts.
 *
 * - 村主干 (the village secretary and the village director; one person when 一肩挑) visit ≥ 10
 *   households of their village a month.
 * - Other village cadres visit every household of their 责任片 ≥ 2 times a year. The 责任片 is the
 *   village's `areas[cadreId]` (a list of 组) in the org file; a cadre not listed there covers the
 *   whole village.
 * - Every cadre (village and resident cadres) is paired with ≥ 1 vulnerable household (结对帮扶,
 *   the person's `pairs`), visited ≥ 1 a month; a cadre with no pair is named as missing one.
 * - Resident cadres visit every household of their village at least once each half-year and hold a
 *   户主会 there each quarter.
 *
 * Visits count on distinct Shanghai days (the same household twice in a day is one visit). A visit not
 * linked to a household of the register (householdId null) counts towards a village head's ten — it
 * was still a household visited — but towards nothing that needs to know which household it was.
 */
export interface Visit {
  personId: string;
  householdId: number | null;
  /** The village it was in, when known (an unlinked visit counts for a head of that village only). */
  villageId?: string | null;
  at: number;
}

/** A 户主会 held by a resident cadre in a village. */
export interface HeadsMeeting {
  personId: string;
  villageId: string;
  at: number;
}

export interface Pair {
  personId: string;
  householdId: number;
}

export interface OutreachInputs {
  people: Person[];
  villages: Village[];
  households: Household[];
  pairs: Pair[];
  visits: Visit[];
  meetings: HeadsMeeting[];
}

export const HEAD_HOUSEHOLDS_A_MONTH = 10;
export const AREA_VISITS_A_YEAR = 2;
export const PAIR_VISITS_A_MONTH = 1;
export const HEADS_MEETINGS_A_QUARTER = 1;

export interface HeadMonth { personId: string; villageIds: string[]; month: string; visited: number; required: number; short: number }
export interface PairMonth { personId: string; month: string; pairs: { householdId: number; visits: number }[]; missed: number[] }
export interface AreaYear {
  personId: string; villageId: string; year: string;
  /** The 组 covered, or null for the whole village. */
  groups: string[] | null;
  households: number; done: number;
  /** Households below two visits, with how many they had. */
  behind: { householdId: number; visits: number }[];
}
export interface ResidentHalf {
  personId: string; villageId: string; half: string;
  households: number; visited: number; missing: number[];
  meetings: { quarter: string; held: number }[];
}

const active = (p: Person | undefined): p is Person => Boolean(p?.active);
const isCadre = (p: Person) => p.position !== 'shared_account' && (p.roles.includes('village_cadre') || p.roles.includes('resident_cadre'));

/** Distinct (household-or-visit, day) visits, so a visit recorded twice the same day counts once. */
function distinctVisits(visits: Visit[]): Visit[] {
  const seen = new Set<string>();
  return visits.filter((v) => {
    const key = v.householdId === null ? `x${v.at}` : `${v.householdId}@${shanghaiDay(new Date(v.at))}`;
    if (seen.has(`${v.personId}:${key}`)) return false;
    seen.add(`${v.personId}:${key}`);
    return true;
  });
}

/** 村主干: each village's secretary and director, with the villages they head. */
export function villageHeads(people: Person[], villages: Village[]): Map<string, string[]> {
  const byId = new Map(people.map((p) => [p.id, p]));
  const heads = new Map<string, string[]>();
  for (const v of villages.filter((x) => x.active)) {
    for (const id of new Set([v.secretaryId, v.directorId].filter((x): x is string => Boolean(x)))) {
      if (active(byId.get(id))) heads.set(id, [...(heads.get(id) ?? []), v.id]);
    }
  }
  return heads;
}

/** Village heads: households of their villages visited this month, against the ten. */
export function headDuties(inp: OutreachInputs, month: string): HeadMonth[] {
  const p = period(month);
  const hh = new Map(inp.households.map((h) => [h.id, h]));
  const visits = distinctVisits(inp.visits.filter((v) => inPeriod(p, v.at)));
  return [...villageHeads(inp.people, inp.villages)].map(([personId, villageIds]) => {
    const mine = visits.filter((v) => v.personId === personId);
    const linked = new Set(mine.filter((v) => v.householdId !== null && villageIds.includes(hh.get(v.householdId)?.villageId ?? '')).map((v) => v.householdId));
    const unlinked = mine.filter((v) => v.householdId === null && (!v.villageId || villageIds.includes(v.villageId))).length;
    const visited = linked.size + unlinked;
    return { personId, villageIds, month, visited, required: HEAD_HOUSEHOLDS_A_MONTH, short: Math.max(0, HEAD_HOUSEHOLDS_A_MONTH - visited) };
  });
}

/** Every cadre with pairs: visits to each paired household this month; `missed` had none. */
export function pairDuties(inp: OutreachInputs, month: string): PairMonth[] {
  const p = period(month);
  const visits = distinctVisits(inp.visits.filter((v) => inPeriod(p, v.at)));
  const byPerson = new Map<string, number[]>();
  for (const pr of inp.pairs) byPerson.set(pr.personId, [...new Set([...(byPerson.get(pr.personId) ?? []), pr.householdId])]);
  return inp.people.filter((x) => x.active && byPerson.has(x.id)).map((person) => {
    const pairs = byPerson.get(person.id)!.map((householdId) => ({ householdId, visits: visits.filter((v) => v.personId === person.id && v.householdId === householdId).length }));
    return { personId: person.id, month, pairs, missed: pairs.filter((x) => x.visits < PAIR_VISITS_A_MONTH).map((x) => x.householdId) };
  });
}

/** Cadres (village and resident cadres) with no 结对帮扶 household at all. */
export function missingPairs(inp: OutreachInputs): string[] {
  const paired = new Set(inp.pairs.map((p) => p.personId));
  return inp.people.filter((p) => p.active && isCadre(p) && !paired.has(p.id)).map((p) => p.id);
}

/** Village cadres other than the heads: every household of their 责任片 twice in the year. */
export function areaDuties(inp: OutreachInputs, year: string): AreaYear[] {
  const p = period(year);
  const heads = villageHeads(inp.people, inp.villages);
  const byId = new Map(inp.people.map((x) => [x.id, x]));
  const visits = distinctVisits(inp.visits.filter((v) => inPeriod(p, v.at)));
  const out: AreaYear[] = [];
  for (const v of inp.villages.filter((x) => x.active)) {
    for (const personId of v.cadreIds) {
      if (heads.has(personId) || !active(byId.get(personId))) continue;
      const groups = v.areas?.[personId]?.map(normalizeGroup) ?? null;
      const area = inp.households.filter((h) => h.active && h.villageId === v.id && (!groups || groups.includes(h.group)));
      const counts = area.map((h) => ({ householdId: h.id, visits: visits.filter((x) => x.personId === personId && x.householdId === h.id).length }));
      const behind = counts.filter((c) => c.visits < AREA_VISITS_A_YEAR);
      out.push({ personId, villageId: v.id, year, groups, households: area.length, done: area.length - behind.length, behind });
    }
  }
  return out;
}

/** Resident cadres: every household of their village once in the half-year, and a 户主会 each quarter. */
export function residentDuties(inp: OutreachInputs, half: string): ResidentHalf[] {
  const p = period(half);
  const byId = new Map(inp.people.map((x) => [x.id, x]));
  const visits = distinctVisits(inp.visits.filter((v) => inPeriod(p, v.at)));
  const out: ResidentHalf[] = [];
  for (const v of inp.villages.filter((x) => x.active)) {
    for (const personId of v.residentIds) {
      if (!active(byId.get(personId))) continue;
      const all = inp.households.filter((h) => h.active && h.villageId === v.id);
      const seen = new Set(visits.filter((x) => x.personId === personId).map((x) => x.householdId));
      const missing = all.filter((h) => !seen.has(h.id)).map((h) => h.id);
      const meetings = quartersOf(half).map((quarter) => ({
        quarter,
        held: inp.meetings.filter((m) => m.personId === personId && m.villageId === v.id && inPeriod(period(quarter), m.at)).length,
      }));
      out.push({ personId, villageId: v.id, half, households: all.length, visited: all.length - missing.length, missing, meetings });
    }
  }
  return out;
}

/**
 * Reads each person's `pairs` (household names, as the org file gives them: "马桂兰家", "3组张三")
 * into households of the register: searched in the villages the person serves (as cadre or resident
 * cadre), else in the whole township. Names that match no household, or several, come back unresolved.
 */
export function resolvePairs(people: Person[], villages: Village[], households: Household[]): { pairs: Pair[]; unresolved: { personId: string; text: string; reason: 'none' | 'many' }[] } {
  const pairs: Pair[] = [];
  const unresolved: { personId: string; text: string; reason: 'none' | 'many' }[] = [];
  for (const p of people.filter((x) => x.active)) {
    const serves = villages.filter((v) => v.active && (v.cadreIds.includes(p.id) || v.residentIds.includes(p.id))).map((v) => v.id);
    for (const text of p.pairs ?? []) {
      const pool = serves.length ? households.filter((h) => serves.includes(h.villageId)) : households;
      const m = findHousehold(pool, null, text);
      if (m.kind === 'one') pairs.push({ personId: p.id, householdId: m.household.id });
      else unresolved.push({ personId: p.id, text, reason: m.kind });
    }
  }
  return { pairs, unresolved };
}
