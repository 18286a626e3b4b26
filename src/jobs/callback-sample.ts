import { truncate } from '../../cards/content';
import { assignCallers, sample } from '../domain/callback-sample';
import type { Person } from '../domain/directory';
import { TR, TY } from '../domain/texts';
import { atShanghai, addDays, shanghaiDay } from '../domain/time';
import { mondayOf } from '../domain/worktime';
import { firstWorkdayOfTheWeek } from './days';
import { rangeZh } from './reports/text';
import { Job } from './types';

/**
 * 回访 (docs/interface.md#year) — Monday (or the week's first working day) 09:30: the township office
 * gets a sample of the requests closed the week before (src/domain/callback-sample.ts), each to call
 * back by someone other than its owner, with the villager's name and number; they record what the
 * villager said with `回访 编号 满意|不满意 说明`, and a 不满意 reopens the request. Each request is
 * sampled once.
 */
export const callbackSample: Job = {
  id: 'callback-sample',
  cron: '30 9 * * 1-5',
  description: '周一（或本周第一个工作日）9:30：从上周销号的事项中抽取回访样本，交镇民情处理站（非首问责任人）电话回访',
  day: firstWorkdayOfTheWeek,
  async run(ctx) {
    const { directory: dir, db } = ctx.deps;
    const mon = mondayOf(shanghaiDay(ctx.at));
    const week = { from: atShanghai(addDays(mon, -7), 0).getTime(), to: atShanghai(mon, 0).getTime() };
    const closed = await db.read.requests.closedBetween(week.from, week.to);
    const done = await db.read.reminders.sent(closed.map((r) => `request:${r.id}`));
    const fresh = closed.filter((r) => !done.has(`request:${r.id}|callback_sampled`));
    const picked = sample(fresh, addDays(mon, -7));
    const office = dir.withRole('township_office');
    const callers = (office.length ? office : dir.withRole('leader')).map((p) => p.id);
    const byCaller = new Map<string, string[]>();
    let unassigned = 0;
    for (const { item: r, caller } of assignCallers(picked, callers)) {
      if (!caller) {
        unassigned++;
        continue;
      }
      const villager = r.reporterVillagerId ? await db.read.villagers.byId(r.reporterVillagerId) : null;
      const phone = r.reporterPhone ?? villager?.phone ?? null;
      const who = r.reporterName ?? villager?.name ?? TY.someVillager;
      const line = TY.callbackLine(r.code, dir.village(r.villageId)?.name ?? TR.townshipLevel, truncate(r.text, 20), who, phone, dir.person(r.ownerId)?.name ?? '');
      byCaller.set(caller, [...(byCaller.get(caller) ?? []), line]);
      ctx.write((tx) => tx.reminders.record(`request:${r.id}`, 'callback_sampled', tx.now));
    }
    for (const [id, lines] of byCaller) {
      const p = dir.person(id) as Person;
      ctx.tell(p, [TY.callbackHead(p.name, rangeZh(week), closed.length, lines.length), ...lines, TY.callbackHow].join('\n'));
    }
    return `${closed.length} closed last week, ${picked.length} sampled for 回访 to ${byCaller.size} callers${unassigned ? `, ${unassigned} with nobody but the owner to call` : ''}`;
  },
};
