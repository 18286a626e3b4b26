/**
 * Likely duplicates (docs/interface.md#duplicates): is a new villager's text close to an open
 * request's? Pure: texts in, scored candidates out.
 *
 * Measured in `test/bench/DUPLICATES.md` (`test/bench/duplicates.js`, on the labelled pairs of
 * `test/domain/duplicates.pairs.ts` and the held-out `duplicates.heldout.ts`). Plain overlap — of
 * character n-grams or of jieba words alike — cannot tell "三组停水两天了" from "六组停水两天了" (a
 * different matter) better than from "三组这边自来水断了两天" (the same one). What can: naming the
 * matter and the place of each text (`duplicates-lexicon.ts`) and letting a clash of either count
 * against the pair. So a text's features are its character bigrams (after the lexicon has put one
 * name on the words that mean the same), its matters and its places; see `similarity`.
 *
 * Normalising: NFKC (full-width → half-width), lower case, Arabic numbers up to 99 read as Chinese
 * numerals (3组 = 三组); anything but letters and digits, and the stop-characters, break the text.
 */
import { MATTERS, PLACES, PLACE_PATTERNS, type Entry } from './duplicates-lexicon';

export interface NgramOptions {
  /** n-gram lengths, e.g. [2] or [2, 3] */
  sizes: readonly number[];
  /** stop-characters: kept as text, dropped (their neighbours join), or a break between runs */
  stop: 'keep' | 'drop' | 'break';
}

export const CHOSEN_NGRAMS: NgramOptions = { sizes: [2], stop: 'break' };

/** Scores at or above this name a likely duplicate (see DUPLICATES.md). */
export const DUPLICATE_THRESHOLD = 0.3;

/** Particles, pronouns and fillers that carry no matter or place. 不/没 (negation), 上/下 (上湾) and 家 (王家院子) are not among them. */
export const STOP_CHARS = new Set(Array.from('的了吗呢吧啊呀哦哈嘛么着过得地也都还就又很太把被给让和跟与及我你他她它们这那个些啥是在要会能想请帮说喂'));

const DIGITS = '零一二三四五六七八九';

function numeral(s: string): string {
  const v = Number(s);
  if (s.length > 2 || v === 0) return Array.from(s, (c) => DIGITS[Number(c)]).join('');
  if (v < 10) return DIGITS[v];
  const tens = Math.floor(v / 10);
  const ones = v % 10;
  return (tens === 1 ? '' : DIGITS[tens]) + '十' + (ones ? DIGITS[ones] : '');
}

export const normalize = (text: string): string => text.normalize('NFKC').toLowerCase().replace(/\d+/g, numeral);

/** The runs of meaningful characters of a normalised text, split at everything else (and at stop-characters when asked). */
export function runs(text: string, stop: NgramOptions['stop']): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  for (const ch of text) {
    const meaningful = /[\p{L}\p{N}]/u.test(ch);
    const isStop = meaningful && stop !== 'keep' && STOP_CHARS.has(ch);
    if (meaningful && !isStop) cur.push(ch);
    else if (!(isStop && stop === 'drop')) {
      if (cur.length) out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/** The set of character n-grams of a text; a run shorter than the smallest n counts as one gram. */
export function ngrams(text: string, o: NgramOptions = CHOSEN_NGRAMS): Set<string> {
  const out = new Set<string>();
  const min = Math.min(...o.sizes);
  for (const r of runs(normalize(text), o.stop)) {
    if (r.length < min) {
      out.add(r.join(''));
      continue;
    }
    for (const n of o.sizes) for (let i = 0; i + n <= r.length; i++) out.add(r.slice(i, i + n).join(''));
  }
  return out;
}

/** Dice coefficient of two sets (0…1): twice the shared items over the sizes. */
export function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (!a.size || !b.size) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const x of small) if (large.has(x)) common++;
  return (2 * common) / (a.size + b.size);
}

function matcher(entries: readonly Entry[]): { re: RegExp; name: Map<string, string> } {
  const name = new Map<string, string>();
  for (const [n, ...words] of entries) for (const w of [n, ...words]) name.set(normalize(w), n);
  const words = [...name.keys()].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return { re: new RegExp(words.join('|'), 'gu'), name };
}
const LEXICON = matcher([...MATTERS, ...PLACES]);
const PLACE_NAMES = new Set(PLACES.map(([n]) => n));

/** What a text is compared by: computed once per text; keep it with a candidate that is compared often. */
export interface TextFeatures {
  grams: ReadonlySet<string>;
  matters: ReadonlySet<string>;
  places: ReadonlySet<string>;
}

/** A text with the lexicon's names put in for the words that mean them, and the matters and places it names. */
export function named(text: string): { text: string; matters: Set<string>; places: Set<string> } {
  const t = normalize(text);
  const matters = new Set<string>();
  const places = new Set<string>();
  for (const re of PLACE_PATTERNS) for (const m of t.matchAll(re)) places.add(m[0]);
  const out = t.replace(LEXICON.re, (w) => {
    const n = LEXICON.name.get(w)!;
    (PLACE_NAMES.has(n) ? places : matters).add(n);
    return ` ${n} `;
  });
  return { text: out, matters, places };
}

export function textFeatures(text: string): TextFeatures {
  const n = named(text);
  return { grams: ngrams(n.text, CHOSEN_NGRAMS), matters: n.matters, places: n.places };
}

/** Dice of two name sets, or null when either text names nothing of the kind. */
const agreement = (a: ReadonlySet<string>, b: ReadonlySet<string>): number | null => (a.size && b.size ? dice(a, b) : null);

/**
 * How close two texts are (0…1): the mean of the bigram overlap and, where both texts name them,
 * the agreement of their matters and of their places; a text pair whose matters or places have
 * nothing in common scores a quarter of that for each clash.
 */
export function similarity(a: string | TextFeatures, b: string | TextFeatures): number {
  const fa = typeof a === 'string' ? textFeatures(a) : a;
  const fb = typeof b === 'string' ? textFeatures(b) : b;
  const parts = [dice(fa.grams, fb.grams)];
  let clash = 1;
  for (const x of [agreement(fa.matters, fb.matters), agreement(fa.places, fb.places)]) {
    if (x === null) continue;
    parts.push(x);
    if (x === 0) clash *= CLASH;
  }
  return (parts.reduce((s, x) => s + x, 0) / parts.length) * clash;
}
const CLASH = 0.25;

export interface DuplicateCandidate {
  code: string;
  text: string;
  /** `textFeatures(text)`, when the caller keeps it */
  features?: TextFeatures;
}

export interface LikelyDuplicate<C extends DuplicateCandidate = DuplicateCandidate> {
  candidate: C;
  score: number;
}

/**
 * The candidates whose text scores at or above `threshold` against `text`, best first (ties: the
 * order given, e.g. newest first), at most `limit` of them.
 */
export function likelyDuplicates<C extends DuplicateCandidate>(text: string, candidates: readonly C[], threshold = DUPLICATE_THRESHOLD, limit = 3): LikelyDuplicate<C>[] {
  const f = textFeatures(text);
  if (!f.grams.size) return [];
  const scored: (LikelyDuplicate<C> & { i: number })[] = [];
  candidates.forEach((candidate, i) => {
    const score = similarity(f, candidate.features ?? textFeatures(candidate.text));
    if (score >= threshold) scored.push({ candidate, score, i });
  });
  scored.sort((x, y) => y.score - x.score || x.i - y.i);
  return scored.slice(0, limit).map(({ candidate, score }) => ({ candidate, score }));
}
