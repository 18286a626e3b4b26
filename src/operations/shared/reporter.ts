import { closedCard, phoneCard } from '../../../cards/content';
import type { RequestRow, VillagerRow } from '../../db/entities';
import type { Address } from '../../platform/types';
import { T } from '../../domain/texts';
import type { Tx } from '../tx';
import { closeCards, sendCard } from './cards';
import { viewOf } from './view';

/** Held messages delivered at most per new message, leaving room in the window for the answer to it. */
export const RELEASE_AT_ONCE = 3;

/**
 * A villager wrote to us from `from`: where that address has a reply window (微信客服), it opens
 * again, and what was held for them as 待通知 goes out now (oldest first); the owner's 请电话告知 card
 * is closed once nothing is left to phone about.
 */
export async function noteVillagerWrote(tx: Tx, villager: VillagerRow, from: Address, at: number): Promise<void> {
  const reach = tx.platforms.reach(from);
  if (!reach.window) return;
  await tx.identities.wrote(reach.realm, from.userId, at);
  for (const row of await tx.outbox.heldForVillager(villager.id, RELEASE_AT_ONCE)) {
    const req = await tx.requests.byId(row.requestId!);
    if (!req?.replyTo || !(await tx.outbox.release(row.id))) continue;
    await tx.send(req.replyTo, { kind: 'text', text: String(row.payload.text) }, { requestId: req.id });
    await tx.event(req.id, 'held_released', 'system', null, { text: row.payload.text });
    if (!(await tx.outbox.countHeld(req.id))) await closeCards(tx, req.id, 'phone', T.heldReleasedNote, (c) => closedCard(c, T.heldReleasedNote));
  }
}

/** Whether `to` can take one more message now (its reply window, where it has one, is open). */
async function windowOpen(tx: Tx, to: Address): Promise<boolean> {
  const w = tx.platforms.reach(to);
  if (!w.window) return true;
  const id = await tx.identities.find(w.realm, to.userId);
  return Boolean(id?.lastInAt && tx.now - id.lastInAt <= w.window.ms && id.windowOut < w.window.messages);
}

/**
 * Tells the reporter of `req`. Where the channel can no longer reach them (a reply window has closed,
 * or the matter was taken at the window or by phone), the message is kept as 待通知 and the owner is
 * asked to phone and tap 已电话告知. Returns false when the message was held.
 */
export async function tellReporter(tx: Tx, req: RequestRow, text: string): Promise<boolean> {
  const to = req.replyTo;
  if (!to) {
    await hold(tx, req, text, 'no chat address (taken at the window, by phone or by letter)');
    return false;
  }
  if (req.reporterVillagerId && !(await windowOpen(tx, to))) {
    await hold(tx, req, text, `${tx.platforms.reach(to).source} reply window closed`);
    return false;
  }
  await tx.send(to, { kind: 'text', text }, { requestId: req.id });
  return true;
}

/** 待通知: keep the message, ask the owner (or the township office) to phone the villager. */
async function hold(tx: Tx, req: RequestRow, text: string, why: string): Promise<void> {
  await tx.outbox.hold(
    { platform: req.replyTo?.platform ?? 'none', recipient: req.replyTo?.userId ?? `request:${req.id}`, personId: null, requestId: req.id, payload: { kind: 'text', text, held: why }, why },
    tx.now,
  );
  await tx.event(req.id, 'held_message', 'system', null, { text, why });
  const owner = tx.dir.person(req.ownerId);
  const people = owner ? [owner] : tx.dir.withRole('township_office');
  const phone = req.reporterVillagerId ? ((await tx.villagers.byId(req.reporterVillagerId))?.phone ?? null) : null;
  await sendCard(tx, req.id, 'phone', phoneCard(viewOf(tx, req), text, phone), people);
  tx.log.info({ requestId: req.id, why }, 'message to villager held; owner asked to phone');
}
