import { closedCard, deadlineCard } from '../../cards/content';
import type { RequestRow } from '../db/entities';
import { END_OF_DAY } from '../domain/deadline';
import { approversFor } from '../domain/responsibility';
import { deadlineNeedsApproval } from '../domain/rights';
import { T, TS } from '../domain/texts';
import { atShanghai } from '../domain/time';
import { standingOf, stateOf, type OpContext, type PersonActor } from './context';
import { RequestOp, sayOvertaken } from './run';
import { closeCards, sendCard } from './shared/cards';
import { promisedDay } from './shared/dates';
import { tellReporter } from './shared/reporter';
import { deadlineText, viewOf } from './shared/view';
import type { Tx } from './tx';

/** Closes the cards of the request's pending 时限 change (if any) with `note`, and marks it `status`. */
export async function settlePendingChange(tx: Tx, req: RequestRow, status: 'superseded', by: string, note: string): Promise<void> {
  const pending = await tx.deadlineChanges.pendingOf(req.id);
  if (!pending || !(await tx.deadlineChanges.decide(pending.id, status, by, tx.now))) return;
  await closeCards(tx, req.id, 'deadline', note, (c) => closedCard(c, note), (_card, c) => c.ref === `deadline:${pending.id}`);
}

/**
 * Moves the deadline: the one the rules set stays for the figures (`originalDeadline`); the
 * villager is told. False when the request moved on meanwhile.
 */
export async function moveDeadline(ctx: OpContext<PersonActor>, req: RequestRow, deadline: number, data: Record<string, unknown> = {}): Promise<boolean> {
  const { tx } = ctx;
  if (!(await tx.requests.transition(req, ['accepted'], { deadline, originalDeadline: req.originalDeadline ?? req.deadline }))) return false;
  await tx.event(req.id, 'deadline_set', `person:${ctx.actor.person.id}`, ctx.via, { deadline, ...data });
  await tellReporter(tx, req, T.deadlineToVillager(req.code, deadlineText(deadline)));
  return true;
}

/**
 * 时限 (docs/interface.md#rights): the promised / agreed date of a 需上级审批 or 联办 matter, set by
 * its owner; on the other tiers the deadline is the rule's, so the owner's change waits for a
 * responsible leader's 同意 on a card, and a leader's own change applies at once.
 */
export const setDeadline: RequestOp<{ date: string }, PersonActor> = {
  name: 'set_deadline',
  async run(ctx, req, { date }) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    const day = await promisedDay(ctx, date, req.id);
    if (!day) return;
    const deadline = atShanghai(day, END_OF_DAY[0], END_OF_DAY[1]).getTime();
    const standing = await standingOf(tx, req, ctx.actor);
    if (standing.kind !== 'person' || !deadlineNeedsApproval(stateOf(req), standing)) {
      if (!(await moveDeadline(ctx, req, deadline))) return sayOvertaken(ctx, 'set_deadline', req);
      await settlePendingChange(tx, req, 'superseded', me.id, TS.deadlineSetByNote(me.name));
      return ctx.say(T.deadlineSet(req.code, deadlineText(deadline)), req.id);
    }
    const approvers = approversFor(tx.dir, req, me.id);
    if (!approvers.length) {
      tx.log.error({ requestId: req.id }, 'no leader can approve this deadline change: check the org file');
      return ctx.say(TS.deadlineNoApprover(req.code), req.id);
    }
    // One change waits at a time: a new ask replaces the one before.
    await settlePendingChange(tx, req, 'superseded', me.id, TS.deadlineSupersededNote);
    const change = await tx.deadlineChanges.create({ requestId: req.id, proposedBy: me.id, deadline, createdAt: tx.now });
    await tx.event(req.id, 'deadline_proposed', `person:${me.id}`, ctx.via, { change: change.id, deadline, approvers: approvers.map((p) => p.id) });
    const from = req.deadline ? deadlineText(req.deadline) : '—';
    await sendCard(tx, req.id, 'deadline', deadlineCard(viewOf(tx, req), { id: change.id, byName: me.name, from, to: deadlineText(deadline) }), approvers);
    await ctx.say(TS.deadlineProposed(req.code, deadlineText(deadline), approvers.map((p) => p.name).join('、')), req.id);
  },
};
