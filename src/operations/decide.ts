import { closedCard } from '../../cards/content';
import type { Refusal, RequestRow } from '../db/entities';
import { decisionNote } from '../domain/rights';
import { T } from '../domain/texts';
import type { OpContext, PersonActor } from './context';
import { ask, RequestOp } from './run';
import { closeCards } from './shared/cards';
import { tellReporter } from './shared/reporter';

export interface DecideInput {
  /** 驳回 with a comment for the one who filed it (asked for, optionally, when absent). */
  comment?: string;
}

/**
 * 同意 / 驳回 a 否定报备 (docs/rules.md#3). On 同意 the villager gets the reason, the basis and how
 * to appeal (and so does everyone whose request was merged into this one); on 驳回 the owner works on.
 */
async function decide(ctx: OpContext<PersonActor>, req: RequestRow, approve: boolean, comment?: string): Promise<void> {
  const { tx } = ctx;
  const me = ctx.actor.person;
  const name = (id?: string | null) => tx.dir.person(id)?.name;
  const refusal: Refusal = { ...req.refusal!, decidedBy: me.id, decision: approve ? 'approved' : 'denied', ...(comment ? { comment } : {}) };
  const patch = approve ? { status: 'rejected' as const, refusal } : { status: 'accepted' as const, refusal };
  if (!(await tx.requests.transition(req, ['rejection_pending'], patch))) {
    return ctx.say(T.decided(decisionNote((await tx.requests.latest(req.id)).refusal, name)), req.id);
  }
  const note = T.decidedBy(me.name, approve);
  await tx.event(req.id, approve ? 'refusal_approved' : 'refusal_denied', `person:${me.id}`, ctx.via, comment ? { comment } : {});
  await closeCards(tx, req.id, 'approval', note, (c) => closedCard(c, note));
  const owner = tx.dir.person(req.refusal?.by ?? req.ownerId);
  if (approve) {
    if (owner) await tx.tell(owner, T.refusalApprovedOwner(req.code, me.name), req.id);
    await tellReporter(tx, req, T.refusalToVillager(req.code, refusal.reason, refusal.basis));
    // Requests merged into this one share the answer; each reporter may appeal their own.
    for (const m of await tx.requests.mergedInto(req.id)) {
      if (!(await tx.requests.transition(m, ['pending', 'accepted'], { status: 'rejected', refusal, mergedInto: null }))) continue;
      await tx.event(m.id, 'refusal_approved', `person:${me.id}`, ctx.via, { via: req.code });
      await tellReporter(tx, m, T.refusalToVillager(m.code, refusal.reason, refusal.basis));
    }
    return;
  }
  if (owner) await tx.tell(owner, T.refusalDeniedOwner(req.code, me.name), req.id);
  if (comment) {
    if (owner) await tx.tell(owner, T.leaderComment(req.code, me.name, comment), req.id);
  } else {
    await ask(ctx, 'deny_comment', req.id, T.askDenyComment(req.code));
  }
}

export const approve: RequestOp<DecideInput, PersonActor> = { name: 'approve', run: (ctx, req) => decide(ctx, req, true) };
export const deny: RequestOp<DecideInput, PersonActor> = { name: 'deny', run: (ctx, req, { comment }) => decide(ctx, req, false, comment) };

/** A leader's word to the one who filed a refusal they sent back (the answer to “留言?”). */
export const comment: RequestOp<{ text: string }, PersonActor> = {
  name: 'comment',
  async run(ctx, req, { text }) {
    await ctx.tx.event(req.id, 'comment', `person:${ctx.actor.person.id}`, ctx.via, { text });
    const owner = ctx.tx.dir.person(req.refusal?.by ?? req.ownerId);
    if (owner) await ctx.tx.tell(owner, T.leaderComment(req.code, ctx.actor.person.name, text), req.id);
    await ctx.say(T.commentSent, req.id);
  },
};
