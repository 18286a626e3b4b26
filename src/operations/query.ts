import { requestLine } from '../domain/format';
import { T } from '../domain/texts';
import type { PersonActor, VillagerActor } from './context';
import type { PlainOp } from './run';

/** 查询 / 查询 编号: a villager sees their own requests, never anyone else's. */
export const query: PlainOp<{ code?: string }, VillagerActor> = {
  name: 'query',
  async run(ctx, { code }) {
    const { tx } = ctx;
    const v = ctx.actor.villager.id;
    const line = (r: Parameters<typeof requestLine>[1]) => requestLine(tx.dir, r);
    if (code) {
      const r = await tx.requests.byCodeOf(code, v);
      return ctx.say(r ? `${line(r)}${r.result ? T.queryResult(r.result) : ''}` : T.noSuchRequest(code));
    }
    const open = await tx.requests.ofVillager(v, { open: true, take: 10 });
    const recent = open.length ? open : await tx.requests.ofVillager(v, { open: false, take: 3 });
    if (!recent.length) return ctx.say(T.noRequests);
    await ctx.say([open.length ? T.queryOpenHead(open.length) : T.queryRecentHead, ...recent.map(line)].join('\n'));
  },
};

export const villagerHelp: PlainOp<unknown, VillagerActor> = { name: 'help', run: (ctx) => ctx.say(T.villagerHelp) };
export const cadreHelp: PlainOp<unknown, PersonActor> = { name: 'help', run: (ctx) => ctx.say(T.cadreHelpFull) };
