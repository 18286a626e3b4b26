import { T } from '../domain/texts';
import type { VillagerActor } from './context';
import type { RequestOp } from './run';

/** 补充: a villager adds to their latest unfinished request; the owner hears of it. */
export const supplement: RequestOp<{ text: string }, VillagerActor> = {
  name: 'supplement',
  find: (ctx) => ctx.tx.requests.latestUnfinishedOf(ctx.actor.villager.id),
  notFound: () => T.noOpenRequest,
  async run(ctx, req, { text }) {
    const { tx } = ctx;
    await tx.event(req.id, 'villager_message', `villager:${ctx.actor.villager.id}`, ctx.via, { text });
    await tx.requests.update(req.id, { lastMessageAt: tx.now });
    await ctx.say(T.appended(req.code), req.id);
    const owner = tx.dir.person(req.ownerId);
    if (owner) await tx.tell(owner, T.supplementToOwner(req.code, text), req.id);
  },
};

/** Why the villager was not satisfied (the answer to our question after 不满意): to the owner. */
export const reason: RequestOp<{ text: string }, VillagerActor> = {
  name: 'reason',
  async run(ctx, req, { text }) {
    const { tx } = ctx;
    await tx.event(req.id, 'villager_message', `villager:${ctx.actor.villager.id}`, ctx.via, { text, about: 'unsatisfied' });
    const owner = tx.dir.person(req.ownerId);
    if (owner) await tx.tell(owner, T.unsatisfiedReason(req.code, text), req.id);
    await ctx.say(T.reasonNoted, req.id);
  },
};
