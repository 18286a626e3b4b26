import crypto from 'node:crypto';

/**
 * 回访 as 12345 hot lines do it (docs/interface.md#year): each week the township office calls back a
 * sample of the requests closed the week before — someone other than the request's owner — and
 * records what the villager said. Pure: which requests, and who calls whom.
 *
 * The sample: a tenth of the week's closed requests, at least 3 and at most 10 (all of them when
 * fewer), chosen by a hash of the week and the request — the same every time for that week, and not
 * the owner's choice.
 */
export const SAMPLE_SHARE = 0.1;
export const SAMPLE_MIN = 3;
export const SAMPLE_MAX = 10;

export function sampleSize(closed: number): number {
  return Math.min(closed, Math.max(SAMPLE_MIN, Math.min(SAMPLE_MAX, Math.ceil(closed * SAMPLE_SHARE))));
}

export function sample<T extends { id: number }>(closed: T[], week: string): T[] {
  const key = (r: T) => crypto.createHash('sha1').update(`${week}:${r.id}`).digest('hex');
  return [...closed].sort((a, b) => (key(a) < key(b) ? -1 : 1)).slice(0, sampleSize(closed.length)).sort((a, b) => a.id - b.id);
}

/** Who calls each one: the callers in turn, never the request's owner (null when every caller is the owner). */
export function assignCallers<T extends { ownerId: string | null }>(items: T[], callers: string[]): { item: T; caller: string | null }[] {
  let turn = 0;
  return items.map((item) => {
    for (let i = 0; i < callers.length; i++) {
      const c = callers[(turn + i) % callers.length];
      if (c !== item.ownerId) {
        turn = (turn + i + 1) % callers.length;
        return { item, caller: c };
      }
    }
    return { item, caller: null };
  });
}
