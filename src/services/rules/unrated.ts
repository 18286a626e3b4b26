import { LessThan } from 'typeorm';
import { closedCard } from '../../../cards/content';
import { RequestRow } from '../../db/entities';
import { END_OF_DAY } from '../../domain/deadline';
import { atShanghai, shanghaiDay } from '../../domain/time';
import { closeCards } from '../cards';
import { AppDeps, inTx } from '../context';
import { transition } from '../requests';

/** How long a villager has to answer 满意 / 不满意 before the request closes as 未评价. */
export const RATING_WORKDAYS = 3;

/** When a request resolved at `resolvedAt` closes unanswered: end of the 3rd working day after. */
export function ratingDeadline(deps: Pick<AppDeps, 'calendar'>, resolvedAt: number): number {
  const day = deps.calendar.addWorkdays(shanghaiDay(new Date(resolvedAt)), RATING_WORKDAYS);
  return atShanghai(day, END_OF_DAY[0], END_OF_DAY[1]).getTime();
}

/**
 * Closes resolved requests nobody rated within 3 working days, as 未评价: counted neither as
 * satisfied nor unsatisfied. Each request in its own transaction; returns the codes closed.
 */
export async function closeUnrated(deps: AppDeps, after: () => void = () => undefined, dryRun = false): Promise<string[]> {
  const now = deps.clock.now().getTime();
  const candidates = await deps.db.ds.getRepository(RequestRow).find({
    where: { status: 'resolved', resolvedAt: LessThan(now - RATING_WORKDAYS * 24 * 3600 * 1000) },
    order: { resolvedAt: 'ASC' },
  });
  const due = candidates.filter((r) => ratingDeadline(deps, r.resolvedAt!) <= now);
  if (dryRun) return due.map((r) => r.code);
  const closed: string[] = [];
  for (const r of due) {
    const ok = await inTx(
      deps,
      deps.log,
      async (tx) => {
        if (!(await transition(tx, r, ['resolved'], { status: 'closed', closedAt: tx.now, closeReason: 'no_answer' }))) return false;
        await tx.event(r.id, 'closed', 'system', null, { reason: 'no_answer' });
        await closeCards(tx, r.id, 'feedback', '未评价，已销号', (c) => closedCard(c, '未评价，已销号'));
        const owner = tx.dir.person(r.ownerId);
        if (owner) await tx.tell(owner, `事项 ${r.code} 群众${RATING_WORKDAYS}个工作日内未评价，已按“未评价”销号。`, r.id);
        return true;
      },
      after,
    );
    if (ok) closed.push(r.code);
  }
  return closed;
}

