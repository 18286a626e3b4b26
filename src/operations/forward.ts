import { closedCard, forwardCard, handlerCard } from '../../cards/content';
import type { RequestRow } from '../db/entities';
import type { Person } from '../domain/directory';
import { T } from '../domain/texts';
import type { OpContext, PersonActor } from './context';
import { RequestOp, sayOvertaken } from './run';
import { closeCards, sendCard } from './shared/cards';
import { announceOwner, claimOwnership } from './shared/ownership';
import { targetOptions, viewOf } from './shared/view';

export interface ForwardInput {
  /** Whom to: a person id (a card's choice) or a name (typed). */
  to?: string;
  /** On a new request: the 办结时限 chosen on its card. */
  tier?: string;
}

/** Adds `target` as 承办人 with their own card; the owner stays accountable and hears of it. */
async function forwardTo(ctx: OpContext<PersonActor>, req: RequestRow, target: Person): Promise<void> {
  const { tx } = ctx;
  const me = ctx.actor.person;
  if (target.id === me.id) return ctx.say(T.forwardSelf, req.id);
  if (!(await tx.handlers.add(req.id, target.id, me.id, tx.now))) return ctx.say(T.alreadyHandler(req.code, target.name), req.id);
  await tx.event(req.id, 'forwarded', `person:${me.id}`, ctx.via, { to: target.id });
  await sendCard(tx, req.id, 'handler', handlerCard(viewOf(tx, req), T.forwardedCardTitle(me.name), targetOptions(tx, req, [target.id])), [target]);
  await tx.tell(target, T.forwardedToYou(req.code, me.name), req.id);
  await ctx.say(T.forwardDone(req.code, target.name), req.id);
  const owner = tx.dir.person(req.ownerId);
  if (owner && owner.id !== me.id) await tx.tell(owner, T.forwardedNotice(req.code, me.name, target.name), req.id);
}

/**
 * 转办. On a new request, the one who hands it over is the first person asked — they become the
 * 首问责任人 (docs/rules.md#1) — and then choose whom to hand it to (on a 转办 card, unless they said).
 */
export const forward: RequestOp<ForwardInput, PersonActor> = {
  name: 'forward',
  async run(ctx, req, input) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    const target = input.to ? (tx.dir.person(input.to) ?? tx.dir.activePeople().find((p) => p.name === input.to)) : undefined;
    if (input.to && !target?.active) return ctx.say(T.forwardNeedsTarget, req.id);
    if (req.status === 'pending') {
      if (!(await claimOwnership(tx, req, me.id, input.tier))) return sayOvertaken(ctx, 'accept', req);
      await announceOwner(tx, req, me, ctx.via);
      if (!target) {
        await sendCard(tx, req.id, 'forward', forwardCard(viewOf(tx, req), targetOptions(tx, req, [me.id])), [me]);
        return ctx.say(T.chooseForward(req.code), req.id);
      }
    }
    if (!target) return ctx.say(T.forwardNeedsTarget, req.id);
    if (ctx.card?.kind === 'forward') await closeCards(tx, req.id, 'forward', T.forwardedNote(target.name), (c) => closedCard(c, T.forwardedNote(target.name)));
    await forwardTo(ctx, req, target);
  },
};
