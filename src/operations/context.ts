import type { CardRow, RequestRow, VillagerRow } from '../db/entities';
import type { Person } from '../domain/directory';
import { approversFor, responsibleLeaders } from '../domain/responsibility';
import type { PersonStanding, RequestState, Standing, Tapped } from '../domain/rights';
import type { Address } from '../platform/types';
import type { ActorRef, Tx } from './tx';

/** Who runs an operation: a person of the directory, a villager, or the system itself (a job). */
export type Actor =
  | { kind: 'person'; person: Person; address: Address | null }
  | { kind: 'villager'; villager: VillagerRow; address: Address | null; isNew?: boolean }
  | { kind: 'system' };

export type PersonActor = Extract<Actor, { kind: 'person' }>;
export type VillagerActor = Extract<Actor, { kind: 'villager' }>;

/**
 * One operation's context, whichever door it came through (a card tap, a text command, the reply to
 * a question, a page): who, the transaction, the channel for the timeline, and how to answer them.
 */
export interface OpContext<A extends Actor = Actor> {
  tx: Tx;
  actor: A;
  /** The channel it came through, for the timeline (wecom, dingtalk, sandbox, h5, visit …). */
  via: string | null;
  /** Answer the actor (in chat, or on the page they acted on). */
  say(text: string, requestId?: number): Promise<void>;
  /** The card that was tapped, when the door is a card. */
  card?: CardRow;
  /**
   * How a question is asked (`ask` in run.ts) when the door has its own way: a page shows it beside
   * the form, and nothing waits for a reply in chat. Absent: the next chat message answers it.
   */
  asks?: (kind: string, requestId: number, question: string | null) => Promise<void>;
}

export function actorRef(a: Actor): ActorRef {
  return a.kind === 'person' ? `person:${a.person.id}` : a.kind === 'villager' ? `villager:${a.villager.id}` : 'system';
}

/** The key under which an actor's open question is kept. */
export const pendingKey = (a: Actor) => actorRef(a);

/** What the rules see of a request. */
export function stateOf(r: RequestRow): RequestState {
  return { code: r.code, status: r.status, tier: r.tier, ownerId: r.ownerId, level: r.level, villageId: r.villageId, reporterVillagerId: r.reporterVillagerId, mergedInto: r.mergedInto, refusal: r.refusal };
}

/** A card's recipient id for the actor: a person id, or `villager:<id>` (see shared/cards.ts `CardTarget`). */
const recipientId = (a: Actor) => (a.kind === 'person' ? a.person.id : a.kind === 'villager' ? `villager:${a.villager.id}` : null);

/** Whether the actor is one of the recipients of the card they tapped. */
async function tappedOf(tx: Tx, card: CardRow, actor: Actor): Promise<Tapped> {
  const me = recipientId(actor);
  return { isRecipient: me !== null && (await tx.cards.recipients(card.id)).some((r) => r.personId === me) };
}

/**
 * How the actor stands to the request, read from the directory and the database — and, when the
 * door is a card, to that card (src/domain/rights.ts `Tapped`).
 */
export async function standingOf(tx: Tx, req: RequestRow, actor: Actor, card?: CardRow): Promise<Standing> {
  const tapped = card ? await tappedOf(tx, card, actor) : undefined;
  if (actor.kind === 'villager') return { kind: 'villager', id: actor.villager.id, ...(tapped ? { tapped } : {}) };
  if (actor.kind === 'system') return { kind: 'system' };
  const id = actor.person.id;
  const s: PersonStanding = {
    kind: 'person',
    id,
    roles: actor.person.roles,
    isOwner: req.ownerId === id,
    isHandler: await tx.handlers.has(req.id, id),
    isRecipient: await tx.cards.isRecipient(req.id, id),
    isResponsibleLeader: responsibleLeaders(tx.dir, req).some((p) => p.id === id),
    isApprover: req.status === 'rejection_pending' && approversFor(tx.dir, req, req.refusal?.by ?? '').some((p) => p.id === id),
    isSupervisee: (await tx.supervisions.openFor(req.id, id)) !== null,
    ownerLeft: req.ownerId !== null && !tx.dir.person(req.ownerId)?.active,
    ...(tapped ? { tapped } : {}),
  };
  return s;
}

/** A chat door's context: answers go to the address the actor wrote from. */
export function chatContext<A extends Actor>(tx: Tx, actor: A, via: string | null, card?: CardRow): OpContext<A> {
  const address = actor.kind === 'system' ? null : actor.address;
  return { tx, actor, via, card, say: (text, requestId) => tx.send(address, { kind: 'text', text }, { requestId }) };
}
