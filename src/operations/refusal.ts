import { approvalCard } from '../../cards/content';
import type { Refusal } from '../db/entities';
import { approversFor } from '../domain/responsibility';
import { T } from '../domain/texts';
import type { PersonActor } from './context';
import { ask, RequestOp, sayOvertaken } from './run';
import { sendCard } from './shared/cards';
import { viewOf } from './shared/view';

export interface RefusalInput {
  /** 办理依据 and 否定理由; asked for (both, in one reply) when absent. */
  basis?: string;
  reason?: string;
}

/**
 * 否定报备 (docs/rules.md#3): a cadre may not refuse on their own. The owner files 办理依据 and
 * 否定理由; the approving leader decides; the villager hears nothing before approval.
 */
export const reject: RequestOp<RefusalInput, PersonActor> = {
  name: 'reject',
  async run(ctx, req, { basis, reason }) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    if (!basis || !reason) return ask(ctx, 'refusal_form', req.id, T.askRefusal(req.code));
    const approvers = approversFor(tx.dir, req, me.id);
    if (!approvers.length) {
      tx.log.error({ requestId: req.id }, 'no leader can approve this refusal: check the org file');
      return ctx.say(T.noApprover(req.code), req.id);
    }
    const refusal: Refusal = { basis, reason, by: me.id, at: tx.now };
    if (!(await tx.requests.transition(req, ['accepted'], { status: 'rejection_pending', refusal }))) return sayOvertaken(ctx, 'reject', req);
    await tx.event(req.id, 'refusal_filed', `person:${me.id}`, ctx.via, { basis, reason, approvers: approvers.map((p) => p.id) });
    await sendCard(tx, req.id, 'approval', approvalCard(viewOf(tx, req), { byName: me.name, basis, reason }), approvers);
    await ctx.say(T.refusalFiled(req.code, approvers.map((p) => p.name).join('、')), req.id);
  },
};
