import { END_OF_DAY } from '../domain/deadline';
import { T } from '../domain/texts';
import { atShanghai } from '../domain/time';
import type { PersonActor } from './context';
import { RequestOp, sayOvertaken } from './run';
import { promisedDay } from './shared/dates';
import { tellReporter } from './shared/reporter';
import { deadlineText } from './shared/view';

/** 时限: the promised / agreed date (beyond / joint), or a corrected one; the villager is told. */
export const setDeadline: RequestOp<{ date: string }, PersonActor> = {
  name: 'set_deadline',
  async run(ctx, req, { date }) {
    const { tx } = ctx;
    const day = await promisedDay(ctx, date, req.id);
    if (!day) return;
    const deadline = atShanghai(day, END_OF_DAY[0], END_OF_DAY[1]).getTime();
    if (!(await tx.requests.transition(req, ['accepted'], { deadline }))) return sayOvertaken(ctx, 'set_deadline', req);
    await tx.event(req.id, 'deadline_set', `person:${ctx.actor.person.id}`, ctx.via, { deadline });
    await ctx.say(T.deadlineSet(req.code, deadlineText(deadline)), req.id);
    await tellReporter(tx, req, T.deadlineToVillager(req.code, deadlineText(deadline)));
  },
};
