import { Between, In, LessThan } from 'typeorm';
import { RequestRow } from '../db/entities';
import { listBlock, requestLine } from '../domain/format';
import { addDays, atShanghai, shanghaiDay, weekdayOfDay } from '../domain/time';
import { firstWorkdayOfTheWeek } from './days';
import { Job } from './types';

const OPEN = ['pending', 'accepted', 'rejection_pending'];

/** The most recent Tuesday service day (a working Tuesday) before `day`. */
export function lastServiceDay(isWorkday: (d: string) => boolean, day: string): string | null {
  let d = addDays(day, -1);
  for (let i = 0; i < 21; i++, d = addDays(d, -1)) if (weekdayOfDay(d) === 2 && isWorkday(d)) return d;
  return null;
}

/**
 * 联席会议 (Monday 08:00, or the week's first working day): township leaders get the items from the
 * last service day, the township-level items and the overdue items, and how to issue a 督办单.
 */
export const jointMeeting: Job = {
  id: 'joint-meeting',
  cron: '0 8 * * 1-5',
  description: '周一（或本周第一个工作日）8:00：镇领导收到联席会议清单（服务日事项、镇级事项、超期事项），可下达督办单',
  day: firstWorkdayOfTheWeek,
  async run(ctx) {
    const { directory: dir, calendar: cal, db } = ctx.deps;
    const repo = db.ds.getRepository(RequestRow);
    const today = shanghaiDay(ctx.at);
    const now = ctx.at.getTime();
    const service = lastServiceDay((d) => cal.isWorkday(d), today);
    const fromService = service
      ? await repo.find({ where: { receivedAt: Between(atShanghai(service, 0).getTime(), atShanghai(addDays(service, 1), 0).getTime() - 1) }, order: { receivedAt: 'ASC' } })
      : [];
    const township = await repo.find({ where: { level: In(['township', 'county']), status: In(OPEN) }, order: { receivedAt: 'ASC' } });
    const overdue = await repo.find({ where: { status: In(['accepted', 'rejection_pending']), deadline: LessThan(now) }, order: { deadline: 'ASC' } });
    const line = (r: RequestRow) => requestLine(dir, r, { village: true });
    const blocks = [
      `联席会议清单（${Number(today.slice(5, 7))}月${Number(today.slice(8, 10))}日）`,
      service ? listBlock(`上次驻村服务日（${service}）受理 ${fromService.length} 件：`, fromService.map(line)) || `上次驻村服务日（${service}）没有新事项。` : '',
      listBlock(`镇级/县级在办 ${township.length} 件：`, township.map(line)),
      overdue.length ? listBlock(`⚠️ 超期 ${overdue.length} 件：`, overdue.map(line)) : '目前没有超期事项。',
      '如需督办，请发送：督办 编号 负责人 日期 要求（例如：督办 20261124-007 李四 12月5日 本周内修好路灯）',
    ].filter(Boolean);
    const leaders = dir.withRole('leader');
    for (const l of leaders) ctx.tell(l, blocks.join('\n\n'));
    return `${leaders.length} leaders: ${fromService.length} from service day, ${township.length} township-level, ${overdue.length} overdue`;
  },
};
