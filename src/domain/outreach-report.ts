import type { Person } from './directory';
import { Household, householdLabel } from './households';
import { monthsOf, periodsOf, period } from './periods';
import {
  AreaYear, areaDuties, HEAD_HOUSEHOLDS_A_MONTH, headDuties, HeadMonth, missingPairs, OutreachInputs, pairDuties, PairMonth, residentDuties, ResidentHalf,
} from './visits';

/**
 * What the outreach reminder (25th of the month) and the quarterly review print from the visit
 * duties (visits.ts): the structures, and their short Chinese text.
 */
export interface OutreachMonth {
  month: string;
  heads: HeadMonth[];
  pairs: PairMonth[];
  missingPairs: string[];
}

export interface OutreachQuarter {
  quarter: string;
  months: OutreachMonth[];
  /** The year so far, through the quarter's end. */
  areas: AreaYear[];
  /** The half-year containing the quarter, through the quarter's end; meetings of both its quarters. */
  residents: ResidentHalf[];
  missingPairs: string[];
}

export function outreachForMonth(inp: OutreachInputs, month: string): OutreachMonth {
  return { month, heads: headDuties(inp, month), pairs: pairDuties(inp, month), missingPairs: missingPairs(inp) };
}

export function outreachForQuarter(inp: OutreachInputs, quarter: string): OutreachQuarter {
  const end = period(quarter).to;
  const upToEnd: OutreachInputs = { ...inp, visits: inp.visits.filter((v) => v.at < end), meetings: inp.meetings.filter((m) => m.at < end) };
  const { year, half } = periodsOf(new Date(period(quarter).from));
  return {
    quarter,
    months: monthsOf(quarter).map((m) => outreachForMonth(inp, m)),
    areas: areaDuties(upToEnd, year),
    residents: residentDuties(upToEnd, half),
    missingPairs: missingPairs(inp),
  };
}

const monthZh = (m: string) => `${Number(m.slice(5, 7))}月`;

export interface Names {
  person(id: string): Person | undefined;
  household(id: number): Household | undefined;
}

export function namesOf(people: Person[], households: Household[]): Names {
  const p = new Map(people.map((x) => [x.id, x]));
  const h = new Map(households.map((x) => [x.id, x]));
  return { person: (id) => p.get(id), household: (id) => h.get(id) };
}

const householdNames = (names: Names, ids: number[]) => ids.map((id) => { const h = names.household(id); return h ? householdLabel(h) : `#${id}`; }).join('、');

/**
 * The 25th's reminders: one message per person who is behind — a head below ten households this
 * month, a paired household not visited this month, no pair at all; with `areas` / `residents`
 * (e.g. in the half-year's last month), also the 责任片 and the resident cadre's half-year.
 */
export function outreachReminders(m: OutreachMonth, names: Names, more: { areas?: AreaYear[]; residents?: ResidentHalf[] } = {}): { personId: string; text: string }[] {
  const lines = new Map<string, string[]>();
  const add = (id: string, line: string) => lines.set(id, [...(lines.get(id) ?? []), line]);
  for (const h of m.heads) if (h.short > 0) add(h.personId, `本月已走访 ${h.visited} 户，按要求每月不少于${HEAD_HOUSEHOLDS_A_MONTH}户，还差 ${h.short} 户。`);
  for (const p of m.pairs) if (p.missed.length) add(p.personId, `结对帮扶户${householdNames(names, p.missed)}本月还未走访（每月至少1次）。`);
  for (const id of m.missingPairs) add(id, '您还没有结对帮扶户（每人至少1户），请商定后报镇党政办登记。');
  for (const a of more.areas ?? []) if (a.behind.length) add(a.personId, `责任片${a.households}户中，今年走访满2次的${a.done}户，还有${a.behind.length}户未满2次。`);
  for (const r of more.residents ?? []) {
    if (r.missing.length) add(r.personId, `本半年已走访 ${r.visited}/${r.households} 户，还有 ${r.missing.length} 户未走访（每半年每户至少1次）。`);
    const q = r.meetings.find((x) => x.quarter === periodsOf(new Date(period(m.month).from)).quarter);
    if (q && q.held === 0) add(r.personId, '本季度还未召开户主会。');
  }
  return [...lines].map(([personId, ls]) => {
    const name = names.person(personId)?.name ?? personId;
    return { personId, text: `${name}您好，${ls.join('')}请抓紧安排（发送：走访 户主 情况）。` };
  });
}

/** The outreach part of the quarterly review, for the leaders: a few lines, everyone behind named. */
export function quarterlyOutreachLines(q: OutreachQuarter, names: Names): string[] {
  const name = (id: string) => names.person(id)?.name ?? id;
  const out = [`【走访情况】${q.quarter.slice(0, 4)}年第${q.quarter.slice(-1)}季度`];
  const heads = new Map<string, string[]>();
  for (const m of q.months) for (const h of m.heads) heads.set(h.personId, [...(heads.get(h.personId) ?? []), `${monthZh(m.month)}${h.visited}${h.short ? '✗' : ''}`]);
  if (heads.size) out.push(`村主干（每月≥${HEAD_HOUSEHOLDS_A_MONTH}户）：${[...heads].map(([id, ms]) => `${name(id)} ${ms.join(' ')}`).join('；')}`);
  const missedBy = new Map<string, string[]>();
  for (const m of q.months) for (const p of m.pairs) if (p.missed.length) missedBy.set(p.personId, [...(missedBy.get(p.personId) ?? []), monthZh(m.month)]);
  const missed = [...missedBy].map(([id, ms]) => `${name(id)}（${ms.join('、')}）`);
  out.push(`结对帮扶：${missed.length ? `有漏访 ${missed.join('、')}` : '每月均已走访'}${q.missingPairs.length ? `；未结对 ${q.missingPairs.map(name).join('、')}` : ''}`);
  if (q.areas.length) out.push(`责任片（每户每年≥2次）：${q.areas.map((a) => `${name(a.personId)} ${a.done}/${a.households}`).join('；')}`);
  if (q.residents.length) {
    out.push(`驻村干部（每半年走遍、每季度户主会）：${q.residents.map((r) => {
      const meetings = r.meetings.filter((x) => x.quarter <= q.quarter).map((x) => `${x.quarter.slice(-2)}户主会${x.held}次`).join(' ');
      return `${name(r.personId)} 走访${r.visited}/${r.households} ${meetings}`;
    }).join('；')}`);
  }
  return out;
}
