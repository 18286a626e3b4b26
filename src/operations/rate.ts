import { closedCard, handlerCard, ownerCard } from '../../cards/content';
import type { RequestRow } from '../db/entities';
import { computeDeadline, isTier, needsPromisedDate } from '../domain/deadline';
import type { Person } from '../domain/directory';
import { T } from '../domain/texts';
import { actorRef } from './context';
import { ask, RequestOp } from './run';
import { closeCards, sendCard } from './shared/cards';
import { targetOptions, viewOf } from './shared/view';
import type { Tx } from './tx';

export interface RateInput {
  satisfied: boolean;
}

/**
 * Reopened after 不满意: the tier's time again from today; a promised (需上级审批) or agreed (联办)
 * date stands while it is still ahead, else it becomes a general matter of one working day.
 */
function reopenedDeadline(tx: Tx, req: RequestRow): { tier: string; deadline: number } {
  const tier = isTier(req.tier) ? req.tier : 'general';
  if (!needsPromisedDate(tier)) return { tier, deadline: computeDeadline(tx.deps.calendar, tier, new Date(tx.now)).getTime() };
  if (req.deadline && req.deadline > tx.now) return { tier, deadline: req.deadline };
  return { tier: 'general', deadline: computeDeadline(tx.deps.calendar, 'general', new Date(tx.now)).getTime() };
}

/**
 * 满意 / 不满意 (docs/rules.md#5), from the villager (card, 1 / 2, 评价) or recorded by the owner
 * for a walk-in: 满意 closes it (销号); 不满意 reopens it and the owner and the village secretary hear.
 */
export const rate: RequestOp<RateInput> = {
  name: 'rate',
  find: (ctx, input) => {
    if (ctx.actor.kind !== 'villager') return Promise.resolve(null);
    const v = ctx.actor.villager.id;
    return input.code ? ctx.tx.requests.byCodeOf(input.code, v) : ctx.tx.requests.oldestResolvedOf(v);
  },
  notFound: () => T.nothingToRate,
  async run(ctx, req, { satisfied }) {
    const { tx, actor } = ctx;
    const patch = satisfied
      ? { status: 'closed' as const, satisfaction: 'satisfied', closedAt: tx.now, closeReason: 'satisfied' }
      : { status: 'accepted' as const, satisfaction: 'unsatisfied', mergedInto: null, ...reopenedDeadline(tx, req) };
    if (!(await tx.requests.transition(req, ['resolved'], patch))) return ctx.say(T.nothingToRate);
    const note = T.ratedNote(satisfied);
    await tx.event(req.id, 'rated', actorRef(actor), ctx.via, { value: satisfied ? 'satisfied' : 'unsatisfied' });
    await closeCards(tx, req.id, 'feedback', note, (c) => closedCard(c, note));
    const owner = tx.dir.person(req.ownerId);
    if (satisfied) {
      await tx.event(req.id, 'closed', 'system', null, { reason: 'satisfied' });
      await ctx.say(actor.kind === 'villager' ? T.thanks(req.code) : T.proxyRated(req.code, '满意'), req.id);
      if (owner && (actor.kind === 'villager' || (actor.kind === 'person' && actor.person.id !== owner.id))) await tx.tell(owner, T.satisfiedOwner(req.code), req.id);
      return;
    }
    await tx.event(req.id, 'reopened', 'system', null, { reason: 'unsatisfied' });
    if (actor.kind === 'villager') await ask(ctx, 'unsatisfied_reason', req.id, T.askWhy(req.code));
    else await ctx.say(T.proxyRated(req.code, '不满意，已重新打开'), req.id);
    const secretary = tx.dir.person(tx.dir.village(req.villageId)?.secretaryId);
    // Once each: the owner is often the village secretary too.
    for (const p of new Set([owner, secretary])) if (p && p.active) await tx.tell(p, T.unsatisfiedOwner(req.code), req.id);
    if (owner) await sendCard(tx, req.id, 'owner', ownerCard(viewOf(tx, req), targetOptions(tx, req, [owner.id])), [owner]);
    // Handlers' cards closed at 办结; they work on it again with fresh ones (转办 to them would say 已是承办人).
    const handlers = (await tx.handlers.ids(req.id)).filter((id) => id !== owner?.id).map((id) => tx.dir.person(id)).filter((p): p is Person => Boolean(p?.active));
    if (handlers.length) await sendCard(tx, req.id, 'handler', handlerCard(viewOf(tx, req), T.unsatisfiedCardTitle, targetOptions(tx, req, handlers.map((p) => p.id))), handlers);
  },
};
