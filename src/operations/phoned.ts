import { closedCard } from '../../cards/content';
import { T } from '../domain/texts';
import { actorRef } from './context';
import type { RequestOp } from './run';
import { closeCards } from './shared/cards';

/** 已电话告知: the owner phoned the villager about what chat could not deliver. */
export const phoned: RequestOp<object> = {
  name: 'phoned',
  async run(ctx, req) {
    const { tx } = ctx;
    // Said twice (a DingTalk ActionCard sends the command again on every tap): recorded once.
    if ((await tx.outbox.markPhoned(req.id)) === 0 && !(await tx.cards.existsOpen(req.id, 'phone'))) return ctx.say(T.nothingToPhone(req.code), req.id);
    await tx.event(req.id, 'phoned', actorRef(ctx.actor), ctx.via);
    await closeCards(tx, req.id, 'phone', T.phonedNote, (c) => closedCard(c, T.phonedNote));
    await ctx.say(T.phonedDone(req.code), req.id);
  },
};
