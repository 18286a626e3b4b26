import { closedCard } from '../../cards/content';
import { T, TS } from '../domain/texts';
import type { PersonActor } from './context';
import { RequestOp, refusalOn, sayOvertaken } from './run';
import { closeCards } from './shared/cards';
import { tellReporter } from './shared/reporter';

/**
 * 合并: the same problem reported twice; the merged one follows the other and its reporter gets the
 * result too. The one who merges must be allowed to merge both (docs/interface.md#rights).
 */
export const merge: RequestOp<{ into: string }, PersonActor> = {
  name: 'merge',
  async run(ctx, req, input) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    if (req.code === input.into) return ctx.say(T.mergeSelf, req.id);
    const into = await tx.requests.byCode(input.into);
    if (!into) return ctx.say(T.noSuchRequest(input.into));
    if (!['pending', 'accepted'].includes(into.status) || into.mergedInto) return ctx.say(T.mergeTargetClosed(input.into), req.id);
    // Authority over both: merging one's own request into another village's would take it off one's list.
    if (await refusalOn(ctx, 'merge', into)) return ctx.say(TS.mergeTargetNotYours(into.code), req.id);
    const patch = { mergedInto: into.id, status: into.status, ownerId: into.ownerId ?? req.ownerId, deadline: into.deadline, originalDeadline: into.originalDeadline, acceptedAt: req.acceptedAt ?? into.acceptedAt };
    if (!(await tx.requests.transition(req, ['pending', 'accepted'], patch))) return sayOvertaken(ctx, 'merge', req);
    await tx.event(req.id, 'merged', `person:${me.id}`, ctx.via, { into: into.code });
    await tx.event(into.id, 'merged_in', `person:${me.id}`, ctx.via, { from: req.code });
    const note = T.mergedNote(into.code);
    for (const kind of ['new_request', 'owner', 'handler', 'forward'] as const) await closeCards(tx, req.id, kind, note, (card) => closedCard(card, note));
    await ctx.say(T.merged(req.code, into.code), req.id);
    await tellReporter(tx, req, T.mergedToVillager(req.code, into.code));
  },
};
