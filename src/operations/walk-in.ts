import type { RequestRow } from '../db/entities';
import { suggestCategory } from '../domain/category';
import type { Person } from '../domain/directory';
import { T } from '../domain/texts';
import type { PersonActor } from './context';
import type { PlainOp } from './run';
import { announceOwner, claimOwnership } from './shared/ownership';
import { deadlineText } from './shared/view';
import type { Tx } from './tx';

export interface WalkInRecord {
  text: string;
  channel: string;
  reporterName?: string | null;
  villageId: string | null;
  receivedAt: number;
  category?: number;
  tier?: string;
}

/**
 * 补录 (docs/interface.md#api): a matter taken at the window, by phone, by letter or on the Tuesday
 * desk — the request, its 首问责任人 from the start, and the owner's card. From there the same rules
 * apply (deadline from the day received; at 办结 the owner records the villager's answer in person).
 */
export async function recordWalkIn(tx: Tx, input: WalkInRecord, owner: Person): Promise<RequestRow> {
  const req = await tx.requests.insert({
    villageId: input.villageId,
    category: input.category ?? suggestCategory(input.text),
    level: input.villageId ? 'village' : 'township',
    text: input.text,
    reporterVillagerId: null,
    reporterName: input.reporterName ?? null,
    channel: input.channel,
    replyTo: null,
    receivedAt: input.receivedAt,
  });
  await tx.event(req.id, 'received', `person:${owner.id}`, input.channel, { text: input.text, recordedBy: owner.id, walkIn: true });
  if (!(await claimOwnership(tx, req, owner.id, input.tier))) throw new Error('a new walk-in request could not be claimed');
  await announceOwner(tx, req, owner, input.channel, { tellVillager: false });
  return req;
}

/** 补录 反映人 内容: typed by the cadre who took it, for the village they serve. */
export const walkIn: PlainOp<{ reporter: string; text: string }, PersonActor> = {
  name: 'walk_in',
  async run(ctx, { reporter, text }) {
    const me = ctx.actor.person;
    const village = ctx.tx.dir.activeVillages().find((v) => v.residentIds.includes(me.id) || v.cadreIds.includes(me.id));
    const req = await recordWalkIn(ctx.tx, { text, channel: 'visit', reporterName: reporter, villageId: village?.id ?? null, receivedAt: ctx.tx.now }, me);
    await ctx.say(T.walkInRecorded(req.code, deadlineText(req.deadline!)), req.id);
  },
};
