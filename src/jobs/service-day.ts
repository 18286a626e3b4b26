import type { Directory } from '../domain/directory';
import { listBlock, requestLine } from '../domain/format';
import { TJ } from '../domain/texts';
import { addDays, atShanghai, shanghaiDay, weekdayOfDay } from '../domain/time';
import { mondayOf } from '../domain/worktime';
import type { Platforms } from '../platform/registry';
import type { Address } from '../platform/types';
import type { PlatformIdentityRow } from '../db/entities';
import { everyDay, workdaysOnly } from './days';
import { Job } from './types';

/** Where the platforms let us reach a villager unprompted (not where only replies go, e.g. 微信客服). */
export function villagerAddress(platforms: Platforms, ids: PlatformIdentityRow[]): Address | null {
  const options = ids.map((i) => platforms.address(i.realm, i.userId)).filter((a): a is Address => a !== null);
  options.sort((a, b) => platforms.names.indexOf(a.platform) - platforms.names.indexOf(b.platform));
  return options[0] ?? null;
}

const residentsOf = (dir: Directory) => [...new Map(dir.activeVillages().flatMap((v) => dir.residents(v.id)).map((p) => [p.id, p])).values()];

/** Monday 17:00: each resident cadre gets their village's open items and what falls due this week. */
export const serviceDayEve: Job = {
  id: 'service-day-eve',
  cron: '0 17 * * 1',
  description: '驻村服务日前一天：驻村干部收到本村在办事项和本周到期事项',
  day: everyDay,
  async run(ctx) {
    const { directory: dir, calendar: cal, db } = ctx.deps;
    const today = shanghaiDay(ctx.at);
    const tuesday = addDays(mondayOf(today), 1);
    if (!cal.isWorkday(tuesday)) {
      for (const leader of dir.withRole('leader')) ctx.tell(leader, TJ.serviceDaySkipped(tuesday));
      return `service day ${tuesday} is not a working day: skipped, leaders told`;
    }
    const weekEnd = atShanghai(addDays(mondayOf(today), 7), 0).getTime();
    let told = 0;
    for (const v of dir.activeVillages()) {
      const residents = dir.residents(v.id);
      if (!residents.length) continue;
      const live = (await db.read.requests.openInVillage(v.id)).filter((r) => !r.mergedInto);
      const due = live.filter((r) => r.deadline && r.deadline < weekEnd);
      const body = [
        TJ.serviceDayTomorrow(tuesday, v.name),
        live.length ? listBlock(TJ.villageOpen(v.name, live.length), live.map((r) => requestLine(dir, r))) : TJ.villageNothingOpen(v.name),
        due.length ? listBlock(TJ.dueThisWeek(due.length), due.map((r) => requestLine(dir, r))) : '',
      ].filter(Boolean);
      for (const p of residents) {
        ctx.tell(p, TJ.hello(p.name, body.join('\n')));
        told++;
      }
    }
    return `${told} resident cadres told about ${tuesday}`;
  },
};

/** Tuesday 08:00: 今天是驻村服务日 — to resident and village cadres, and villagers where the platform allows. */
export const serviceDay: Job = {
  id: 'service-day',
  cron: '0 8 * * 2',
  description: '驻村服务日早上：通知驻村干部、村干部（及可触达的村民）',
  day: workdaysOnly,
  async run(ctx) {
    const { directory: dir, db, platforms } = ctx.deps;
    let people = 0;
    let villagers = 0;
    for (const v of dir.activeVillages()) {
      const residents = dir.residents(v.id);
      const names = residents.map((p) => p.name).join('、') || TJ.residentCadres;
      for (const p of residents) {
        ctx.tell(p, TJ.serviceDayResident(v.name));
        people++;
      }
      for (const p of dir.cadres(v.id)) {
        ctx.tell(p, TJ.serviceDayCadre(names, v.name));
        people++;
      }
      const listed = await db.read.villagers.active(v.id);
      const ids = await db.read.identities.ofVillagers(listed.map((x) => x.id));
      for (const villager of listed) {
        const a = villagerAddress(platforms, ids.filter((i) => i.villagerId === villager.id));
        if (!a) continue;
        ctx.tellAddress(a, TJ.serviceDayVillager(names, v.name));
        villagers++;
      }
    }
    return `${people} cadres and ${villagers} villagers told`;
  },
};

/** Tuesday 18:00: record the day's walk-in matters (补录) and write the day's 民情日记. */
export const serviceDayWrapup: Job = {
  id: 'service-day-wrapup',
  cron: '0 18 * * 2',
  description: '驻村服务日傍晚：提醒补录当天事项、写民情日记',
  day: workdaysOnly,
  async run(ctx) {
    const residents = residentsOf(ctx.deps.directory);
    for (const p of residents) ctx.tell(p, TJ.serviceDayWrapup(p.name));
    return `${residents.length} resident cadres reminded (weekday ${weekdayOfDay(shanghaiDay(ctx.at))})`;
  },
};
