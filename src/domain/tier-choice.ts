import { Matter, matchMatter, TIER_CHOICE } from './catalogue';
import { TIER_CHOICES } from './deadline';

/**
 * The 办结时限 choice of a new request's card (docs/interface.md#year): the usual choices, with the
 * default of the 农事村办 matter the villager's text is about preselected (a matter whose tier is not
 * among them, e.g. `beyond:15`, adds its own). Taking the request without choosing gives that default
 * too (`defaultTier`), so a card, a text `受理 编号` and a 补录 agree.
 */
export interface TierChoice {
  options: { id: string; text: string }[];
  /** The preselected option: the matter's tier, or undefined (the first, 一般事项). */
  selected?: string;
  matter: Matter | null;
}

const KIND: Record<string, string> = { beyond: '需上级审批·承诺', joint: '联办·商定' };

/** "beyond:15" → "需上级审批·承诺15个工作日". */
export function tierChoiceLabel(id: string): string {
  const known = TIER_CHOICES.find((c) => c.id === id);
  if (known) return known.text;
  const [t, n] = id.split(':');
  return KIND[t] && n ? `${KIND[t]}${n}个工作日` : id;
}

export function tierChoiceFor(text: string, catalogue: Matter[]): TierChoice {
  const matter = matchMatter(text, catalogue);
  if (!matter || !TIER_CHOICE.test(matter.tier)) return { options: TIER_CHOICES, matter };
  const options = TIER_CHOICES.some((c) => c.id === matter.tier) ? TIER_CHOICES : [...TIER_CHOICES, { id: matter.tier, text: tierChoiceLabel(matter.tier) }];
  return { options: options.map((o) => (o.id === matter.tier ? { ...o, text: `${o.text}（${matter.name}）` } : o)), selected: matter.tier, matter };
}

/** The tier a request gets when it is taken without a choice: its matter's, else general. */
export function defaultTier(text: string, catalogue: Matter[]): string {
  return tierChoiceFor(text, catalogue).selected ?? 'general';
}
