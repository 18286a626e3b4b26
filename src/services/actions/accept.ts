import { ownerCard, takenCard, takenNote } from '../../../cards/content';
import { forwardTargets } from '../../domain/routing';
import { STATUS_LABELS, T } from '../../domain/texts';
import { closeCards, sendCard } from '../cards';
import { Tx } from '../context';
import { claimOwnership, deadlineText, viewOf } from '../requests';
import { RequestRow } from '../../db/entities';
import type { Person } from '../../domain/directory';
import { ActionContext, CardAction } from './types';

/**
 * After a person became the owner: every recipient's new-request card shows who took it, the owner
 * gets their working card, and the villager learns who owns it and by when.
 */
export async function announceOwner(tx: Tx, req: RequestRow, owner: Person, via: string): Promise<void> {
  const note = takenNote(owner.name);
  await tx.event(req.id, 'accepted', `person:${owner.id}`, via, { owner: owner.id, tier: req.tier, deadline: req.deadline });
  await closeCards(tx, req.id, 'new_request', note, (c) => takenCard(c, owner.name));
  const options = forwardTargets(tx.dir, req.villageId)
    .filter((p) => p.id !== owner.id)
    .map((p) => ({ id: p.id, text: tx.dir.label(p) }));
  await sendCard(tx, req.id, 'owner', ownerCard(viewOf(tx, req), options), [owner]);
  if (req.replyTo) {
    await tx.send(req.replyTo, { kind: 'text', text: T.accepted(req.code, owner.name, owner.phone, deadlineText(req.deadline!)) }, { requestId: req.id });
  }
}

/** Tells someone whose 受理 came too late who was first (or that it is already theirs). */
export async function explainTaken(tx: Tx, person: Person, requestId: number): Promise<void> {
  const fresh = await tx.em.getRepository(RequestRow).findOneByOrFail({ id: requestId });
  const owner = tx.dir.person(fresh.ownerId);
  const text =
    fresh.ownerId === person.id
      ? T.alreadyYours(fresh.code)
      : owner
        ? T.alreadyTakenByOther(fresh.code, owner.name)
        : T.notPending(fresh.code, STATUS_LABELS[fresh.status] ?? fresh.status);
  await tx.tell(person, text, requestId);
}

/** 受理: the first tap wins and makes the tapper the 首问责任人 for the request's whole life. */
export const accept: CardAction = {
  key: 'accept',
  on: ['new_request'],
  async run({ tx, person, request: req, event }: ActionContext) {
    if ((await claimOwnership(tx, req, person.id)) === null) {
      await explainTaken(tx, person, req.id);
      return;
    }
    await announceOwner(tx, req, person, event.platform);
  },
};
