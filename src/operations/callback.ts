import { ownerCard } from '../../cards/content';
import { computeDeadline } from '../domain/deadline';
import { TY } from '../domain/texts';
import type { PersonActor } from './context';
import { RequestOp, sayOvertaken } from './run';
import { sendCard } from './shared/cards';
import { tellReporter } from './shared/reporter';
import { targetOptions, viewOf } from './shared/view';

export interface CallbackInput {
  satisfied: boolean;
  /** What the villager said. */
  note: string;
}

/**
 * 回访 编号 满意|不满意 说明 (docs/interface.md#year): what the villager said when the township office
 * called back a closed request — recorded on its timeline (`callback`). 不满意 reopens it: back to
 * 办理中 with a day's time limit, the owner (and the village secretary) told and given the owner's card
 * again, the villager told it is being handled again.
 */
export const callback: RequestOp<CallbackInput, PersonActor> = {
  name: 'callback',
  async run(ctx, req, { satisfied, note }) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    if (satisfied) {
      await tx.event(req.id, 'callback', `person:${me.id}`, ctx.via, { value: 'satisfied', note });
      return ctx.say(TY.callbackNoted(req.code, true), req.id);
    }
    const deadline = computeDeadline(tx.deps.calendar, 'general', new Date(tx.now)).getTime();
    const patch = { status: 'accepted' as const, satisfaction: 'unsatisfied', closedAt: null, closeReason: null, tier: 'general', deadline };
    if (!(await tx.requests.transition(req, ['closed'], patch))) return sayOvertaken(ctx, 'callback', req);
    await tx.event(req.id, 'callback', `person:${me.id}`, ctx.via, { value: 'unsatisfied', note });
    await tx.event(req.id, 'reopened', 'system', null, { reason: 'callback' });
    const owner = tx.dir.person(req.ownerId);
    const secretary = tx.dir.person(tx.dir.village(req.villageId)?.secretaryId);
    for (const p of new Set([owner, secretary])) if (p?.active) await tx.tell(p, TY.callbackReopenedOwner(req.code, me.name, note), req.id);
    if (owner?.active) await sendCard(tx, req.id, 'owner', ownerCard(viewOf(tx, req), targetOptions(tx, req, [owner.id])), [owner]);
    if (req.replyTo) await tellReporter(tx, req, TY.callbackReopenedVillager(req.code));
    await ctx.say(TY.callbackNoted(req.code, false), req.id);
  },
};
