import { closedCard, feedbackCard } from '../../cards/content';
import type { RequestRow } from '../db/entities';
import { T } from '../domain/texts';
import type { PersonActor } from './context';
import { ask, RequestOp, sayOvertaken } from './run';
import { closeCards, sendCard, sendCardTo } from './shared/cards';
import { tellReporter } from './shared/reporter';
import { villagerLink } from './shared/links';
import { viewOf } from './shared/view';
import type { Tx } from './tx';

export interface ResolveInput {
  /** 办理结果, as the owner or handler writes it; asked for when absent. */
  result?: string;
}

/**
 * The result with 满意 / 不满意: a card where the channel takes cards, text 1 / 2 where it does not
 * (微信客服), the owner in person (or by phone) otherwise. True when the villager was told in chat.
 */
async function askFeedback(tx: Tx, req: RequestRow, result: string): Promise<boolean> {
  const to = req.replyTo;
  if (to && req.reporterVillagerId && tx.platforms.reach(to).cards) {
    await tx.send(to, { kind: 'text', text: T.resultToVillager(req.code, result, false) }, { requestId: req.id });
    // The villager's card carries their own link (it opens without a login).
    const v = { ...viewOf(tx, req), url: villagerLink(tx, req) };
    await sendCardTo(tx, req.id, 'feedback', feedbackCard(v, result, false), [{ id: `villager:${req.reporterVillagerId}`, address: to }]);
    return true;
  }
  // Text 1 / 2 — unless a reply window has closed, when the message is held and the owner, asked to
  // phone, also records the villager's answer, as for a matter taken in person.
  if (to && (await tellReporter(tx, req, T.resultToVillager(req.code, result, true)))) return true;
  const owner = tx.dir.person(req.ownerId);
  if (owner) await sendCard(tx, req.id, 'feedback', feedbackCard(viewOf(tx, req), result, true), [owner]);
  return false;
}

/**
 * 办结 and 情况反馈 (docs/rules.md#5): the result goes back to the villager with 满意 / 不满意;
 * requests merged into this one share it.
 */
export const resolve: RequestOp<ResolveInput, PersonActor> = {
  name: 'resolve',
  async run(ctx, req, { result }) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    if (!result) return ask(ctx, 'resolve_result', req.id, T.askResult(req.code));
    if (!(await tx.requests.transition(req, ['accepted'], { status: 'resolved', result, resolvedAt: tx.now }))) return sayOvertaken(ctx, 'resolve', req);
    await tx.event(req.id, 'resolved', `person:${me.id}`, ctx.via, { result });
    for (const kind of ['owner', 'handler', 'forward'] as const) await closeCards(tx, req.id, kind, T.resolvedNote, (c) => closedCard(c, T.resolvedNote));
    const owner = tx.dir.person(req.ownerId);
    const told = await askFeedback(tx, req, result);
    // Only say the villager was told when they were: a walk-in or a closed reply window means a phone call.
    const done = told ? T.resolvedDone(req.code) : owner && owner.id !== me.id ? T.resolvedByPhoneOther(req.code, owner.name) : T.resolvedByPhone(req.code);
    await ctx.say(done, req.id);
    if (owner && owner.id !== me.id) await tx.tell(owner, T.resolvedOwner(req.code, me.name), req.id);
    for (const m of await tx.requests.mergedInto(req.id)) {
      if (await tx.requests.transition(m, ['pending', 'accepted'], { status: 'resolved', result, resolvedAt: tx.now, ownerId: m.ownerId ?? req.ownerId })) {
        await tx.event(m.id, 'resolved', `person:${me.id}`, ctx.via, { result, via: req.code });
        await askFeedback(tx, m, result);
      }
    }
  },
};
