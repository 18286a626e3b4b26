import { approvalCard, closedCard, handlerCard } from '../../../cards/content';
import { Refusal, RequestRow } from '../../db/entities';
import { parseRefusal } from '../../domain/commands';
import { computeDeadline } from '../../domain/deadline';
import { T } from '../../domain/texts';
import { allowed, approversFor, requestOrSay, latest, responsibleLeaders, sayOvertaken } from '../access';
import { closeCards, sendCard } from '../cards';
import { Tx } from '../context';
import { expectReply } from '../pending';
import { tellReporter } from '../reporter';
import { addHandler, transition, viewOf } from '../requests';
import { targetOptions } from './accept';
import { CardAction, CommandHandler, PersonSender, ReplyHandler, say, VillagerSender } from './types';

/**
 * 否定报备 (DOMAIN rule 3): a cadre may not refuse on their own. The owner files 办理依据 and
 * 否定理由; the approving leader decides; the villager hears nothing before approval, then gets the
 * reason, the basis and how to appeal.
 */
export async function fileRefusal(tx: Tx, s: PersonSender, req: RequestRow, basis: string, reason: string, via: string): Promise<void> {
  if (!(await allowed(tx, 'reject', req, s))) return;
  const approvers = approversFor(tx, req, s.person.id);
  if (!approvers.length) {
    tx.log.error({ requestId: req.id }, 'no leader can approve this refusal: check the org file');
    return say(tx, s, T.noApprover(req.code), req.id);
  }
  const refusal: Refusal = { basis, reason, by: s.person.id, at: tx.now };
  if (!(await transition(tx, req, ['accepted'], { status: 'rejection_pending', refusal }))) return sayOvertaken(tx, 'reject', req, s);
  await tx.event(req.id, 'refusal_filed', `person:${s.person.id}`, via, { basis, reason, approvers: approvers.map((p) => p.id) });
  await sendCard(tx, req.id, 'approval', approvalCard(viewOf(tx, req), { byName: s.person.name, basis, reason }), approvers);
  await say(tx, s, T.refusalFiled(req.code, approvers.map((p) => p.name).join('、')), req.id);
}

/** 已由王建国同意 */
const decisionNote = (tx: Tx, r: Refusal | null) =>
  r?.decision ? `已由${tx.dir.person(r.decidedBy)?.name ?? r.decidedBy}${r.decision === 'approved' ? '同意' : '驳回'}` : '已处理';

async function decide(tx: Tx, s: PersonSender, req: RequestRow, approve: boolean, via: string, comment?: string): Promise<void> {
  // A leader answering a refusal that was already decided (a second tap, another leader first) is told how it went.
  const decided = req.status !== 'rejection_pending' && req.refusal?.decision;
  if (decided && (req.refusal!.decidedBy === s.person.id || responsibleLeaders(tx, req).some((p) => p.id === s.person.id))) {
    return say(tx, s, T.decided(decisionNote(tx, req.refusal)), req.id);
  }
  if (!(await allowed(tx, approve ? 'approve' : 'deny', req, s))) return;
  const refusal: Refusal = { ...req.refusal!, decidedBy: s.person.id, decision: approve ? 'approved' : 'denied', ...(comment ? { comment } : {}) };
  const patch = approve ? { status: 'rejected', refusal } : { status: 'accepted', refusal };
  if (!(await transition(tx, req, ['rejection_pending'], patch))) {
    return say(tx, s, T.decided(decisionNote(tx, (await latest(tx, req)).refusal)), req.id);
  }
  const note = `已由${s.person.name}${approve ? '同意' : '驳回'}`;
  await tx.event(req.id, approve ? 'refusal_approved' : 'refusal_denied', `person:${s.person.id}`, via, comment ? { comment } : {});
  await closeCards(tx, req.id, 'approval', note, (c) => closedCard(c, note));
  const owner = tx.dir.person(req.refusal?.by ?? req.ownerId);
  if (approve) {
    if (owner) await tx.tell(owner, T.refusalApprovedOwner(req.code, s.person.name), req.id);
    await tellReporter(tx, req, T.refusalToVillager(req.code, refusal.reason, refusal.basis));
    // Requests merged into this one share the answer; each reporter may appeal their own.
    for (const m of await tx.em.getRepository(RequestRow).findBy({ mergedInto: req.id })) {
      if (!(await transition(tx, m, ['pending', 'accepted'], { status: 'rejected', refusal, mergedInto: null }))) continue;
      await tx.event(m.id, 'refusal_approved', `person:${s.person.id}`, via, { via: req.code });
      await tellReporter(tx, m, T.refusalToVillager(m.code, refusal.reason, refusal.basis));
    }
    return;
  }
  if (owner) await tx.tell(owner, T.refusalDeniedOwner(req.code, s.person.name), req.id);
  if (comment) {
    if (owner) await tx.tell(owner, T.leaderComment(req.code, s.person.name, comment), req.id);
  } else {
    await expectReply(tx, `person:${s.person.id}`, 'deny_comment', req.id);
    await say(tx, s, T.askDenyComment(req.code), req.id);
  }
}

export const rejectAction: CardAction = {
  key: 'reject',
  on: ['owner'],
  async run({ tx, sender, request: req }) {
    if (sender.kind !== 'person') return say(tx, sender, T.notAllowed);
    if (!(await allowed(tx, 'reject', req, sender))) return;
    await expectReply(tx, `person:${sender.person.id}`, 'refusal_form', req.id);
    await say(tx, sender, T.askRefusal(req.code), req.id);
  },
};

export const refusalFormReply: ReplyHandler = {
  kind: 'refusal_form',
  async run(tx, sender, req, text) {
    if (sender.kind !== 'person') return;
    const form = parseRefusal(text);
    if (!form) {
      await expectReply(tx, `person:${sender.person.id}`, 'refusal_form', req.id);
      return say(tx, sender, T.refusalIncomplete, req.id);
    }
    await fileRefusal(tx, sender, req, form.basis, form.reason, sender.address.platform);
  },
};

export const rejectCommand: CommandHandler = {
  name: 'reject',
  who: 'person',
  async run(tx, sender, cmd) {
    if (cmd.name !== 'reject' || sender.kind !== 'person') return;
    const req = await requestOrSay(tx, sender, cmd.code);
    if (!req) return;
    await fileRefusal(tx, sender, req, cmd.basis, cmd.reason, sender.address.platform);
  },
};

const decideAction = (approve: boolean): CardAction => ({
  key: approve ? 'approve' : 'deny',
  on: ['approval'],
  async run({ tx, sender, request, event }) {
    if (sender.kind !== 'person') return say(tx, sender, T.notAllowed);
    await decide(tx, sender, request, approve, event.platform);
  },
});
export const approveAction = decideAction(true);
export const denyAction = decideAction(false);

export const approveCommand: CommandHandler = {
  name: 'approve',
  who: 'person',
  async run(tx, sender, cmd) {
    if ((cmd.name !== 'approve' && cmd.name !== 'deny') || sender.kind !== 'person') return;
    const req = await requestOrSay(tx, sender, cmd.code);
    if (!req) return;
    await decide(tx, sender, req, cmd.name === 'approve', sender.address.platform, cmd.name === 'deny' ? cmd.text : undefined);
  },
};
export const denyCommand: CommandHandler = { ...approveCommand, name: 'deny' };

export const denyCommentReply: ReplyHandler = {
  kind: 'deny_comment',
  async run(tx, sender, req, text) {
    if (sender.kind !== 'person') return;
    await tx.event(req.id, 'comment', `person:${sender.person.id}`, sender.address.platform, { text });
    const owner = tx.dir.person(req.refusal?.by ?? req.ownerId);
    if (owner) await tx.tell(owner, T.leaderComment(req.code, sender.person.name, text), req.id);
    await say(tx, sender, T.commentSent, req.id);
  },
};

/** 申诉: a villager disputes an approved refusal; it reopens, to a township leader, for 3 working days. */
export async function appeal(tx: Tx, s: VillagerSender, code: string | undefined, text: string | undefined): Promise<void> {
  const repo = tx.em.getRepository(RequestRow);
  const req = code
    ? await repo.findOneBy({ code, reporterVillagerId: s.villager.id })
    : await repo.findOne({ where: { reporterVillagerId: s.villager.id, status: 'rejected' }, order: { id: 'DESC' } });
  if (!req) return say(tx, s, T.nothingToAppeal);
  if (!(await allowed(tx, 'appeal', req, s))) return;
  const deadline = computeDeadline(tx.deps.calendar, 'township', new Date(tx.now)).getTime();
  const level = req.level === 'village' ? 'township' : req.level;
  if (!(await transition(tx, req, ['rejected'], { status: 'accepted', level, tier: 'township', deadline }))) return say(tx, s, T.nothingToAppeal);
  // A township leader takes it up again — not the one who approved the refusal, where there is another.
  const all = tx.dir.withRole('leader');
  const leaders = [all.find((p) => p.id !== req.refusal?.decidedBy) ?? all[0]].filter(Boolean);
  await tx.event(req.id, 'appealed', `villager:${s.villager.id}`, s.address.platform, { text: text ?? null, to: leaders.map((p) => p.id) });
  for (const p of leaders) await addHandler(tx, req.id, p.id, 'system');
  await sendCard(tx, req.id, 'handler', handlerCard(viewOf(tx, req), '群众申诉，请重新处理', targetOptions(tx, req, leaders.map((p) => p.id))), leaders);
  const owner = tx.dir.person(req.ownerId);
  if (owner) await tx.tell(owner, T.appealToOwner(req.code, text), req.id);
  await say(tx, s, T.appealReceived(req.code), req.id);
}

export const appealCommand: CommandHandler = {
  name: 'appeal',
  who: 'villager',
  async run(tx, sender, cmd) {
    if (cmd.name !== 'appeal' || sender.kind !== 'villager') return;
    await appeal(tx, sender, cmd.code, cmd.text);
  },
};

