import type { InboundCardAction, InboundMessage } from '../platform/types';
import { noteVillagerWrote } from '../operations/shared/reporter';
import type { Tx } from '../operations/tx';
import { cardDoor, Outcome } from './doors/card';
import { textDoor } from './doors/text';
import { resolveActor } from './identity';

export type { Outcome };

/** Where every stored delivery ends up: who it is from, then the door it came through. */
export async function handleEvent(tx: Tx, ev: InboundMessage | InboundCardAction, receivedAt: number): Promise<Outcome> {
  const actor = await resolveActor(tx, ev);
  if (!actor || actor.kind === 'system') return { status: 'ignored', reason: `unknown sender ${ev.platform}:${ev.senderId}` };
  if (ev.type === 'card_action') return cardDoor(tx, actor, ev);
  if (actor.kind === 'villager' && actor.address) await noteVillagerWrote(tx, actor.villager, actor.address, receivedAt);
  return textDoor(tx, actor, ev, receivedAt);
}
