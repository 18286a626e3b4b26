import { villageOf } from '../domain/households';
import { TY } from '../domain/texts';
import type { PersonActor } from './context';
import type { PlainOp } from './run';

/**
 * 户主会 村 内容: a 户主会 held in a village (seed 000 §五: each resident cadre once a quarter,
 * docs/interface.md#year). Recorded in the diary of whoever held it, with the village; the visit duties
 * (src/domain/visits.ts) count it for that village's resident cadres.
 */
export const headsMeeting: PlainOp<{ village: string; text: string }, PersonActor> = {
  name: 'heads_meeting',
  async run(ctx, { village, text }) {
    const { tx } = ctx;
    const v = villageOf(tx.dir.activeVillages(), village);
    if (!v) return ctx.say(TY.noSuchVillage(village));
    await tx.diary.add({ personId: ctx.actor.person.id, requestId: null, kind: 'meeting', text, data: { villageId: v.id }, at: tx.now });
    await ctx.say(TY.meetingNoted(v.name));
  },
};
