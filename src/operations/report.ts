import type { RequestRow } from '../db/entities';
import { MEDIA_LABELS, T, TM, TP } from '../domain/texts';
import type { MessageType } from '../platform/types';
import type { OpContext, VillagerActor } from './context';
import { pendingKey } from './context';
import type { PlainOp } from './run';
import { announceCarried, keepCarried, overCap, MEDIA_PER_VILLAGER_DAY, type Carried } from './shared/attach';
import { registerRequest, SPLIT_PENDING, SPLIT_WINDOW_MS } from './shared/intake';
import { villagerLink } from './shared/links';

/** Follow-up messages within this window of the last one are added to the same request. */
export const APPEND_WINDOW_MS = 2 * 60 * 1000;

/** What the villager sent: text, or a photo, voice (with DingTalk's recognition as `text`), location or file. */
export interface ReportInput {
  kind: MessageType;
  text?: string;
  mediaId?: string;
  location?: { lat: number; lng: number; label?: string };
  fileName?: string;
  messageId: string;
  /** When we received it (ms). */
  receivedAt: number;
}

async function tellOwner(ctx: OpContext, req: RequestRow, text: string): Promise<void> {
  const owner = ctx.tx.dir.person(req.ownerId);
  if (owner) await ctx.tx.tell(owner, text, req.id);
}

/** A new request from the villager, with the receipt `receipt(code)` — or, asked once, the question of their village. */
async function newRequest(ctx: OpContext<VillagerActor>, m: ReportInput, text: string, words: boolean, receipt: (code: string) => string): Promise<RequestRow> {
  const { tx } = ctx;
  const v = ctx.actor.villager;
  const village = tx.dir.village(v.villageId);
  const villageId = village?.active ? village.id : null;
  const req = await registerRequest(tx, { villager: v, villageId, replyTo: ctx.actor.address, text, receivedAt: m.receivedAt, words, actor: `villager:${v.id}`, via: ctx.via, data: { messageId: m.messageId } });
  // The receipt carries the villager's own link to the request's page.
  const link = villagerLink(tx, req);
  const withLink = (text: string) => (link ? `${text}\n${TP.receiptLink(link)}` : text);
  if (villageId || v.askedVillage) {
    await ctx.say(withLink(receipt(req.code)), req.id);
  } else {
    // Asked once: until they answer, their requests go to the township office.
    await ctx.say(withLink(T.receiptNoVillage(req.code, tx.dir.townshipName)), req.id);
    await tx.villagers.update(v.id, { askedVillage: true });
    v.askedVillage = true;
  }
  return req;
}

const carried = (m: ReportInput, heard?: string): Carried => ({ kind: m.kind, mediaId: m.mediaId, location: m.location, fileName: m.fileName, messageId: m.messageId, heard });

/**
 * A photo, file, location or voice without words (docs/interface.md#media): it joins the villager's
 * open request (whose owner, or card holders, hear of it) or becomes a new one whose receipt names it.
 * Past the daily cap it is refused politely and not downloaded.
 */
async function reportMedia(ctx: OpContext<VillagerActor>, m: ReportInput, open: RequestRow | null): Promise<void> {
  const { tx } = ctx;
  const v = ctx.actor.villager;
  const what = MEDIA_LABELS[m.kind] ?? MEDIA_LABELS.other;
  if (!open) {
    const cap = m.mediaId && m.kind !== 'location' ? await overCap(tx, v.id) : { over: false, first: false };
    if (cap.over) {
      tx.log.info({ cap: MEDIA_PER_VILLAGER_DAY }, 'file refused: over the daily cap of its villager; no request made, not downloaded');
      if (cap.first) await ctx.say(TM.capReached(MEDIA_PER_VILLAGER_DAY));
      return;
    }
    const req = await newRequest(ctx, m, T.mediaRequestText(what, m.kind === 'location' ? m.location?.label : m.fileName), false, (code) => TM.mediaReceipt(code, what));
    await keepCarried(tx, req, v, ctx.actor.address, carried(m), ctx.via);
    return;
  }
  const kept = await keepCarried(tx, open, v, ctx.actor.address, carried(m), ctx.via);
  if (kept.capped) {
    if (kept.first) await ctx.say(TM.capReached(MEDIA_PER_VILLAGER_DAY), open.id);
    return;
  }
  await ctx.say(T.mediaAttached(open.code, what), open.id);
  await announceCarried(tx, open, kept.attachment);
}

/**
 * A villager wrote something that is not a command: a new request (docs/rules.md#1), a follow-up to
 * the last one (within 2 minutes, undone by `新问题`), a photo or voice for it, or — asked once — the
 * name of their village. A voice DingTalk recognised reads like the same words typed, the audio attached.
 */
export const report: PlainOp<ReportInput, VillagerActor> = {
  name: 'report',
  async run(ctx, m) {
    const { tx } = ctx;
    const v = ctx.actor.villager;
    const text = (m.text ?? '').trim();
    if (m.kind === 'text' && !v.villageId && v.askedVillage) {
      const village = tx.dir.villageByName(text);
      if (village) {
        await tx.villagers.update(v.id, { villageId: village.id, askedVillage: false });
        return ctx.say(T.villageNoted(village.name));
      }
    }
    const open = await tx.requests.latestUnfinishedOf(v.id);
    const heard = m.kind === 'voice' && text ? text : undefined;
    if (m.kind !== 'text' && !heard) return reportMedia(ctx, m, open);

    if (open && m.receivedAt - open.lastMessageAt <= APPEND_WINDOW_MS) {
      await tx.requests.update(open.id, { lastMessageAt: Math.max(m.receivedAt, open.lastMessageAt) });
      const voice = heard ? await keepCarried(tx, open, v, ctx.actor.address, carried(m, heard), ctx.via) : null;
      await tx.event(open.id, 'villager_message', `villager:${v.id}`, ctx.via, { text, messageId: m.messageId, ...(voice ? { attachmentId: voice.attachment.id } : {}) });
      await tx.pending.expect(pendingKey(ctx.actor), SPLIT_PENDING, open.id, { messageId: m.messageId }, tx.now + SPLIT_WINDOW_MS);
      await ctx.say(TM.appended(open.code, SPLIT_WINDOW_MS / 60_000), open.id);
      if (voice?.capped && voice.first) await ctx.say(TM.capReached(MEDIA_PER_VILLAGER_DAY), open.id);
      return tellOwner(ctx, open, T.supplementToOwner(open.code, text));
    }
    const req = await newRequest(ctx, m, text, true, (code) => (heard ? TM.voiceReceipt(code, heard) : T.receipt(code)));
    if (heard) {
      const voice = await keepCarried(tx, req, v, ctx.actor.address, carried(m, heard), ctx.via);
      if (voice.capped && voice.first) await ctx.say(TM.capReached(MEDIA_PER_VILLAGER_DAY), req.id);
    }
  },
};
