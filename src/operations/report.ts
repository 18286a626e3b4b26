import { newRequestCard } from '../../cards/content';
import type { RequestRow } from '../db/entities';
import { suggestCategory } from '../domain/category';
import { newRequestRecipients } from '../domain/routing';
import { MEDIA_LABELS, T, TP } from '../domain/texts';
import { tierChoiceFor } from '../domain/tier-choice';
import type { MessageType } from '../platform/types';
import type { OpContext, VillagerActor } from './context';
import type { PlainOp } from './run';
import { sendCard } from './shared/cards';
import { villagerLink } from './shared/links';
import { viewOf } from './shared/view';

/** Follow-up messages within this window of the last one are added to the same request. */
export const APPEND_WINDOW_MS = 2 * 60 * 1000;

/** What the villager sent: text, or a photo, voice, location or file. */
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

async function attach(ctx: OpContext<VillagerActor>, req: RequestRow, m: ReportInput): Promise<void> {
  const { tx } = ctx;
  await tx.attachments.add({ requestId: req.id, kind: m.kind, platform: ctx.actor.address?.platform ?? 'none', mediaId: m.mediaId ?? null, meta: { messageId: m.messageId, fileName: m.fileName, location: m.location }, createdAt: tx.now });
  await tx.event(req.id, 'attachment', `villager:${ctx.actor.villager.id}`, ctx.via, { kind: m.kind, mediaId: m.mediaId ?? null });
}

/** 事由 recorded verbatim; the card goes to the day's duty and resident cadres; the villager gets a receipt. */
async function newRequest(ctx: OpContext<VillagerActor>, m: ReportInput, text: string): Promise<RequestRow> {
  const { tx } = ctx;
  const v = ctx.actor.villager;
  const village = tx.dir.village(v.villageId);
  const villageId = village?.active ? village.id : null;
  const from = ctx.actor.address;
  const req = await tx.requests.insert({
    villageId,
    category: m.kind === 'text' ? suggestCategory(text) : null,
    level: villageId ? 'village' : 'township',
    text,
    reporterVillagerId: v.id,
    reporterName: v.name,
    channel: from ? tx.platforms.reach(from).source : 'unknown',
    replyTo: from,
    receivedAt: m.receivedAt,
  });
  // On a day off: the village's duty for that weekday and the township duty (docs/interface.md#year).
  const recipients = newRequestRecipients(tx.dir, villageId, new Date(m.receivedAt), tx.deps.calendar);
  await tx.event(req.id, 'received', `villager:${v.id}`, ctx.via, { text, messageId: m.messageId, recipients: recipients.map((p) => p.id) });
  if (!recipients.length) tx.log.error({ requestId: req.id }, 'no recipients for a new request: the org file has no township office');
  // The 时限 of the 农事村办 matter it is about, preselected (docs/interface.md#year).
  const tiers = tierChoiceFor(text, tx.dir.catalogue());
  await sendCard(tx, req.id, 'new_request', newRequestCard(viewOf(tx, req), tiers.options, tiers.selected), recipients);
  // The receipt carries the villager's own link to the request's page.
  const link = villagerLink(tx, req);
  const withLink = (text: string) => (link ? `${text}\n${TP.receiptLink(link)}` : text);
  if (villageId || v.askedVillage) {
    await ctx.say(withLink(T.receipt(req.code)), req.id);
  } else {
    // Asked once: until they answer, their requests go to the township office.
    await ctx.say(withLink(T.receiptNoVillage(req.code, tx.dir.townshipName)), req.id);
    await tx.villagers.update(v.id, { askedVillage: true });
    v.askedVillage = true;
  }
  return req;
}

/**
 * A villager wrote something that is not a command: a new request (docs/rules.md#1), a follow-up to
 * the last one (within 2 minutes), a photo or voice for it, or — asked once — the name of their village.
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
    if (m.kind !== 'text') {
      const what = MEDIA_LABELS[m.kind] ?? MEDIA_LABELS.other;
      if (open) {
        await attach(ctx, open, m);
        return ctx.say(T.mediaAttached(open.code, what), open.id);
      }
      const req = await newRequest(ctx, m, T.mediaRequestText(what, m.kind === 'location' ? m.location?.label : m.fileName));
      return attach(ctx, req, m);
    }
    if (open && m.receivedAt - open.lastMessageAt <= APPEND_WINDOW_MS) {
      await tx.requests.update(open.id, { lastMessageAt: Math.max(m.receivedAt, open.lastMessageAt) });
      await tx.event(open.id, 'villager_message', `villager:${v.id}`, ctx.via, { text });
      await ctx.say(T.appended(open.code), open.id);
      return tellOwner(ctx, open, T.supplementToOwner(open.code, text));
    }
    await newRequest(ctx, m, text);
  },
};
