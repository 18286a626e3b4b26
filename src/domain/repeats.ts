/**
 * Repeat problems (docs/rules.md#10 民情分析): what keeps coming back in a period.
 * Pure: the period's requests in, groups out.
 *
 * - **the same place**: three or more requests from one village about the same problem — texts
 *   that share most of their wording (character-bigram Dice ≥ 0.5), or share some (≥ 0.25) and
 *   were given the same category. Grouped single-link, in order of receipt.
 * - **the same villager**: one reporter (the villager's record, or for walk-ins the name taken
 *   down in the same village) with three or more requests.
 */
export const REPEAT_MIN = 3;
export const SIMILAR = 0.5;
export const SIMILAR_SAME_CATEGORY = 0.25;

export interface RepeatItem {
  id: number;
  code: string;
  villageId: string | null;
  category: number | null;
  text: string;
  reporterVillagerId: number | null;
  reporterName: string | null;
  receivedAt: number;
}

export interface RepeatGroup {
  kind: 'place' | 'villager';
  villageId: string | null;
  /** the reporter's name for a villager group */
  who: string | null;
  items: RepeatItem[];
}

/** Character bigrams of the meaningful characters (CJK, letters, digits) of a text. */
export function bigrams(text: string): Set<string> {
  const chars = Array.from(text.replace(/[^\p{Script=Han}\p{L}\p{N}]/gu, ''));
  const out = new Set<string>();
  if (chars.length === 1) out.add(chars[0]);
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  return out;
}

/** Dice coefficient of two bigram sets (0…1). */
export function dice(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return (2 * common) / (a.size + b.size);
}

function similar(a: RepeatItem, ag: Set<string>, b: RepeatItem, bg: Set<string>): boolean {
  const d = dice(ag, bg);
  return d >= SIMILAR || (d >= SIMILAR_SAME_CATEGORY && a.category !== null && a.category === b.category);
}

function push<K>(m: Map<K, RepeatItem[]>, k: K, r: RepeatItem): void {
  const list = m.get(k);
  if (list) list.push(r);
  else m.set(k, [r]);
}

const byReceipt = (a: RepeatItem, b: RepeatItem) => a.receivedAt - b.receivedAt || a.id - b.id;

export function repeatProblems(items: RepeatItem[]): RepeatGroup[] {
  const groups: RepeatGroup[] = [];
  const sorted = [...items].sort(byReceipt);

  const perVillage = new Map<string | null, RepeatItem[]>();
  for (const r of sorted) push(perVillage, r.villageId, r);
  for (const [villageId, list] of perVillage) {
    const grams = new Map(list.map((r) => [r.id, bigrams(r.text)]));
    const clusters: RepeatItem[][] = [];
    for (const r of list) {
      const home = clusters.find((c) => c.some((x) => similar(r, grams.get(r.id)!, x, grams.get(x.id)!)));
      if (home) home.push(r);
      else clusters.push([r]);
    }
    for (const c of clusters) if (c.length >= REPEAT_MIN) groups.push({ kind: 'place', villageId, who: null, items: c });
  }

  const perVillager = new Map<string, RepeatItem[]>();
  for (const r of sorted) {
    const key = r.reporterVillagerId !== null ? `v:${r.reporterVillagerId}` : r.reporterName ? `n:${r.villageId}:${r.reporterName}` : null;
    if (key) push(perVillager, key, r);
  }
  for (const list of perVillager.values()) {
    if (list.length < REPEAT_MIN) continue;
    groups.push({ kind: 'villager', villageId: list[0].villageId, who: list.find((r) => r.reporterName)?.reporterName ?? null, items: list });
  }
  return groups.sort((a, b) => b.items.length - a.items.length || byReceipt(a.items[0], b.items[0]));
}
