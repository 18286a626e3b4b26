import { ownerCard, takenCard, takenNote } from '../../../cards/content';
import { RequestRow } from '../../db/entities';
import type { Person } from '../../domain/directory';
import { forwardTargets } from '../../domain/routing';
import { STATUS_LABELS, T } from '../../domain/texts';
import { allowed, requestOrSay } from '../access';
import { closeCards, sendCard } from '../cards';
import { Tx } from '../context';
import { tellReporter } from '../reporter';
import { claimOwnership, deadlineText, viewOf } from '../requests';
import { CardAction, CommandHandler, PersonSender, say } from './types';

export const targetOptions = (tx: Tx, req: RequestRow, except: string[]) =>
  forwardTargets(tx.dir, req.villageId)
    .filter((p) => !except.includes(p.id))
    .map((p) => ({ id: p.id, text: tx.dir.label(p) }));

/**
 * After a person became the owner: every recipient's new-request card shows who took it, the owner
 * gets their working card, and the villager learns who owns it and by when.
 */
export async function announceOwner(tx: Tx, req: RequestRow, owner: Person, via: string, o: { tellVillager?: boolean } = {}): Promise<void> {
  await tx.event(req.id, 'accepted', `person:${owner.id}`, via, { owner: owner.id, tier: req.tier, deadline: req.deadline });
  await closeCards(tx, req.id, 'new_request', takenNote(owner.name), (c) => takenCard(c, owner.name));
  await sendCard(tx, req.id, 'owner', ownerCard(viewOf(tx, req), targetOptions(tx, req, [owner.id])), [owner]);
  if (o.tellVillager !== false) await tellReporter(tx, req, T.accepted(req.code, owner.name, owner.phone, deadlineText(req.deadline!)));
}

/** Tells someone whose 受理 came too late who was first (or that it is already theirs). */
export async function explainTaken(tx: Tx, s: PersonSender, requestId: number): Promise<void> {
  const fresh = await tx.em.getRepository(RequestRow).findOneByOrFail({ id: requestId });
  const owner = tx.dir.person(fresh.ownerId);
  const text =
    fresh.ownerId === s.person.id
      ? T.alreadyYours(fresh.code)
      : owner
        ? T.alreadyTakenByOther(fresh.code, owner.name)
        : T.notPending(fresh.code, STATUS_LABELS[fresh.status] ?? fresh.status);
  await say(tx, s, text, requestId);
}

/**
 * 受理: the first tap wins and makes the tapper the 首问责任人 for the request's whole life.
 * Returns false (having told the person why) when it did not happen.
 */
export async function takeOwnership(tx: Tx, s: PersonSender, req: RequestRow, tierChoice: string | undefined, via: string): Promise<boolean> {
  if (req.status !== 'pending' || req.ownerId) {
    await explainTaken(tx, s, req.id);
    return false;
  }
  if (!(await allowed(tx, 'accept', req, s))) return false;
  if (!(await claimOwnership(tx, req, s.person.id, tierChoice))) {
    await explainTaken(tx, s, req.id);
    return false;
  }
  await announceOwner(tx, req, s.person, via);
  return true;
}

export const acceptAction: CardAction = {
  key: 'accept',
  on: ['new_request'],
  async run({ tx, sender, request, event }) {
    if (sender.kind !== 'person') return say(tx, sender, T.notAllowed);
    await takeOwnership(tx, sender, request, event.selected?.tier?.[0], event.platform);
  },
};

export const acceptCommand: CommandHandler = {
  name: 'accept',
  who: 'person',
  async run(tx, sender, cmd) {
    if (cmd.name !== 'accept' || sender.kind !== 'person') return;
    const req = await requestOrSay(tx, sender, cmd.code);
    if (!req) return;
    await takeOwnership(tx, sender, req, undefined, sender.address.platform);
  },
};
