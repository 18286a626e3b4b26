import { Command, parseCommand, parseRefusal } from '../../domain/commands';
import { T } from '../../domain/texts';
import { accept } from '../../operations/accept';
import { appeal } from '../../operations/appeal';
import { setCategory } from '../../operations/category';
import { chatContext, OpContext, pendingKey, type Actor } from '../../operations/context';
import { setDeadline } from '../../operations/deadline';
import { approve, comment, deny } from '../../operations/decide';
import { diary } from '../../operations/diary';
import { callback } from '../../operations/callback';
import { handover } from '../../operations/handover';
import { headsMeeting } from '../../operations/heads-meeting';
import { reviewDiary, selfAssessment } from '../../operations/review-diary';
import { visit } from '../../operations/visit';
import { escalate } from '../../operations/escalate';
import { forward } from '../../operations/forward';
import { merge } from '../../operations/merge';
import { notify } from '../../operations/notify';
import { phoned } from '../../operations/phoned';
import { progress } from '../../operations/progress';
import { cadreHelp, query, villagerHelp } from '../../operations/query';
import { rate } from '../../operations/rate';
import { reject } from '../../operations/refusal';
import { report } from '../../operations/report';
import { resolve } from '../../operations/resolve';
import { split, splitOff } from '../../operations/split';
import { ask, perform, performPlain, type PlainOp, type RequestOp } from '../../operations/run';
import { fulfil, supervise } from '../../operations/supervise';
import { reason, supplement } from '../../operations/supplement';
import type { Tx } from '../../operations/tx';
import { walkIn } from '../../operations/walk-in';
import { worklist } from '../../operations/worklist';
import type { InboundMessage } from '../../platform/types';
import type { Outcome } from './card';

type Run = (ctx: OpContext) => Promise<unknown>;
type Who = 'villager' | 'person';

/** A text command, parsed (src/domain/commands.ts), as the operation it runs — for who may type it. */
function commandRun(cmd: Command, who: Who): Run | null {
  const byCode = <I, A extends Actor>(op: RequestOp<I, A>, input: I & { code: string }): Run => (ctx) => perform(ctx, op, input);
  const plain = <I, A extends Actor>(op: PlainOp<I, A>, input: I): Run => (ctx) => performPlain(ctx, op, input);
  if (who === 'villager') {
    switch (cmd.name) {
      case 'help': return plain(villagerHelp, {});
      case 'query': return plain(query, { code: cmd.code });
      case 'supplement': return (ctx) => perform(ctx, supplement, { text: cmd.text });
      case 'rate': return (ctx) => perform(ctx, rate, { satisfied: cmd.value === 1, code: cmd.code });
      case 'appeal': return (ctx) => perform(ctx, appeal, { code: cmd.code, text: cmd.text });
      case 'split_off': return (ctx) => perform(ctx, splitOff, {});
      default: return null;
    }
  }
  switch (cmd.name) {
    case 'help': return plain(cadreHelp, {});
    case 'worklist': return plain(worklist, {});
    case 'bad': return (ctx) => ctx.say(T.usage(cmd.usage));
    case 'diary': return plain(diary, { text: cmd.text, category: cmd.category });
    case 'heads_meeting': return plain(headsMeeting, { village: cmd.village, text: cmd.text });
    case 'review': return plain(reviewDiary, { person: cmd.person, text: cmd.text });
    case 'self_assessment': return plain(selfAssessment, { text: cmd.text });
    case 'visit': return plain(visit, { household: cmd.household, text: cmd.text });
    case 'walk_in': return plain(walkIn, { reporter: cmd.reporter, text: cmd.text, phone: cmd.phone, org: cmd.org });
    case 'accept': return byCode(accept, { code: cmd.code });
    case 'forward': return byCode(forward, { code: cmd.code, to: cmd.to });
    case 'escalate': return byCode(escalate, { code: cmd.code, date: cmd.date });
    case 'reject': return byCode(reject, { code: cmd.code, basis: cmd.basis, reason: cmd.reason });
    case 'approve': return byCode(approve, { code: cmd.code });
    case 'deny': return byCode(deny, { code: cmd.code, comment: cmd.text });
    case 'resolve': return byCode(resolve, { code: cmd.code, result: cmd.text });
    case 'notify': return byCode(notify, { code: cmd.code, text: cmd.text });
    case 'progress': return byCode(progress, { code: cmd.code, text: cmd.text });
    case 'deadline': return byCode(setDeadline, { code: cmd.code, date: cmd.date });
    case 'category': return byCode(setCategory, { code: cmd.code, category: cmd.category });
    case 'merge': return byCode(merge, { code: cmd.code, into: cmd.into });
    case 'phoned': return byCode(phoned, { code: cmd.code });
    case 'supervise': return byCode(supervise, { code: cmd.code, to: cmd.to, date: cmd.date, note: cmd.note });
    case 'fulfil': return byCode(fulfil, { code: cmd.code, text: cmd.text });
    case 'handover': return byCode(handover, { code: cmd.code, to: cmd.to });
    case 'callback': return byCode(callback, { code: cmd.code, satisfied: cmd.satisfied, note: cmd.note });
    case 'split': return byCode(split, { code: cmd.code });
    default: return null;
  }
}

/**
 * The answer to a question we asked (src/operations/run.ts `ask`), by the question's kind: the
 * operation it completes and its input from the text — or, when the text does not do, the question again.
 */
function replyRun(kind: string, requestId: number, text: string, data: Record<string, unknown>): Run | null {
  const on = { requestId };
  switch (kind) {
    case 'resolve_result': return (ctx) => perform(ctx, resolve, { ...on, result: text });
    case 'notice_text': return (ctx) => perform(ctx, notify, { ...on, text });
    case 'deny_comment': return (ctx) => perform(ctx, comment, { ...on, text });
    case 'unsatisfied_reason': return (ctx) => perform(ctx, reason, { ...on, text });
    case 'escalate_date': return (ctx) => perform(ctx, escalate, { ...on, date: text, fromReply: true });
    case 'supervision_result': return (ctx) => perform(ctx, fulfil, { ...on, text, supervisionId: Number(data.supervision) || null });
    case 'refusal_form': {
      const form = parseRefusal(text);
      if (!form) return (ctx) => ask(ctx, 'refusal_form', requestId, T.refusalIncomplete);
      return (ctx) => perform(ctx, reject, { ...on, ...form });
    }
    default: return null;
  }
}

/** The answer to a question about no request in particular (`ask` with requestId null). */
function plainReplyRun(kind: string, text: string, data: Record<string, unknown>): Run | null {
  switch (kind) {
    case 'visit_group': return (ctx) => performPlain(ctx, visit, { household: String(data.household), text: String(data.text), group: text });
    default: return null;
  }
}

/**
 * A message: a command first; else the answer to a question we asked; else, from a villager, a
 * request (or a follow-up), and from a cadre, help.
 */
export async function textDoor(tx: Tx, actor: Extract<Actor, { kind: 'person' | 'villager' }>, ev: InboundMessage, receivedAt: number): Promise<Outcome> {
  const ctx = chatContext(tx, actor, ev.platform);
  const text = ev.msgType === 'text' ? (ev.text ?? '').trim() : '';
  if (text) {
    const cmd = parseCommand(text);
    // A lone 1 / 2 is a rating only when something awaits one.
    const bareRating = cmd?.name === 'rate' && cmd.bare && actor.kind === 'villager' && !(await tx.requests.awaitsRating(actor.villager.id));
    const run = cmd && !bareRating ? commandRun(cmd, actor.kind) : null;
    if (run) {
      await run(ctx);
      return { status: 'done' };
    }
    const pending = await tx.pending.take(pendingKey(actor), tx.now);
    const plainReply = pending && !pending.requestId ? plainReplyRun(pending.kind, text, pending.data ?? {}) : null;
    if (plainReply) {
      await plainReply(ctx);
      return { status: 'done' };
    }
    const reply = pending?.requestId ? replyRun(pending.kind, pending.requestId, text, pending.data ?? {}) : null;
    if (reply && (await tx.requests.byId(pending!.requestId!))) {
      await reply(ctx);
      return { status: 'done' };
    }
  }
  if (actor.kind === 'person') {
    await tx.send(actor.address, { kind: 'text', text: T.cadreHelp(actor.person.name) }, { personId: actor.person.id });
    return { status: 'done' };
  }
  if (ev.msgType === 'text' && !text) return { status: 'ignored', reason: 'empty text' };
  await performPlain(ctx, report, { kind: ev.msgType, text: ev.text, mediaId: ev.mediaId, location: ev.location, fileName: ev.fileName, messageId: ev.messageId, receivedAt });
  return { status: 'done' };
}
