import { CATEGORIES, suggestCategory } from '../domain/category';
import { TY } from '../domain/texts';
import type { PersonActor } from './context';
import type { PlainOp } from './run';

/**
 * 日记 [分类] 内容: a 民情日记 entry not tied to a message (docs/rules.md#6 asks ≥ 1 a week). Its
 * category (seed 002 §三.(一)) is the one typed, else the guess from the words; the cadre is told which.
 */
export const diary: PlainOp<{ text: string; category?: number }, PersonActor> = {
  name: 'diary',
  async run(ctx, { text, category }) {
    const cat = category ?? suggestCategory(text);
    await ctx.tx.diary.add({ personId: ctx.actor.person.id, requestId: null, kind: 'free', text, data: { category: cat, guessed: category === undefined }, at: ctx.tx.now });
    await ctx.say(category ? TY.diaryNoted(CATEGORIES[cat]) : TY.diaryNotedGuess(CATEGORIES[cat], cat));
  },
};
