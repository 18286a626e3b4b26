import { CATEGORIES } from '../domain/category';
import { T } from '../domain/texts';
import type { PersonActor } from './context';
import type { RequestOp } from './run';

/** 分类: the cadre sets the category 1–8 (docs/rules.md#6). */
export const setCategory: RequestOp<{ category: number }, PersonActor> = {
  name: 'set_category',
  async run(ctx, req, { category }) {
    await ctx.tx.requests.update(req.id, { category });
    await ctx.tx.event(req.id, 'categorized', `person:${ctx.actor.person.id}`, ctx.via, { category });
    await ctx.say(T.categorySet(req.code, `${category} ${CATEGORIES[category]}`), req.id);
  },
};
