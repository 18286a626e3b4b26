import { closedCard, handoverCard, ownerCard } from '../../cards/content';
import type { RequestRow } from '../db/entities';
import type { Person } from '../domain/directory';
import { TY } from '../domain/texts';
import type { PersonActor } from './context';
import { RequestOp, sayOvertaken } from './run';
import { closeCards, sendCard } from './shared/cards';
import { tellReporter } from './shared/reporter';
import { targetOptions, viewOf } from './shared/view';
import type { Tx } from './tx';

/** The statuses in which a request still has an owner who must answer for it. */
const IN_HAND = ['accepted', 'rejection_pending', 'resolved'] as const;

/**
 * Who chooses the new owner of a request whose owner left (docs/interface.md#year): the secretary of
 * its village, or — when the one who left is that secretary, or the request has no village — the
 * township leaders.
 */
export function handoverDeciders(tx: Tx, req: RequestRow): Person[] {
  const sec = tx.dir.person(tx.dir.village(req.villageId)?.secretaryId);
  if (sec?.active && sec.id !== req.ownerId) return [sec];
  return tx.dir.withRole('leader');
}

/**
 * Every request still owned by someone who has left gets its 交接 card — once: a request whose card is
 * open is left alone. Run whenever the directory is (re)loaded (src/main.ts), so an import's
 * deactivations, and any left over from before, reach the deciders. The timeline records it.
 * Every instance reloads after an import: the lock row makes them offer one after the other, so the
 * second finds the cards the first opened and sends none.
 */
export async function offerHandovers(tx: Tx): Promise<number> {
  await tx.kv.lock('lock.handover', tx.now);
  const gone = tx.dir.inactivePeople().map((p) => p.id);
  let offered = 0;
  for (const req of await tx.requests.openOwnedBy(gone)) {
    if (await tx.cards.existsOpen(req.id, 'handover')) continue;
    const leaver = tx.dir.person(req.ownerId)!;
    const to = handoverDeciders(tx, req);
    if (!to.length) {
      tx.log.error({ requestId: req.id, owner: leaver.id }, 'owner left and nobody can choose a successor: no village secretary, no leader');
      continue;
    }
    await tx.event(req.id, 'owner_left', 'system', null, { owner: leaver.id, deciders: to.map((p) => p.id) });
    await sendCard(tx, req.id, 'handover', handoverCard(viewOf(tx, req), leaver.name, targetOptions(tx, req, [leaver.id])), to);
    offered++;
  }
  return offered;
}

/** The person meant by a name or id typed or picked (active only). */
function personOf(tx: Tx, text: string): Person | undefined {
  return tx.dir.activePeople().find((p) => p.id === text) ?? tx.dir.activePeople().find((p) => p.name === text);
}

/**
 * 交接 (the card's button, or `交接 编号 姓名`): the request passes to the person chosen. The old owner's
 * events stay on the timeline; a `handover` event names both; the new owner gets the owner's card,
 * the villager hears who answers for it now.
 */
export const handover: RequestOp<{ to?: string }, PersonActor> = {
  name: 'handover',
  async run(ctx, req, { to }) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    if (!to) return ctx.say(TY.handoverNeedsTarget);
    const target = personOf(tx, to);
    if (!target) return ctx.say(TY.handoverNoSuchPerson(to));
    const from = tx.dir.person(req.ownerId)!;
    if (!(await tx.requests.transition(req, IN_HAND, { ownerId: target.id }, { owner: from.id }))) return sayOvertaken(ctx, 'handover', req);
    await tx.event(req.id, 'handover', `person:${me.id}`, ctx.via, { from: from.id, to: target.id });
    const note = TY.handedOverNote(from.name, target.name);
    for (const kind of ['handover', 'owner'] as const) await closeCards(tx, req.id, kind, note, (c) => closedCard(c, note));
    if (req.status === 'accepted') await sendCard(tx, req.id, 'owner', ownerCard(viewOf(tx, req), targetOptions(tx, req, [target.id])), [target]);
    if (target.id !== me.id) await tx.tell(target, TY.handedOverToYou(req.code, from.name, me.name), req.id);
    await tellReporter(tx, req, TY.handoverToVillager(req.code, target.name, target.phone));
    await ctx.say(TY.handoverDone(req.code, from.name, target.name), req.id);
  },
};
