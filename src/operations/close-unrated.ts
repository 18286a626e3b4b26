import { closedCard } from '../../cards/content';
import type { RequestRow } from '../db/entities';
import { END_OF_DAY } from '../domain/deadline';
import { T } from '../domain/texts';
import { atShanghai, shanghaiDay } from '../domain/time';
import type { WorkCalendar } from '../domain/calendar';
import { closeCards } from './shared/cards';
import type { AppDeps, Tx } from './tx';
import { inTx } from './tx';

/** How long a villager has to answer 满意 / 不满意 before the request closes as 未评价 (default of UNRATED_CLOSE_WORKDAYS). */
export const RATING_WORKDAYS = 3;

/** When a request resolved at `resolvedAt` closes unanswered: end of the 3rd (`workdays`th) working day after. */
export function ratingDeadline(calendar: WorkCalendar, resolvedAt: number, workdays = RATING_WORKDAYS): number {
  const day = calendar.addWorkdays(shanghaiDay(new Date(resolvedAt)), workdays);
  return atShanghai(day, END_OF_DAY[0], END_OF_DAY[1]).getTime();
}

/** Resolved requests whose answer is overdue at `now`. */
export async function unratedDue(deps: AppDeps, now: number): Promise<RequestRow[]> {
  const days = deps.policy.unratedWorkdays;
  const candidates = await deps.db.read.requests.resolvedBefore(now - days * 24 * 3600 * 1000);
  return candidates.filter((r) => ratingDeadline(deps.calendar, r.resolvedAt!, days) <= now);
}

/** Closes one as 未评价 — counted neither as satisfied nor unsatisfied. False if it moved on meanwhile. */
export async function closeUnratedOne(tx: Tx, r: RequestRow): Promise<boolean> {
  if (!(await tx.requests.transition(r, ['resolved'], { status: 'closed', closedAt: tx.now, closeReason: 'no_answer' }))) return false;
  await tx.event(r.id, 'closed', 'system', null, { reason: 'no_answer' });
  await closeCards(tx, r.id, 'feedback', T.unratedNote, (c) => closedCard(c, T.unratedNote));
  return true;
}

/** Closes every overdue one now (the satisfaction-timeout job does the same through its plan). */
export async function closeUnrated(deps: AppDeps): Promise<string[]> {
  const closed: string[] = [];
  for (const r of await unratedDue(deps, deps.clock.now().getTime())) {
    if (await inTx(deps, deps.log, (tx) => closeUnratedOne(tx, r))) closed.push(r.code);
  }
  return closed;
}
