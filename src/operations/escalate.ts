import { handlerCard } from '../../cards/content';
import { computeDeadline, END_OF_DAY } from '../domain/deadline';
import { Level, LEVEL_ZH, nextLevel } from '../domain/lifecycle';
import { T } from '../domain/texts';
import { atShanghai } from '../domain/time';
import type { PersonActor } from './context';
import { ask, RequestOp, sayOvertaken } from './run';
import { sendCard } from './shared/cards';
import { promisedDay } from './shared/dates';
import { tellReporter } from './shared/reporter';
import { deadlineText, targetOptions, viewOf } from './shared/view';

export interface EscalateInput {
  /** The promised date, as typed (needed to go beyond the township). */
  date?: string;
  /** The date came as the answer to our question: ask again when it does not read as a date. */
  fromReply?: boolean;
}

/**
 * 上报: village → township 民情处理站 → county 民情处理中心 (docs/rules.md#9). The new level's people
 * become handlers with their own card; the owner does not change. A township decision gets 3
 * working days; beyond the township the cadre must promise a date.
 */
export const escalate: RequestOp<EscalateInput, PersonActor> = {
  name: 'escalate',
  async run(ctx, req, input) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    let day: string | null = null;
    if (input.date && !(day = await promisedDay(ctx, input.date, req.id))) {
      if (input.fromReply) await ask(ctx, 'escalate_date', req.id, null);
      return;
    }
    const from = req.level;
    const next = nextLevel(from);
    if (!next) return ctx.say(T.topLevel(req.code), req.id);
    let tier = req.tier;
    let deadline = req.deadline;
    if (next === 'county') {
      if (!day) return ask(ctx, 'escalate_date', req.id, T.escalateNeedsDate(req.code));
      tier = 'beyond';
      deadline = atShanghai(day, END_OF_DAY[0], END_OF_DAY[1]).getTime();
    } else if (tier === 'general') {
      tier = 'township';
      deadline = computeDeadline(tx.deps.calendar, 'township', new Date(tx.now)).getTime();
    }
    // Only from the level it was read at: of two concurrent 上报, one moves it up.
    if (!(await tx.requests.transition(req, ['accepted'], { level: next, tier, deadline }, { level: from }))) return sayOvertaken(ctx, 'escalate', req);
    const people = tx.dir.withRole(next === 'county' ? 'county_centre' : 'township_office');
    await tx.event(req.id, 'escalated', `person:${me.id}`, ctx.via, { from, to: next, tier, deadline, handlers: people.map((p) => p.id) });
    // 关沟村上报的群众诉求 · 镇民情处理站上报的群众诉求 (the card's subtitle names the village).
    const title = T.escalatedCardTitle((from === 'village' && tx.dir.village(req.villageId)?.name) || LEVEL_ZH[from as Level]);
    for (const p of people) await tx.handlers.add(req.id, p.id, me.id, tx.now);
    await sendCard(tx, req.id, 'handler', handlerCard(viewOf(tx, req), title, targetOptions(tx, req, people.map((p) => p.id))), people);
    const when = deadlineText(deadline!);
    await ctx.say(T.escalated(req.code, LEVEL_ZH[next], when), req.id);
    const owner = tx.dir.person(req.ownerId);
    if (owner && owner.id !== me.id) await tx.tell(owner, T.escalated(req.code, LEVEL_ZH[next], when), req.id);
    await tellReporter(tx, req, T.escalatedToVillager(req.code, LEVEL_ZH[next], when));
  },
};
