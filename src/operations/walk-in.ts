import type { RequestRow, VillagerRow } from '../db/entities';
import { suggestCategory } from '../domain/category';
import type { Person } from '../domain/directory';
import { T } from '../domain/texts';
import type { Address } from '../platform/types';
import type { PersonActor } from './context';
import type { PlainOp } from './run';
import { announceOwner, claimOwnership } from './shared/ownership';
import { deadlineText } from './shared/view';
import type { Tx } from './tx';

export interface WalkInRecord {
  text: string;
  channel: string;
  reporterName?: string | null;
  /** 来电人电话 and 单位 (seed 003 §十.1.6: a phone enquiry records 姓名、单位、联系方式). */
  reporterPhone?: string | null;
  reporterOrg?: string | null;
  villageId: string | null;
  receivedAt: number;
  category?: number;
  tier?: string;
}

/**
 * The listed villager a 补录 is about (docs/interface.md#year): the one with that phone number, else
 * the one with that name in that village — when exactly one matches — and where a message reaches
 * them unprompted.
 */
async function linkedVillager(tx: Tx, input: WalkInRecord): Promise<{ villager: VillagerRow; address: Address | null } | null> {
  const found = await tx.villagers.matching({ phone: input.reporterPhone, name: input.reporterName, villageId: input.villageId });
  if (found.length !== 1) return null;
  const ids = await tx.identities.ofVillagers([found[0].id]);
  const address = ids.map((i) => tx.platforms.address(i.realm, i.userId)).find((a): a is Address => a !== null) ?? null;
  return { villager: found[0], address };
}

/**
 * 补录 (docs/interface.md#api): a matter taken at the window, by phone, by letter or on the Tuesday
 * desk — the request, its 首问责任人 from the start, and the owner's card. When the 反映人 is a listed
 * villager (by phone, or name in the village) the request is theirs: the receipt with the owner and
 * deadline reaches them in chat, and so will the result with 满意 / 不满意. From there the same rules
 * apply (deadline from the day received; without a chat, at 办结 the owner records the villager's answer).
 */
export async function recordWalkIn(tx: Tx, input: WalkInRecord, owner: Person): Promise<RequestRow> {
  const link = await linkedVillager(tx, input);
  const req = await tx.requests.insert({
    villageId: input.villageId,
    category: input.category ?? suggestCategory(input.text),
    level: input.villageId ? 'village' : 'township',
    text: input.text,
    reporterVillagerId: link?.villager.id ?? null,
    reporterName: input.reporterName ?? link?.villager.name ?? null,
    reporterPhone: input.reporterPhone ?? null,
    reporterOrg: input.reporterOrg ?? null,
    channel: input.channel,
    replyTo: link?.address ?? null,
    receivedAt: input.receivedAt,
  });
  await tx.event(req.id, 'received', `person:${owner.id}`, input.channel, { text: input.text, recordedBy: owner.id, walkIn: true, ...(link ? { villager: link.villager.id } : {}) });
  if (!(await claimOwnership(tx, req, owner.id, input.tier))) throw new Error('a new walk-in request could not be claimed');
  await announceOwner(tx, req, owner, input.channel, { tellVillager: Boolean(req.replyTo) });
  return req;
}

/** 补录 反映人[（单位）] [电话] 内容: typed by the cadre who took it, for the village they serve. */
export const walkIn: PlainOp<{ reporter: string; text: string; phone?: string; org?: string }, PersonActor> = {
  name: 'walk_in',
  async run(ctx, { reporter, text, phone, org }) {
    const me = ctx.actor.person;
    const village = ctx.tx.dir.activeVillages().find((v) => v.residentIds.includes(me.id) || v.cadreIds.includes(me.id));
    const req = await recordWalkIn(ctx.tx, { text, channel: 'visit', reporterName: reporter, reporterPhone: phone ?? null, reporterOrg: org ?? null, villageId: village?.id ?? null, receivedAt: ctx.tx.now }, me);
    await ctx.say(T.walkInRecorded(req.code, deadlineText(req.deadline!)), req.id);
  },
};
