import { handlerCard } from '../../cards/content';
import { END_OF_DAY } from '../domain/deadline';
import { T } from '../domain/texts';
import { atShanghai, shanghaiDay } from '../domain/time';
import type { VillagerActor } from './context';
import type { RequestOp } from './run';
import { sendCard } from './shared/cards';
import { targetOptions, viewOf } from './shared/view';

/** 申诉 (docs/rules.md#3): a villager disputes an approved refusal; it reopens, to a township leader, for 3 working days (APPEAL_WORKDAYS). */
export const appeal: RequestOp<{ text?: string }, VillagerActor> = {
  name: 'appeal',
  find: (ctx, input) => {
    const v = ctx.actor.villager.id;
    return input.code ? ctx.tx.requests.byCodeOf(input.code, v) : ctx.tx.requests.latestOf(v, 'rejected');
  },
  notFound: () => T.nothingToAppeal,
  async run(ctx, req, { text }) {
    const { tx } = ctx;
    const day = tx.deps.calendar.addWorkdays(shanghaiDay(new Date(tx.now)), tx.deps.policy.appealWorkdays);
    const deadline = atShanghai(day, END_OF_DAY[0], END_OF_DAY[1]).getTime();
    const level = req.level === 'village' ? 'township' : req.level;
    if (!(await tx.requests.transition(req, ['rejected'], { status: 'accepted', level, tier: 'township', deadline }))) return ctx.say(T.nothingToAppeal);
    // A township leader takes it up again — not the one who approved the refusal, where there is another.
    const all = tx.dir.withRole('leader');
    const leaders = [all.find((p) => p.id !== req.refusal?.decidedBy) ?? all[0]].filter(Boolean);
    await tx.event(req.id, 'appealed', `villager:${ctx.actor.villager.id}`, ctx.via, { text: text ?? null, to: leaders.map((p) => p.id) });
    for (const p of leaders) await tx.handlers.add(req.id, p.id, 'system', tx.now);
    await sendCard(tx, req.id, 'handler', handlerCard(viewOf(tx, req), T.appealCardTitle, targetOptions(tx, req, leaders.map((p) => p.id))), leaders);
    const owner = tx.dir.person(req.ownerId);
    if (owner) await tx.tell(owner, T.appealToOwner(req.code, text), req.id);
    await ctx.say(T.appealReceived(req.code), req.id);
  },
};
