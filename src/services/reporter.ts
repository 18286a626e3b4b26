import { OutboxRow, RequestRow, VillagerRow } from '../db/entities';
import { phoneCard } from '../../cards/content';
import { Tx } from './context';
import { sendCard } from './cards';
import { viewOf } from './requests';

/** 微信客服 lets us answer within 48 h of the villager's last message, at most 5 messages. */
export const KF_WINDOW_MS = 48 * 3600 * 1000;
export const KF_WINDOW_MESSAGES = 5;

/** A villager wrote to us: their reply window opens again. */
export async function noteVillagerWrote(tx: Tx, villager: VillagerRow, at: number): Promise<void> {
  villager.lastInAt = at;
  villager.windowOut = 0;
  await tx.em.getRepository(VillagerRow).update({ id: villager.id }, { lastInAt: at, windowOut: 0 });
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
