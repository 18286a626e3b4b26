import type { WorkCalendar } from './calendar';
import { END_OF_DAY } from './deadline';
import { atShanghai, shanghaiDay } from './time';

/**
 * 当日回复 (seed 003 §十.2.4: a complaint that can be solved is solved on the spot and answered the same
 * day; docs/interface.md#year): the tiers it applies to, the moment the answer is due — 17:30 of the
 * day the complaint was taken, or of the next working day when it was taken after 17:30 or on a day
 * off — and what counts as an answer to the villager.
 */
export const SAME_DAY_TIERS = ['complaint', 'complaint_special'];
/** Timeline events that answer the villager: 一次性告知, 办结, a refusal filed, a message given by phone. */
export const ANSWER_EVENTS = ['notice', 'resolved', 'refusal_filed', 'phoned'];
/** How long before the answer is due the owner is reminded. */
export const SAME_DAY_REMIND_MS = 60 * 60_000;

export function sameDayAnswerBy(cal: WorkCalendar, acceptedAt: number): number {
  const day = shanghaiDay(new Date(acceptedAt));
  const end = atShanghai(day, END_OF_DAY[0], END_OF_DAY[1]).getTime();
  if (cal.isWorkday(day) && acceptedAt < end) return end;
  return atShanghai(cal.addWorkdays(day, 1), END_OF_DAY[0], END_OF_DAY[1]).getTime();
}
