import type { CardContent } from '../../cards/content';
import { RequestRow } from '../db/entities';
import { parseCommand } from '../domain/commands';
import { T } from '../domain/texts';
import type { InboundCardAction, InboundMessage } from '../platform/types';
import { cardByTaskId, noteResponseCode } from './cards';
import { Tx } from './context';
import { resolveSender, Sender } from './identity';
import { Outcome, villagerMessage } from './intake';
import { takeReply } from './pending';
import { noteVillagerWrote } from './reporter';
import { CARD_ACTIONS, commandFor, REPLIES } from './rules';

/** Where every stored delivery ends up: a message or a tap, turned into the rules' decisions. */
export async function handleEvent(tx: Tx, ev: InboundMessage | InboundCardAction, receivedAt: number): Promise<Outcome> {
  const sender = await resolveSender(tx, ev);
  if (!sender) return { status: 'ignored', reason: `unknown sender ${ev.platform}:${ev.senderId}` };
  if (ev.type === 'card_action') return cardAction(tx, sender, ev);
  if (sender.kind === 'villager') await noteVillagerWrote(tx, sender.villager, receivedAt);
  return message(tx, sender, ev, receivedAt);
}

const actorKey = (s: Sender) => (s.kind === 'person' ? `person:${s.person.id}` : `villager:${s.villager.id}`);

/**
 * A message: a command first; else the answer to a question we asked; else, from a villager, a
 * request (or a follow-up), and from a cadre, help.
 */
async function message(tx: Tx, s: Sender, ev: InboundMessage, receivedAt: number): Promise<Outcome> {
  const text = ev.msgType === 'text' ? (ev.text ?? '').trim() : '';
  if (text) {
    const cmd = parseCommand(text);
    const handler = cmd && commandFor(cmd.name, s.kind);
    const bareRating = cmd?.name === 'rate' && cmd.bare && s.kind === 'villager' && !(await awaitsRating(tx, s.villager.id));
    if (cmd && handler && !bareRating) {
      await handler.run(tx, s, cmd);
      return { status: 'done' };
    }
    const pending = await takeReply(tx, actorKey(s));
    const reply = pending && REPLIES[pending.kind];
    const req = pending?.requestId ? await tx.em.getRepository(RequestRow).findOneBy({ id: pending.requestId }) : null;
    if (reply && req) {
      await reply.run(tx, s, req, text, pending.data ?? {});
      return { status: 'done' };
    }
  }
  if (s.kind === 'person') {
    await tx.send(s.address, { kind: 'text', text: T.cadreHelp(s.person.name) }, { personId: s.person.id });
    return { status: 'done' };
  }
  return villagerMessage(tx, s, ev, receivedAt);
}

async function awaitsRating(tx: Tx, villagerId: number): Promise<boolean> {
  return (await tx.em.getRepository(RequestRow).countBy({ reporterVillagerId: villagerId, status: 'resolved' })) > 0;
}

async function cardAction(tx: Tx, s: Sender, ev: InboundCardAction): Promise<Outcome> {
  const replyTo = (text: string) => tx.send(s.address, { kind: 'text', text });
  const card = await cardByTaskId(tx, ev.taskId);
  if (!card) {
    await replyTo(T.unknownCard);
    return { status: 'ignored', reason: `unknown card ${ev.taskId}` };
  }
  await noteResponseCode(tx, card, ev.responseCode);
  // A card already answered (taken, decided, rated, superseded) acts on nothing: its buttons were
  // for a state that has passed. WeCom and DingTalk replace them; a late or repeated tap gets here.
  if (card.state !== 'open') {
    await replyTo(T.cardClosed((card.content as CardContent).closedNote ?? '已处理'));
    return { status: 'ignored', reason: `card ${ev.taskId} is ${card.state}` };
  }
  const action = CARD_ACTIONS[ev.action];
  if (!action || !action.on.includes(card.kind as never)) {
    await replyTo(T.unknownAction);
    return { status: 'ignored', reason: `action ${ev.action} not valid on a ${card.kind} card` };
  }
  const request = await tx.em.getRepository(RequestRow).findOneByOrFail({ id: card.requestId });
  await action.run({ tx, sender: s, card, request, event: ev });
  return { status: 'done' };
}
