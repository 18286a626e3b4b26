import { newRequestCard } from '../../cards/content';
import { AttachmentRow, RequestRow, VillagerRow } from '../db/entities';
import { newRequestRecipients } from '../domain/routing';
import { TIER_CHOICES } from '../domain/deadline';
import { suggestCategory } from '../domain/category';
import { MEDIA_LABELS, T } from '../domain/texts';
import type { InboundMessage } from '../platform/types';
import { sendCard } from './cards';
import { Tx } from './context';
import { Sender } from './identity';
import { insertRequest, latestOpenRequest, viewOf } from './requests';

/** Follow-up messages within this window of the last one are added to the same request. */
export const APPEND_WINDOW_MS = 2 * 60 * 1000;

export type Outcome = { status: 'done' } | { status: 'ignored'; reason: string };

const reply = (tx: Tx, s: Extract<Sender, { kind: 'villager' }>, text: string, requestId?: number) =>
  tx.send(s.address, { kind: 'text', text }, { requestId });

/** A villager wrote: a new request, a follow-up to the last one, or an answer to our question. */
export async function villagerMessage(tx: Tx, s: Extract<Sender, { kind: 'villager' }>, ev: InboundMessage, receivedAt: number): Promise<Outcome> {
  const v = s.villager;
  const text = (ev.text ?? '').trim();

  if (ev.msgType === 'text' && !text) return { status: 'ignored', reason: 'empty text' };

  // An unlisted villager answering "which village?"
  if (!v.villageId && v.askedVillage && ev.msgType === 'text') {
    const village = tx.dir.villageByName(text);
    if (village) {
      await tx.em.getRepository(VillagerRow).update({ id: v.id }, { villageId: village.id, askedVillage: false });
      await reply(tx, s, T.villageNoted(village.name));
      return { status: 'done' };
    }
  }

  const open = await latestOpenRequest(tx, v.id);
  if (ev.msgType !== 'text') {
    const what = MEDIA_LABELS[ev.msgType] ?? MEDIA_LABELS.other;
    if (open) {
      await attach(tx, open, s, ev);
      await reply(tx, s, T.mediaAttached(open.code, what), open.id);
      return { status: 'done' };
    }
    const detail = ev.msgType === 'location' ? ev.location?.label : ev.fileName;
    const req = await newRequest(tx, s, ev, T.mediaRequestText(what, detail), receivedAt);
    await attach(tx, req, s, ev);
    return { status: 'done' };
  }

  if (open && receivedAt - open.lastMessageAt <= APPEND_WINDOW_MS) {
    await tx.em.getRepository(RequestRow).update({ id: open.id }, { lastMessageAt: Math.max(receivedAt, open.lastMessageAt) });
    await tx.event(open.id, 'villager_message', `villager:${v.id}`, ev.platform, { text });
    await reply(tx, s, T.appended(open.code), open.id);
    await tellOwner(tx, open, `群众补充（${open.code}）：${text}`);
    return { status: 'done' };
  }

  await newRequest(tx, s, ev, text, receivedAt);
  return { status: 'done' };
}

async function tellOwner(tx: Tx, req: RequestRow, text: string): Promise<void> {
  const owner = tx.dir.person(req.ownerId);
  if (owner) await tx.tell(owner, text, req.id);
}

async function attach(tx: Tx, req: RequestRow, s: Extract<Sender, { kind: 'villager' }>, ev: InboundMessage): Promise<void> {
  await tx.em.getRepository(AttachmentRow).insert({
    requestId: req.id,
    kind: ev.msgType,
    platform: ev.platform,
    mediaId: ev.mediaId ?? null,
    meta: { messageId: ev.messageId, fileName: ev.fileName, location: ev.location },
    createdAt: tx.now,
  });
  await tx.event(req.id, 'attachment', `villager:${s.villager.id}`, ev.platform, { kind: ev.msgType, mediaId: ev.mediaId ?? null });
}

/** 事由 recorded verbatim; the card goes to the day's duty and resident cadres; the villager gets a receipt. */
async function newRequest(tx: Tx, s: Extract<Sender, { kind: 'villager' }>, ev: InboundMessage, text: string, receivedAt: number): Promise<RequestRow> {
  const v = s.villager;
  const village = tx.dir.village(v.villageId);
  const villageId = village?.active ? village.id : null;
  const req = await insertRequest(tx, {
    villager: v,
    villageId,
    text,
    channel: ev.channel === 'kf' ? 'kf' : ev.platform,
    replyTo: s.address,
    receivedAt,
    category: ev.msgType === 'text' ? suggestCategory(text) : null,
  });
  const at = new Date(receivedAt);
  const recipients = newRequestRecipients(tx.dir, villageId, at);
  await tx.event(req.id, 'received', `villager:${v.id}`, ev.platform, {
    text,
    messageId: ev.messageId,
    recipients: recipients.map((p) => p.id),
  });
  if (!recipients.length) tx.log.error({ requestId: req.id }, 'no recipients for a new request: the org file has no township office');
  await sendCard(tx, req.id, 'new_request', newRequestCard(viewOf(tx, req), TIER_CHOICES), recipients);

  if (villageId || v.askedVillage) {
    await reply(tx, s, T.receipt(req.code), req.id);
  } else {
    // Asked once: until they answer, their requests go to the township office.
    await reply(tx, s, T.receiptNoVillage(req.code, tx.dir.townshipName), req.id);
    await tx.em.getRepository(VillagerRow).update({ id: v.id }, { askedVillage: true });
    v.askedVillage = true;
  }
  return req;
}
