import { CATEGORIES } from '../../domain/category';
import { TR } from '../../domain/texts';
import type { Directory } from '../../domain/directory';
import { requestLine } from '../../domain/format';
import { byDimension, countChange, Counts, Figures, figures, MetricRow, pct, Rate, rateChange } from '../../domain/metrics';
import type { RepeatGroup } from '../../domain/repeats';
import { addDays, shanghaiDay, shortZh } from '../../domain/time';
import type { OpenItem, OpenItems, Period } from '../../db/repos/metrics';
import { truncate } from '../../../cards/content';

/** WeCom cuts a text message at 2048 bytes; the reports keep each message under this. */
export const MAX_MESSAGE_BYTES = 1800;

const md = TR.monthDay;

/** "11月23日—11月29日" for [from, to). */
export function rangeZh(p: Period): string {
  const first = shanghaiDay(new Date(p.from));
  const last = addDays(shanghaiDay(new Date(p.to)), -1);
  return first === last ? md(first) : `${md(first)}—${md(last)}`;
}

export const villageName = (dir: Directory, id: string | null) => (id === null ? TR.townshipLevel : (dir.village(id)?.name ?? id));
export const categoryName = (c: number | null) => (c === null ? TR.uncategorized : (CATEGORIES[c] ?? TR.otherCategory));

/** "90%（38/42，+3）": the rate, what it counts, and its change from the previous period. */
function rateZh(cur: Rate, prev?: Rate): string {
  const change = prev ? rateChange(cur, prev) : '';
  if (cur.value === null) return '—';
  return `${pct(cur)}（${cur.n}/${cur.d}${change ? `，${change}` : ''}）`;
}

/** The headline: every figure, with its change from the previous period ("较上周"). */
export function headline(cur: Counts, prev: Counts, prevName: string): string[] {
  const f = figures(cur);
  const p = figures(prev);
  return [
    TR.received(cur.received, prevName, countChange(cur.received, prev.received)),
    TR.rate('响应率', rateZh(f.responseRate, p.responseRate)),
    TR.rate('按时办结率', rateZh(f.onTimeRate, p.onTimeRate)),
    TR.rate('办结率', rateZh(f.closeRate, p.closeRate)),
    TR.rate('满意率', rateZh(f.satisfactionRate, p.satisfactionRate)),
    TR.overdueAndRefusals(cur.overdue, cur.refusalsFiled, cur.refusalsApproved, cur.appeals),
  ];
}

/** One short line of figures: "受理 20｜响应 95%｜按时 100%｜办结 90%｜满意 100%｜超期 2". */
export function figuresLine(f: Figures): string {
  const c = f.counts;
  return TR.figuresLine(c.received, pct(f.responseRate), pct(f.onTimeRate), pct(f.closeRate), pct(f.satisfactionRate), c.overdue);
}

const busiest = (a: [unknown, Counts], b: [unknown, Counts]) => b[1].overdue - a[1].overdue || b[1].received - a[1].received;
const hasAny = (c: Counts) => c.received + c.overdue + c.resolved + c.rated + c.refusalsFiled + c.appeals > 0;

function capped(heading: string, lines: string[], max: number, rest: (n: number) => string): string {
  if (!lines.length) return '';
  return [heading, ...lines.slice(0, max), ...(lines.length > max ? [rest(lines.length - max)] : [])].join('\n');
}

/** Per village, busiest first (most overdue, then most received). */
export function villageBlock(dir: Directory, rows: MetricRow[], max = 15): string {
  const list = [...byDimension(rows, 'village')].filter(([, c]) => hasAny(c)).sort(busiest);
  return capped(TR.villagesHead, list.map(([v, c]) => TR.item(villageName(dir, v), figuresLine(figures(c)))), max, TR.moreVillages);
}

/** Per category, most received first. */
export function categoryBlock(rows: MetricRow[]): string {
  const list = [...byDimension(rows, 'category')].filter(([, c]) => hasAny(c)).sort((a, b) => b[1].received - a[1].received || busiest(a, b));
  return capped(TR.categoriesHead, list.map(([k, c]) => TR.item(categoryName(k), figuresLine(figures(c)))), 9, () => '');
}

/** Per cadre (首问责任人), most overdue then most received first. */
export function cadreBlock(dir: Directory, rows: MetricRow[], max = 10): string {
  const list = [...byDimension(rows, 'owner')].filter(([o, c]) => o !== null && hasAny(c)).sort(busiest);
  return capped(TR.cadresHead, list.map(([o, c]) => TR.item(dir.person(o)?.name ?? o ?? '', figuresLine(figures(c)))), max, TR.morePeople);
}

/** Which villages are late, and with what: overdue counts and each village's most overdue item. */
export function lateBlock(dir: Directory, rows: MetricRow[], open: OpenItems, max = 10): string {
  const late = [...byDimension(rows, 'village')].filter(([, c]) => c.overdue > 0).sort(busiest);
  if (!late.length) return TR.noneLate;
  const lines = late.map(([v, c]) => {
    const r = open.mostOverdue.get(v);
    const owner = r ? dir.person(r.ownerId)?.name : undefined;
    const what = r ? TR.earliestLate(r.code, truncate(r.text, 12), owner, shortZh(new Date(r.deadline!))) : '';
    return TR.lateVillage(villageName(dir, v), c.overdue, what);
  });
  return capped(TR.lateHead(late.length), lines, max, TR.moreVillages);
}

/** The five oldest open items, by name. */
export function oldestBlock(dir: Directory, items: OpenItem[]): string {
  if (!items.length) return '';
  return [TR.oldestHead(items.length), ...items.map((r, i) => TR.oldestItem(i + 1, requestLine(dir, r, { village: true }), md(shanghaiDay(new Date(r.receivedAt)))))].join('\n');
}

/** Repeat problems: the same place, or the same villager, three times or more. */
export function repeatBlock(dir: Directory, groups: RepeatGroup[], max = 10): string {
  if (!groups.length) return TR.noRepeats;
  const lines = groups.map((g) => {
    const codes = TR.codes(g.items.slice(0, 4).map((r) => r.code), g.items.length > 4);
    return g.kind === 'place'
      ? TR.repeatPlace(villageName(dir, g.villageId), truncate(g.items[0].text, 14), g.items.length, categoryName(g.items[0].category), codes)
      : TR.repeatPerson(g.who ?? '', villageName(dir, g.villageId), g.items.length, codes);
  });
  return capped(TR.repeatsHead, lines, max, TR.morePlaces);
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Blocks joined into as few messages as fit `max` bytes each; a block too long alone is cut at a line. */
export function splitMessages(blocks: string[], max = MAX_MESSAGE_BYTES): string[] {
  const out: string[] = [];
  let cur = '';
  const push = (piece: string) => {
    const next = cur ? `${cur}\n\n${piece}` : piece;
    if (bytes(next) <= max) cur = next;
    else {
      if (cur) out.push(cur);
      cur = piece;
    }
  };
  for (const b of blocks.filter(Boolean)) {
    if (bytes(b) <= max) push(b);
    else {
      let part = '';
      for (const line of b.split('\n')) {
        if (part && bytes(`${part}\n${line}`) > max) {
          push(part);
          part = line;
        } else part = part ? `${part}\n${line}` : line;
      }
      if (part) push(part);
    }
  }
  if (cur) out.push(cur);
  return out;
}
