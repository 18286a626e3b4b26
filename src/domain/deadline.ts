import { WorkCalendar } from './calendar';
import { addDays, atShanghai, shanghaiDay } from './time';

/** 限时办结 tiers (docs/rules.md#2, docs/interface.md#deadlines). */
export const TIERS = ['general', 'township', 'beyond', 'complaint', 'complaint_special', 'joint'] as const;
export type Tier = (typeof TIERS)[number];

export const TIER_LABELS: Record<Tier, string> = {
  general: '一般事项（1个工作日）',
  township: '需镇研究（3个工作日）',
  beyond: '需上级审批（承诺时限）',
  complaint: '信访投诉（7日）',
  complaint_special: '特殊信访（15日）',
  joint: '联办（商定时限）',
};

/** End of a working day, Shanghai. */
export const END_OF_DAY: [number, number] = [17, 30];

export class DeadlineError extends Error {}

export function isTier(s: string): s is Tier {
  return (TIERS as readonly string[]).includes(s);
}

export function needsPromisedDate(tier: Tier): boolean {
  return tier === 'beyond' || tier === 'joint';
}

/**
 * The deadline of a request of `tier` received at `receivedAt`.
 * - general / township: end of the 1st / 3rd working day after the day received;
 * - complaint / complaint_special: 7 / 15 calendar days after the day received, moved to the next
 *   working day when that day is not one;
 * - beyond / joint: the promised / agreed instant, required and not before receipt.
 */
export function computeDeadline(cal: WorkCalendar, tier: Tier, receivedAt: Date, promised?: Date | null): Date {
  const day = shanghaiDay(receivedAt);
  const end = (d: string) => atShanghai(d, END_OF_DAY[0], END_OF_DAY[1]);
  switch (tier) {
    case 'general':
      return end(cal.addWorkdays(day, 1));
    case 'township':
      return end(cal.addWorkdays(day, 3));
    case 'complaint':
      return end(cal.onOrAfter(addDays(day, 7)));
    case 'complaint_special':
      return end(cal.onOrAfter(addDays(day, 15)));
    case 'beyond':
    case 'joint':
      if (!promised) throw new DeadlineError(`tier ${tier} needs a promised date`);
      if (promised.getTime() < receivedAt.getTime()) throw new DeadlineError('promised date is before the request was received');
      return promised;
  }
}

/** The 时限 choices on a new request's card. beyond/joint carry a promised number of working days. */
export const TIER_CHOICES: { id: string; text: string }[] = [
  { id: 'general', text: '一般事项·1个工作日' },
  { id: 'township', text: '需镇研究·3个工作日' },
  { id: 'complaint', text: '信访投诉·7日' },
  { id: 'complaint_special', text: '特殊信访·15日' },
  { id: 'beyond:10', text: '需上级审批·承诺10个工作日' },
  { id: 'beyond:20', text: '需上级审批·承诺20个工作日' },
  { id: 'joint:10', text: '联办·商定10个工作日' },
];

/** Reads a tier choice (`general`, `beyond:10`, …) into a tier and, for beyond/joint, the promised instant. */
export function resolveTierChoice(cal: WorkCalendar, choice: string | undefined, receivedAt: Date): { tier: Tier; promised: Date | null } {
  const [t, n] = (choice ?? 'general').split(':');
  if (!isTier(t)) return { tier: 'general', promised: null };
  if (!needsPromisedDate(t)) return { tier: t, promised: null };
  const days = Math.min(Math.max(Number(n) || 10, 1), 120);
  return { tier: t, promised: atShanghai(cal.addWorkdays(shanghaiDay(receivedAt), days), END_OF_DAY[0], END_OF_DAY[1]) };
}
