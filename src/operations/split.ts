import type { RequestEventRow, RequestRow } from '../db/entities';
import { TM } from '../domain/texts';
import { actorRef, pendingKey, type OpContext, type PersonActor, type VillagerActor } from './context';
import type { RequestOp } from './run';
import { registerRequest, SPLIT_PENDING } from './shared/intake';
import { tellReporter } from './shared/reporter';

/** The last message added to `req` that has not been split off yet, or null. */
async function lastAppended(ctx: OpContext, req: RequestRow): Promise<RequestEventRow | null> {
  const events = await ctx.tx.events.ofRequests([req.id]);
  const split = new Set(events.filter((e) => e.type === 'split_out').map((e) => Number(e.data.eventId)));
  const appended = events.filter((e) => e.type === 'villager_message' && typeof e.data.text === 'string' && e.data.text.trim());
  const last = appended.at(-1);
  return last && !split.has(last.id) ? last : null;
}

/**
 * The last message added to `req` becomes its own request (docs/interface.md#text-commands): a new code,
 * its own new-request card (and duplicate check), the audio of a voice moved with it; both timelines
 * name the other (`split_out` on the old, `split_from` on the new). Returns the new request, or null.
 */
async function splitLast(ctx: OpContext, req: RequestRow): Promise<RequestRow | null> {
  const { tx } = ctx;
  const ev = await lastAppended(ctx, req);
  const villager = req.reporterVillagerId ? await tx.villagers.byId(req.reporterVillagerId) : null;
  if (!ev || !villager) return null;
  const text = String(ev.data.text);
  const fresh = await registerRequest(tx, {
    villager,
    villageId: req.villageId,
    replyTo: req.replyTo,
    text,
    receivedAt: ev.at,
    words: true,
    actor: actorRef(ctx.actor),
    via: ctx.via,
    data: { messageId: ev.data.messageId, splitFrom: req.code },
  });
  const attachmentId = Number(ev.data.attachmentId);
  if (attachmentId) await tx.media.moveTo(attachmentId, fresh.id);
  await tx.event(req.id, 'split_out', actorRef(ctx.actor), ctx.via, { to: fresh.code, eventId: ev.id, text });
  await tx.event(fresh.id, 'split_from', actorRef(ctx.actor), ctx.via, { from: req.code, eventId: ev.id });
  tx.log.info({ requestId: req.id, newRequestId: fresh.id }, 'appended message split off into its own request');
  return fresh;
}

/**
 * The villager's `新问题` right after a message was added to their request: that message is another
 * matter. Only while the question the append left open (10 minutes, and no other message since) stands.
 */
export const splitOff: RequestOp<object, VillagerActor> = {
  name: 'split_off',
  async find(ctx) {
    const { tx } = ctx;
    const asked = await tx.pending.take(pendingKey(ctx.actor), tx.now);
    if (!asked) return null;
    if (asked.kind !== SPLIT_PENDING || !asked.requestId) {
      // Another question is open (a reason, a date…): it stays open.
      await tx.pending.expect(asked.actor, asked.kind, asked.requestId ?? 0, asked.data ?? {}, asked.expiresAt);
      return null;
    }
    return tx.requests.byId(asked.requestId);
  },
  notFound: () => TM.nothingToSplit,
  async run(ctx, req) {
    const fresh = await splitLast(ctx, req);
    if (!fresh) return ctx.say(TM.nothingToSplit, req.id);
    await ctx.say(TM.splitDone(fresh.code, req.code), fresh.id);
    const owner = ctx.tx.dir.person(req.ownerId);
    if (owner) await ctx.tx.tell(owner, TM.splitToOwner(req.code, fresh.code, fresh.text), req.id);
  },
};

/** The owner's (or, while untaken, a card holder's) `拆分 编号`: the last message added to it is its own matter. */
export const split: RequestOp<object, PersonActor> = {
  name: 'split',
  async run(ctx, req) {
    const fresh = await splitLast(ctx, req);
    if (!fresh) return ctx.say(TM.splitNothing(req.code), req.id);
    await ctx.say(TM.splitByCadre(req.code, fresh.code), req.id);
    await tellReporter(ctx.tx, fresh, TM.splitToVillager(req.code, fresh.code));
  },
};
