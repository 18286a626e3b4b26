import { In } from 'typeorm';
import { RequestRow, VillagerRow } from '../db/entities';
import type { Directory } from '../domain/directory';
import { listBlock, requestLine } from '../domain/format';
import { addDays, atShanghai, shanghaiDay, weekdayOfDay } from '../domain/time';
import { mondayOf } from '../domain/worktime';
import type { Address } from '../platform/types';
import { everyDay, workdaysOnly } from './days';
import { Job } from './types';

const OPEN = ['pending', 'accepted', 'rejection_pending'];
const zhDay = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/** Where the platform lets us reach a listed villager unprompted (not 微信客服, whose window is closed). */
export function villagerAddress(dir: Directory, platforms: string[], v: VillagerRow): Address | null {
  if (platforms.includes('wecom') && v.wecomId) return { platform: 'wecom', channel: 'app', userId: v.wecomId };
  if (platforms.includes('dingtalk') && v.dingtalkId) return { platform: 'dingtalk', channel: 'app', userId: v.dingtalkId };
  if (platforms.includes('sandbox')) return { platform: 'sandbox', channel: 'sandbox', userId: v.sandboxId ?? `v${v.id}` };
  return null;
}

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
      for (const leader of dir.withRole('leader')) ctx.tell(leader, `${zhDay(tuesday)}（周二）不是工作日，本周驻村服务日暂停，驻村干部无需到村。`);
      return `service day ${tuesday} is not a working day: skipped, leaders told`;
    }
    const weekEnd = atShanghai(addDays(mondayOf(today), 7), 0).getTime();
    let told = 0;
    for (const v of dir.activeVillages()) {
      const residents = dir.residents(v.id);
      if (!residents.length) continue;
      const open = await db.ds.getRepository(RequestRow).find({ where: { villageId: v.id, status: In(OPEN) }, order: { receivedAt: 'ASC' } });
      const live = open.filter((r) => !r.mergedInto);
      const due = live.filter((r) => r.deadline && r.deadline < weekEnd);
      const body = [
        `明天（${zhDay(tuesday)}）是驻村服务日，请到${v.name}坐班，群众无需预约。`,
        live.length ? listBlock(`${v.name}在办事项 ${live.length} 件：`, live.map((r) => requestLine(dir, r))) : `${v.name}目前没有在办事项。`,
        due.length ? listBlock(`本周到期 ${due.length} 件：`, due.map((r) => requestLine(dir, r))) : '',
      ].filter(Boolean);
      for (const p of residents) {
        ctx.tell(p, `${p.name}您好，${body.join('\n')}`);
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
      const names = residents.map((p) => p.name).join('、') || '驻村干部';
      for (const p of residents) {
        ctx.tell(p, `今天是驻村服务日，请到${v.name}坐班，当面受理的事项请记得补录。`);
        people++;
      }
      for (const p of dir.cadres(v.id)) {
        ctx.tell(p, `今天是驻村服务日，驻村干部${names}今天在${v.name}，请配合接待群众。`);
        people++;
      }
      const listed = await db.ds.getRepository(VillagerRow).findBy({ villageId: v.id, active: true });
      for (const villager of listed) {
        const a = villagerAddress(dir, platforms, villager);
        if (!a) continue;
        ctx.tellAddress(a, `今天是驻村服务日，镇驻村干部${names}在${v.name}村委会，有事可直接来，无需预约。`);
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
    const { directory: dir } = ctx.deps;
    const residents = [...new Map(dir.activeVillages().flatMap((v) => dir.residents(v.id)).map((p) => [p.id, p])).values()];
    for (const p of residents) {
      ctx.tell(
        p,
        `${p.name}您好，今天的驻村服务日辛苦了。请把今天当面受理的事项补录进系统（发送：补录 反映人 内容），` + `并写下今天的民情日记（发送：日记 内容）。`,
      );
    }
    return `${residents.length} resident cadres reminded (weekday ${weekdayOfDay(shanghaiDay(ctx.at))})`;
  },
};
