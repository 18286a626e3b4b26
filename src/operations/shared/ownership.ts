import { ownerCard, takenCard, takenNote } from '../../../cards/content';
import type { RequestRow } from '../../db/entities';
import { computeDeadline, resolveTierChoice } from '../../domain/deadline';
import type { Person } from '../../domain/directory';
import { defaultTier } from '../../domain/tier-choice';
import { SAME_DAY_TIERS, sameDayAnswerBy } from '../../domain/same-day';
import { T, TY } from '../../domain/texts';
import type { Tx } from '../tx';
import { closeCards, sendCard } from './cards';
import { tellReporter } from './reporter';
import { deadlineText, targetOptions, viewOf } from './view';

/**
 * 首问: make `personId` the owner if nobody is yet — one conditional UPDATE, so under concurrent
 * taps exactly one wins. The deadline follows the tier chosen on the card (docs/interface.md#deadlines);
 * without a choice, the default of the 农事村办 matter the text is about (docs/interface.md#year).
 * Returns false when someone (or something) was first.
 */
export async function claimOwnership(tx: Tx, req: RequestRow, personId: string, tierChoice?: string): Promise<boolean> {
  const choice = tierChoice ?? defaultTier(req.text, tx.dir.catalogue());
  const { tier, promised } = resolveTierChoice(tx.deps.calendar, choice, new Date(req.receivedAt));
  const deadline = computeDeadline(tx.deps.calendar, tier, new Date(req.receivedAt), promised).getTime();
  return tx.requests.transition(req, ['pending'], { status: 'accepted', ownerId: personId, acceptedAt: tx.now, deadline, tier }, { unowned: true });
}

/**
 * After a person became the owner: every recipient's new-request card shows who took it, the owner
 * gets their working card, and the villager learns who owns it and by when.
 */
export async function announceOwner(tx: Tx, req: RequestRow, owner: Person, via: string | null, o: { tellVillager?: boolean } = {}): Promise<void> {
  await tx.event(req.id, 'accepted', `person:${owner.id}`, via, { owner: owner.id, tier: req.tier, deadline: req.deadline });
  await closeCards(tx, req.id, 'new_request', takenNote(owner.name), (c) => takenCard(c, owner.name));
  await sendCard(tx, req.id, 'owner', ownerCard(viewOf(tx, req), targetOptions(tx, req, [owner.id])), [owner]);
  if (o.tellVillager !== false) await tellReporter(tx, req, T.accepted(req.code, owner.name, owner.phone, deadlineText(req.deadline!)));
  // 当日回复 (docs/interface.md#year): a complaint that can be solved is answered the same day.
  if (SAME_DAY_TIERS.includes(req.tier)) await tx.tell(owner, TY.sameDayAsk(req.code, deadlineText(sameDayAnswerBy(tx.deps.calendar, req.acceptedAt ?? tx.now))), req.id);
}
