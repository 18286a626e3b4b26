import { OutboxRow, RequestRow, VillagerRow } from '../db/entities';
import { closedCard, phoneCard } from '../../cards/content';
import { Tx } from './context';
import { closeCards, sendCard } from './cards';
import { viewOf } from './requests';

/** 微信客服 lets us answer within 48 h of the villager's last message, at most 5 messages. */
export const KF_WINDOW_MS = 48 * 3600 * 1000;
export const KF_WINDOW_MESSAGES = 5;

/** Held messages delivered at most per new message, leaving room in the window for the answer to it. */
export const RELEASE_AT_ONCE = 3;

/**
 * A villager wrote to us: their reply window opens again, and what was held for them as 待通知 goes
 * out now (oldest first); the owner's 请电话告知 card is closed, since there is nothing left to phone about.
 */
export async function noteVillagerWrote(tx: Tx, villager: VillagerRow, at: number): Promise<void> {
  villager.lastInAt = at;
  villager.windowOut = 0;
  await tx.em.getRepository(VillagerRow).update({ id: villager.id }, { lastInAt: at, windowOut: 0 });
  if (!villager.kfExternalId) return;
  const held = await tx.em
    .getRepository(OutboxRow)
    .createQueryBuilder('o')
    .innerJoin(RequestRow, 'r', 'r.id = o.request_id')
    .where("o.status = 'held' AND r.reporter_villager_id = :v", { v: villager.id })
    .orderBy('o.id', 'ASC')
    .limit(RELEASE_AT_ONCE)
    .getMany();
  for (const row of held) {
    const req = await tx.em.getRepository(RequestRow).findOneBy({ id: row.requestId! });
    if (!req?.replyTo) continue;
    await tx.em.getRepository(OutboxRow).update({ id: row.id, status: 'held' }, { status: 'released' });
    await tx.send(req.replyTo, { kind: 'text', text: String(row.payload.text) }, { requestId: req.id });
    await tx.event(req.id, 'held_released', 'system', null, { text: row.payload.text });
    const left = await tx.em.getRepository(OutboxRow).countBy({ requestId: req.id, status: 'held' });
    if (!left) await closeCards(tx, req.id, 'phone', '群众已重新联系，消息已补发', (c) => closedCard(c, '群众已重新联系，消息已补发'));
  }
}

/**
 * Tells the reporter of `req`. Where the channel can no longer reach them (微信客服's window has
 * closed, or the matter was taken at the window or by phone), the message is kept as 待通知 and the
 * owner is asked to phone and tap 已电话告知. Returns false when the message was held.
 */
export async function tellReporter(tx: Tx, req: RequestRow, text: string): Promise<boolean> {
  const to = req.replyTo;
  if (to && to.channel === 'kf' && req.reporterVillagerId) {
    const v = await tx.em.getRepository(VillagerRow).findOneBy({ id: req.reporterVillagerId });
    const open = v?.lastInAt && tx.now - v.lastInAt <= KF_WINDOW_MS && v.windowOut < KF_WINDOW_MESSAGES;
    if (v && open) {
      await tx.send(to, { kind: 'text', text }, { requestId: req.id }); // counted by Tx.send
      return true;
    }
    await hold(tx, req, text, 'kf reply window closed');
    return false;
  }
  if (!to) {
    await hold(tx, req, text, 'no chat address (taken at the window, by phone or by letter)');
    return false;
  }
  await tx.send(to, { kind: 'text', text }, { requestId: req.id });
  return true;
}

/** 待通知: keep the message, ask the owner (or the township office) to phone the villager. */
async function hold(tx: Tx, req: RequestRow, text: string, why: string): Promise<void> {
  const repo = tx.em.getRepository(OutboxRow);
  await repo.save(
    repo.create({
      platform: req.replyTo?.platform ?? 'none',
      kind: 'text',
      recipient: req.replyTo?.userId ?? `request:${req.id}`,
      personId: null,
      requestId: req.id,
      payload: { kind: 'text', text, held: why },
      status: 'held',
      attempts: 0,
      nextAttemptAt: tx.now,
      lockedUntil: null,
      lastError: why,
      result: null,
      createdAt: tx.now,
      sentAt: null,
    }),
  );
  await tx.event(req.id, 'held_message', 'system', null, { text, why });
  const owner = tx.dir.person(req.ownerId);
  const people = owner ? [owner] : tx.dir.withRole('township_office');
  const phone = req.reporterVillagerId ? (await tx.em.getRepository(VillagerRow).findOneBy({ id: req.reporterVillagerId }))?.phone ?? null : null;
  await sendCard(tx, req.id, 'phone', phoneCard(viewOf(tx, req), text, phone), people);
  tx.log.info({ requestId: req.id, why }, 'message to villager held; owner asked to phone');
}
