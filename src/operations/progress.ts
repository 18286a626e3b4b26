import { T } from '../domain/texts';
import type { PersonActor } from './context';
import type { RequestOp } from './run';

/** 进展: an entry of the 办理过程 (cause, how it was worked out, measures, who was responsible). */
export const progress: RequestOp<{ text: string }, PersonActor> = {
  name: 'progress',
  async run(ctx, req, { text }) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    await tx.diary.add({ personId: me.id, requestId: req.id, kind: 'process', text, data: null, at: tx.now });
    await tx.event(req.id, 'progress', `person:${me.id}`, ctx.via, { text });
    await ctx.say(T.progressNoted(req.code), req.id);
    const owner = tx.dir.person(req.ownerId);
    if (owner && owner.id !== me.id) await tx.tell(owner, T.progressToOwner(req.code, me.name, text), req.id);
  },
};
