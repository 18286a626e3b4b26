import { T } from '../domain/texts';
import type { PersonActor } from './context';
import type { PlainOp } from './run';

/** 日记: a 民情日记 entry not tied to a message (docs/rules.md#6 asks ≥ 1 a week). */
export const diary: PlainOp<{ text: string }, PersonActor> = {
  name: 'diary',
  async run(ctx, { text }) {
    await ctx.tx.diary.add({ personId: ctx.actor.person.id, requestId: null, kind: 'free', text, data: null, at: ctx.tx.now });
    await ctx.say(T.diaryNoted);
  },
};

/** 走访 户名 情况: a household visit, in the diary (docs/rules.md#11). */
export const visit: PlainOp<{ household: string; text: string }, PersonActor> = {
  name: 'visit',
  async run(ctx, { household, text }) {
    await ctx.tx.diary.add({ personId: ctx.actor.person.id, requestId: null, kind: 'visit', text, data: { household }, at: ctx.tx.now });
    await ctx.say(T.visitNoted(household));
  },
};
