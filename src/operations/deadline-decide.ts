import { closedCard } from '../../cards/content';
import type { RequestRow } from '../db/entities';
import { T, TS } from '../domain/texts';
import type { OpContext, PersonActor } from './context';
import { moveDeadline } from './deadline';
import { RequestOp, sayOvertaken } from './run';
import { closeCards } from './shared/cards';
import { deadlineText } from './shared/view';

/** Which change a card is about (`deadline:5`), else the request's pending one. */
async function changeOf(ctx: OpContext<PersonActor>, req: RequestRow) {
  const ref = /^deadline:(\d+)$/.exec((ctx.card?.content as { ref?: string } | undefined)?.ref ?? '');
  const change = ref ? await ctx.tx.deadlineChanges.byId(Number(ref[1])) : await ctx.tx.deadlineChanges.pendingOf(req.id);
  return change?.requestId === req.id ? change : null;
}

/**
 * 同意 / 驳回 an owner's 时限 change (docs/interface.md#rights): on 同意 the deadline moves (the
 * rules' deadline stays for the figures) and the owner and the villager hear; on 驳回 the owner
 * works to the deadline as it was.
 */
async function decideDeadline(ctx: OpContext<PersonActor>, req: RequestRow, approve: boolean): Promise<void> {
  const { tx } = ctx;
  const me = ctx.actor.person;
  const change = await changeOf(ctx, req);
  if (!change || change.status !== 'pending') return ctx.say(TS.deadlineNothingPending(req.code), req.id);
  if (!(await tx.deadlineChanges.decide(change.id, approve ? 'approved' : 'denied', me.id, tx.now))) return ctx.say(TS.deadlineNothingPending(req.code), req.id);
  const note = T.decidedBy(me.name, approve);
  const owner = tx.dir.person(change.proposedBy);
  if (approve) {
    if (!(await moveDeadline(ctx, req, change.deadline, { change: change.id, proposedBy: change.proposedBy }))) return sayOvertaken(ctx, 'approve_deadline', req);
    if (owner) await tx.tell(owner, TS.deadlineApprovedOwner(req.code, me.name, deadlineText(change.deadline)), req.id);
    await ctx.say(TS.deadlineApproveDone(req.code, deadlineText(change.deadline)), req.id);
  } else {
    await tx.event(req.id, 'deadline_denied', `person:${me.id}`, ctx.via, { change: change.id, deadline: change.deadline });
    if (owner) await tx.tell(owner, TS.deadlineDeniedOwner(req.code, me.name), req.id);
    await ctx.say(TS.deadlineDenyDone(req.code), req.id);
  }
  await closeCards(tx, req.id, 'deadline', note, (c) => closedCard(c, note), (_card, c) => c.ref === `deadline:${change.id}`);
}

export const approveDeadline: RequestOp<object, PersonActor> = { name: 'approve_deadline', run: (ctx, req) => decideDeadline(ctx, req, true) };
export const denyDeadline: RequestOp<object, PersonActor> = { name: 'deny_deadline', run: (ctx, req) => decideDeadline(ctx, req, false) };
