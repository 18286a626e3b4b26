import { Matter, matchMatter } from './catalogue';
import { DONE } from './status';
import { addDays, atShanghai, shanghaiDay } from './time';

/**
 * The figures seed 004 reports beside the requests (docs/interface.md#figures, #year): people received
 * (接待人数), the 代办 / 诉求 / 纠纷 split, and the comparison with the same period last year.
 *
 * - **接待人数** — distinct reporters among the requests received in the period: a villager known in
 *   chat (or linked at a 补录) once however often they wrote; else one per phone number; else one per
 *   name in a village; a request with no name at all is one person.
 * - **代办 / 诉求 / 纠纷** — each received request is one of them, by this rule: **纠纷** when its category is
 *   4 (农村矛盾纠纷); else **代办** when its text is about a matter of the 农事村办 catalogue (`matchMatter`:
 *   婚育证件, 户口迁移, 医保, 低保, 建房审批, 涉农补贴, 组织关系接转 and the township's own) — a matter done on
 *   the villager's behalf; else **诉求**. Done = resolved or closed (办结 / 销号); for 纠纷, 调处.
 * - **同比** — the same dates one year earlier.
 */
export type MatterKind = 'agency' | 'appeal' | 'dispute';
export const MATTER_KINDS: MatterKind[] = ['agency', 'appeal', 'dispute'];

export interface ReceivedItem {
  id: number;
  villageId: string | null;
  category: number | null;
  text: string;
  status: string;
  reporterVillagerId: number | null;
  reporterName: string | null;
  reporterPhone: string | null;
}

export function kindOf(i: Pick<ReceivedItem, 'category' | 'text'>, catalogue: Matter[]): MatterKind {
  if (i.category === 4) return 'dispute';
  return matchMatter(i.text, catalogue) ? 'agency' : 'appeal';
}

/** Who a request's reporter is, as one key per person. */
export function reporterKey(i: ReceivedItem): string {
  if (i.reporterVillagerId !== null) return `v:${i.reporterVillagerId}`;
  const phone = i.reporterPhone?.replace(/\D/g, '');
  if (phone) return `t:${phone}`;
  if (i.reporterName) return `n:${i.villageId ?? ''}|${i.reporterName}`;
  return `r:${i.id}`;
}

export interface Reception {
  /** 接待人数 */
  people: number;
  requests: number;
  kinds: Record<MatterKind, { received: number; done: number }>;
}

export function reception(items: ReceivedItem[], catalogue: Matter[]): Reception {
  const kinds = { agency: { received: 0, done: 0 }, appeal: { received: 0, done: 0 }, dispute: { received: 0, done: 0 } };
  for (const i of items) {
    const k = kinds[kindOf(i, catalogue)];
    k.received++;
    if ((DONE as readonly string[]).includes(i.status)) k.done++;
  }
  return { people: new Set(items.map(reporterKey)).size, requests: items.length, kinds };
}

/** The same dates one year earlier ([from, to) of Shanghai days; 2 月 29 日 becomes 3 月 1 日). */
export function sameTimeLastYear(p: { from: number; to: number }): { from: number; to: number } {
  const back = (t: number) => {
    const day = shanghaiDay(new Date(t));
    const y = Number(day.slice(0, 4)) - 1;
    const candidate = `${y}${day.slice(4)}`;
    const valid = shanghaiDay(atShanghai(candidate, 12)) === candidate ? candidate : addDays(`${y}-${day.slice(5, 7)}-28`, 1);
    return atShanghai(valid, 0).getTime() + (t - atShanghai(day, 0).getTime());
  };
  return { from: back(p.from), to: back(p.to) };
}

/** A count's change in percent: "−80%", "+12%", "持平"; "—" when there was nothing to compare with. */
export function percentChange(cur: number, prev: number): string {
  if (prev === 0) return cur === 0 ? '持平' : '—';
  const d = Math.round(((cur - prev) / prev) * 100);
  return d === 0 ? '持平' : d > 0 ? `+${d}%` : `−${-d}%`;
}
