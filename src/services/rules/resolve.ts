import { closedCard, feedbackCard, handlerCard, ownerCard } from '../../../cards/content';
import { RequestRow } from '../../db/entities';
import { computeDeadline, isTier, needsPromisedDate } from '../../domain/deadline';
import { T } from '../../domain/texts';
import { allowed, requestOrSay, sayOvertaken } from '../access';
import { closeCards, sendCard, sendCardTo } from '../cards';
import { ActorRef, Tx } from '../context';
import { expectReply } from '../pending';
import { tellReporter } from '../reporter';
import { handlerIds, transition, viewOf } from '../requests';
import type { Person } from '../../domain/directory';
import { targetOptions } from './accept';
import { CardAction, CommandHandler, PersonSender, ReplyHandler, say } from './types';
import type { Sender } from '../identity';

/**
 * 办结 and 情况反馈 (DOMAIN rule 5): the result goes back to the villager with 满意 / 不满意;
 * 满意 closes it (销号), 不满意 reopens it and the owner and the village secretary hear why.
 */
export async function resolve(tx: Tx, s: PersonSender, req: RequestRow, result: string, via: string): Promise<void> {
  if (!(await allowed(tx, 'resolve', req, s))) return;
  if (!(await transition(tx, req, ['accepted'], { status: 'resolved', result, resolvedAt: tx.now }))) return sayOvertaken(tx, 'resolve', req, s);
  await tx.event(req.id, 'resolved', `person:${s.person.id}`, via, { result });
  for (const kind of ['owner', 'handler', 'forward'] as const) await closeCards(tx, req.id, kind, '已办结', (c) => closedCard(c, '已办结'));
  const owner = tx.dir.person(req.ownerId);
  const told = await askFeedback(tx, req, result);
  // Only say the villager was told when they were: a walk-in or a closed 微信客服 window means a phone call.
  const done = told ? T.resolvedDone(req.code) : owner && owner.id !== s.person.id ? T.resolvedByPhoneOther(req.code, owner.name) : T.resolvedByPhone(req.code);
  await say(tx, s, done, req.id);
  if (owner && owner.id !== s.person.id) await tx.tell(owner, T.resolvedOwner(req.code, s.person.name), req.id);
  // Requests merged into this one share its result; each reporter answers for their own.
  const merged = await tx.em.getRepository(RequestRow).findBy({ mergedInto: req.id });
  for (const m of merged) {
    if (await transition(tx, m, ['pending', 'accepted'], { status: 'resolved', result, resolvedAt: tx.now, ownerId: m.ownerId ?? req.ownerId })) {
      await tx.event(m.id, 'resolved', `person:${s.person.id}`, via, { result, via: req.code });
      await askFeedback(tx, m, result);
    }
  }
}

/** The result with 满意 / 不满意: a card where the channel has cards, text 1/2 on 微信客服, the owner in person (or by phone) otherwise. */
async function askFeedback(tx: Tx, req: RequestRow, result: string): Promise<boolean> {
  const to = req.replyTo;
  if (to && to.channel !== 'kf' && req.reporterVillagerId) {
    await tx.send(to, { kind: 'text', text: T.resultToVillager(req.code, result, false) }, { requestId: req.id });
    await sendCardTo(tx, req.id, 'feedback', feedbackCard(viewOf(tx, req), result, false), [{ id: `villager:${req.reporterVillagerId}`, address: to }]);
    return true;
  }
  // 微信客服: text 1 / 2 — unless its reply window has closed, when the message is held and the
  // owner, asked to phone, also records the villager's answer, as for a matter taken in person.
  if (to && (await tellReporter(tx, req, T.resultToVillager(req.code, result, true)))) return true;
  const owner = tx.dir.person(req.ownerId);
  if (owner) await sendCard(tx, req.id, 'feedback', feedbackCard(viewOf(tx, req), result, true), [owner]);
  return false;
}

/** 满意 / 不满意, from the villager (card, 1/2, 评价) or recorded by the owner for a walk-in. */
export async function rate(tx: Tx, s: Sender, req: RequestRow, satisfied: boolean, via: string): Promise<void> {
  if (!(await allowed(tx, satisfied ? 'satisfied' : 'unsatisfied', req, s))) return;
  const actor: ActorRef = s.kind === 'person' ? `person:${s.person.id}` : `villager:${s.villager.id}`;
  const patch = satisfied
    ? { status: 'closed', satisfaction: 'satisfied', closedAt: tx.now, closeReason: 'satisfied' }
    : {
        status: 'accepted',
        satisfaction: 'unsatisfied',
        mergedInto: null,
        ...reopenedDeadline(tx, req),
      };
  if (!(await transition(tx, req, ['resolved'], patch))) return say(tx, s, T.nothingToRate);
  const note = `已评价：${satisfied ? '满意' : '不满意'}`;
  await tx.event(req.id, 'rated', actor, via, { value: satisfied ? 'satisfied' : 'unsatisfied' });
  await closeCards(tx, req.id, 'feedback', note, (c) => closedCard(c, note));
  const owner = tx.dir.person(req.ownerId);
  if (satisfied) {
    await tx.event(req.id, 'closed', 'system', null, { reason: 'satisfied' });
    if (s.kind === 'villager') await say(tx, s, T.thanks(req.code), req.id);
    else await say(tx, s, T.proxyRated(req.code, '满意'), req.id);
    if (owner && (s.kind === 'villager' || s.person.id !== owner.id)) await tx.tell(owner, T.satisfiedOwner(req.code), req.id);
    return;
  }
  await tx.event(req.id, 'reopened', 'system', null, { reason: 'unsatisfied' });
  if (s.kind === 'villager') {
    await expectReply(tx, `villager:${s.villager.id}`, 'unsatisfied_reason', req.id);
    await say(tx, s, T.askWhy(req.code), req.id);
  } else {
    await say(tx, s, T.proxyRated(req.code, '不满意，已重新打开'), req.id);
  }
  const secretary = tx.dir.person(tx.dir.village(req.villageId)?.secretaryId);
  // Once each: the owner is often the village secretary too.
  for (const p of new Set([owner, secretary])) if (p && p.active) await tx.tell(p, T.unsatisfiedOwner(req.code), req.id);
  if (owner) await sendCard(tx, req.id, 'owner', ownerCard(viewOf(tx, req), targetOptions(tx, req, [owner.id])), [owner]);
  // Handlers' cards closed at 办结; they work on it again with fresh ones (转办 to them would say 已是承办人).
  const handlers = (await handlerIds(tx, req.id)).filter((id) => id !== owner?.id).map((id) => tx.dir.person(id)).filter((p): p is Person => Boolean(p?.active));
  if (handlers.length) await sendCard(tx, req.id, 'handler', handlerCard(viewOf(tx, req), '群众不满意，请继续办理', targetOptions(tx, req, handlers.map((p) => p.id))), handlers);
}

/**
 * Reopened after 不满意: the tier's time again from today; a promised (需上级审批) or agreed (联办)
 * date stands while it is still ahead, else it becomes a general matter of one working day.
 */
function reopenedDeadline(tx: Tx, req: RequestRow): { tier: string; deadline: number } {
  const tier = isTier(req.tier) ? req.tier : 'general';
  if (!needsPromisedDate(tier)) return { tier, deadline: computeDeadline(tx.deps.calendar, tier, new Date(tx.now)).getTime() };
  if (req.deadline && req.deadline > tx.now) return { tier, deadline: req.deadline };
  return { tier: 'general', deadline: computeDeadline(tx.deps.calendar, 'general', new Date(tx.now)).getTime() };
}

export const resolveAction: CardAction = {
  key: 'resolve',
  on: ['owner', 'handler'],
  async run({ tx, sender, request: req }) {
    if (sender.kind !== 'person') return say(tx, sender, T.notAllowed);
    if (!(await allowed(tx, 'resolve', req, sender))) return;
    await expectReply(tx, `person:${sender.person.id}`, 'resolve_result', req.id);
    await say(tx, sender, T.askResult(req.code), req.id);
  },
};

export const resolveReply: ReplyHandler = {
  kind: 'resolve_result',
  async run(tx, sender, req, text) {
    if (sender.kind === 'person') await resolve(tx, sender, req, text, sender.address.platform);
  },
};

export const resolveCommand: CommandHandler = {
  name: 'resolve',
  who: 'person',
  async run(tx, sender, cmd) {
    if (cmd.name !== 'resolve' || sender.kind !== 'person') return;
    const req = await requestOrSay(tx, sender, cmd.code);
    if (!req) return;
    await resolve(tx, sender, req, cmd.text, sender.address.platform);
  },
};

const rateAction = (satisfied: boolean): CardAction => ({
  key: satisfied ? 'satisfied' : 'unsatisfied',
  on: ['feedback'],
  async run({ tx, sender, request, event }) {
    await rate(tx, sender, request, satisfied, event.platform);
  },
});
export const satisfiedAction = rateAction(true);
export const unsatisfiedAction = rateAction(false);

/** 评价 1|2 [编号], or a bare 1 / 2 / 满意 / 不满意 when something awaits their answer. */
export const rateCommand: CommandHandler = {
  name: 'rate',
  who: 'villager',
  async run(tx, sender, cmd) {
    if (cmd.name !== 'rate' || sender.kind !== 'villager') return;
    const repo = tx.em.getRepository(RequestRow);
    const req = cmd.code
      ? await repo.findOneBy({ code: cmd.code, reporterVillagerId: sender.villager.id })
      : await repo.findOne({ where: { reporterVillagerId: sender.villager.id, status: 'resolved' }, order: { resolvedAt: 'ASC' } });
    if (!req) return say(tx, sender, T.nothingToRate);
    await rate(tx, sender, req, cmd.value === 1, sender.address.platform);
  },
};

export const unsatisfiedReasonReply: ReplyHandler = {
  kind: 'unsatisfied_reason',
  async run(tx, sender, req, text) {
    if (sender.kind !== 'villager') return;
    await tx.event(req.id, 'villager_message', `villager:${sender.villager.id}`, sender.address.platform, { text, about: 'unsatisfied' });
    const owner = tx.dir.person(req.ownerId);
    if (owner) await tx.tell(owner, T.unsatisfiedReason(req.code, text), req.id);
    await say(tx, sender, T.reasonNoted, req.id);
  },
};
