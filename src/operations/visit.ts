import type { Directory } from '../domain/directory';
import { findHousehold, groupLabel, Household, householdLabel, normalizeGroup, parseHouseholdText } from '../domain/households';
import { TY } from '../domain/texts';
import type { PersonActor } from './context';
import { ask, type PlainOp } from './run';

export interface VisitInput {
  /** The household as typed: 张三, 3组张三, 张三家. */
  household: string;
  text: string;
  /** The 组, when we asked which (the answer to `visit_group`). */
  group?: string;
}

/** The villages a person serves: as cadre, resident cadre, secretary or director. */
export function servedVillages(dir: Directory, personId: string): string[] {
  return dir
    .activeVillages()
    .filter((v) => v.cadreIds.includes(personId) || v.residentIds.includes(personId) || v.secretaryId === personId || v.directorId === personId)
    .map((v) => v.id);
}

/**
 * 走访 户主 情况 (docs/rules.md#11, docs/interface.md#year): a household visit in the diary, linked to the
 * household of the register (民情档案) it names — looked for in the villages the cadre serves, then in
 * the whole township. Two households with that 户主 and no 组 to tell them apart: the cadre is asked
 * which 组. A name not in the register is recorded all the same (it still counts as a household
 * visited for a village head's ten), and the cadre is told it is not linked.
 */
export const visit: PlainOp<VisitInput, PersonActor> = {
  name: 'visit',
  async run(ctx, { household, text, group }) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    const serves = servedVillages(tx.dir, me.id);
    const all = await tx.households.list({ activeOnly: true });
    const pool = serves.length ? all.filter((h) => serves.includes(h.villageId)) : all;
    const typed = group ? `${groupLabel(normalizeGroup(group))}${parseHouseholdText(household).head}` : household;
    let m = findHousehold(pool, null, typed);
    if (m.kind === 'none' && pool !== all) m = findHousehold(all, null, typed);
    if (m.kind === 'many') {
      const groups = m.households.map((h) => groupLabel(h.group) || TY.noGroup);
      const question = group ? TY.visitNoSuchGroup(group, groups) : TY.visitWhichGroup(parseHouseholdText(household).head, groups);
      return ask(ctx, 'visit_group', null, question, { household, text });
    }
    if (m.kind === 'none' && group) {
      const candidates = findHousehold(pool, null, parseHouseholdText(household).head);
      if (candidates.kind === 'many') return ask(ctx, 'visit_group', null, TY.visitNoSuchGroup(group, candidates.households.map((h) => groupLabel(h.group) || TY.noGroup)), { household, text });
    }
    const h: Household | null = m.kind === 'one' ? m.household : null;
    const villageId = h?.villageId ?? (serves.length === 1 ? serves[0] : null);
    await tx.diary.add({ personId: me.id, requestId: null, kind: 'visit', text, data: { household, householdId: h?.id ?? null, villageId }, at: tx.now });
    await ctx.say(h ? TY.visitLinked(householdLabel(h), tx.dir.village(h.villageId)?.name ?? '') : TY.visitUnlinked(household));
  },
};
