import { RequestRow } from '../db/entities';
import { T } from '../domain/texts';
import type { InboundCardAction, InboundMessage } from '../platform/types';
import { ACTIONS } from './actions';
import { cardByTaskId, cardRecipients, noteResponseCode } from './cards';
import { Tx } from './context';
import { resolveSender, Sender } from './identity';
import { Outcome, villagerMessage } from './intake';

/** Where every stored delivery ends up: a message or a tap, turned into the rules' decisions. */
export async function handleEvent(tx: Tx, ev: InboundMessage | InboundCardAction, receivedAt: number): Promise<Outcome> {
  const sender = await resolveSender(tx, ev);
  if (!sender) return { status: 'ignored', reason: `unknown sender ${ev.platform}:${ev.senderId}` };
  if (ev.type === 'message') {
    return sender.kind === 'person' ? personMessage(tx, sender, ev) : villagerMessage(tx, sender, ev, receivedAt);
  }
  return cardAction(tx, sender, ev);
}

/** A cadre or leader wrote free text: they get help, not a request. */
async function personMessage(tx: Tx, s: Extract<Sender, { kind: 'person' }>, ev: InboundMessage): Promise<Outcome> {
  await tx.send(s.address, { kind: 'text', text: T.cadreHelp(s.person.name) }, { personId: s.person.id });
  tx.log.debug({ personId: s.person.id, msgType: ev.msgType }, 'person message answered with help');
  return { status: 'done' };
}

async function cardAction(tx: Tx, s: Sender, ev: InboundCardAction): Promise<Outcome> {
  const replyTo = (text: string) => tx.send(s.address, { kind: 'text', text });
  const card = await cardByTaskId(tx, ev.taskId);
  if (!card) {
    await replyTo(T.unknownCard);
    return { status: 'ignored', reason: `unknown card ${ev.taskId}` };
  }
  await noteResponseCode(tx, card, ev.responseCode);
  const action = ACTIONS[ev.action];
  if (!action || !action.on.includes(card.kind)) {
    await replyTo(T.unknownAction);
    return { status: 'ignored', reason: `action ${ev.action} not valid on a ${card.kind} card` };
  }
  const recipients = await cardRecipients(tx, card.id);
  if (s.kind !== 'person' || !recipients.some((r) => r.personId === s.person.id)) {
    await replyTo(T.notAllowed);
    return { status: 'ignored', reason: 'tap by someone who is not a recipient of the card' };
  }
  const request = await tx.em.getRepository(RequestRow).findOneByOrFail({ id: card.requestId });
  await action.run({ tx, person: s.person, card, request, event: ev });
  return { status: 'done' };
}
