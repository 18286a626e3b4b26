import type { Directory } from '../../domain/directory';
import { byDimension, Counts, figures, MetricRow, rateChange } from '../../domain/metrics';
import { TY } from '../../domain/texts';
import { percentChange, Reception } from '../../domain/year-figures';

/** "接待群众 12 人，受理 15 件：代办 5 件（办结 4）、诉求 8 件（办结 6）、纠纷 2 起（调处 1）". */
export function receptionLine(r: Reception): string {
  return TY.reception(r.people, r.requests, r.kinds.agency, r.kinds.appeal, r.kinds.dispute);
}

/** 同比: the same period last year — counts with their change in percent, rates in points. */
export function yoyLine(cur: Counts, last: Counts, curR: Reception, lastR: Reception): string {
  const f = figures(cur);
  const p = figures(last);
  const pts = (c: ReturnType<typeof figures>['closeRate'], q: ReturnType<typeof figures>['closeRate']) => rateChange(c, q) || '—';
  return TY.yoy(
    TY.yoyCount(cur.received, last.received, percentChange(cur.received, last.received)),
    TY.yoyPeople(curR.people, lastR.people, percentChange(curR.people, lastR.people)),
    pts(f.closeRate, p.closeRate),
    pts(f.satisfactionRate, p.satisfactionRate),
  );
}

/** 否定报备 per cadre (seed 003 §十.5.4: they count in the year-end assessment), most filed first. */
export function refusalsBlock(dir: Directory, rows: MetricRow[], what: string): string {
  const per = [...byDimension(rows, 'owner')].filter(([o, c]) => o !== null && c.refusalsFiled > 0).sort((a, b) => b[1].refusalsFiled - a[1].refusalsFiled);
  if (!per.length) return TY.noRefusals(what);
  return [TY.refusalsHead(what), ...per.map(([o, c]) => TY.refusalsLine(dir.person(o)?.name ?? o ?? '', c.refusalsFiled, c.refusalsApproved))].join('\n');
}

/** Per diary keeper over a half-year or year: entries, the quarters reviewed and self-assessed (seed 002 §四.(二), §三.(三).3). */
export function diaryYearBlock(dir: Directory, keepers: { id: string; name: string }[], diary: Map<string, { diary: number; visits: number }>, reviews: { kind: string; personId: string; period: string }[], quarters: string[], weeks: number): string {
  if (!keepers.length) return '';
  const mark = (kind: string, id: string) => quarters.map((q) => `${q.slice(-1)}${reviews.some((r) => r.kind === kind && r.personId === id && r.period === q) ? '✓' : '✗'}`).join(' ');
  const lines = keepers.map((p) => {
    const n = diary.get(p.id)?.diary ?? 0;
    return TY.diaryYearLine(n < weeks ? '⚠️' : '', p.name, n, mark('review', p.id), mark('self', p.id));
  });
  return [TY.diaryYearHead(weeks), ...lines].join('\n');
}

export interface OutreachYear {
  heads: { personId: string; met: number; months: number }[];
  /** Per resident cadre and village: each half-year's round, and the 户主会 of each quarter. */
  residents: { personId: string; halves: { half: string; visited: number; households: number }[]; meetings: { quarter: string; held: number }[] }[];
  areas: { personId: string; done: number; households: number }[];
  missingPairs: string[];
}

/** The visit duties over the half-year or year (docs/rules.md#11): months a 村主干 reached ten, the resident cadres' round and 户主会, the 责任片. */
export function outreachYearBlock(dir: Directory, o: OutreachYear): string {
  const name = (id: string) => dir.person(id)?.name ?? id;
  const out = [TY.outreachYearHead];
  if (o.heads.length) out.push(TY.headsYear(o.heads.map((h) => `${name(h.personId)} ${h.met}/${h.months}`).join('；')));
  const halves = (r: OutreachYear['residents'][number]) => r.halves.map((h) => `${r.halves.length > 1 ? `${h.half.slice(-2)} ` : ''}${h.visited}/${h.households}`).join(' ');
  if (o.residents.length) out.push(TY.residentsYear(o.residents.map((r) => `${name(r.personId)} ${halves(r)}（户主会 ${r.meetings.map((m) => `${m.quarter.slice(-2)}:${m.held}`).join(' ')}）`).join('；')));
  if (o.areas.length) out.push(TY.areasYear(o.areas.map((a) => `${name(a.personId)} ${a.done}/${a.households}`).join('；')));
  if (o.missingPairs.length) out.push(TY.missingPairsYear(o.missingPairs.map(name).join('、')));
  return out.join('\n');
}
