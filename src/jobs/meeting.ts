import type { RequestRow } from '../db/entities';
import { listBlock, requestLine } from '../domain/format';
import { TJ } from '../domain/texts';
import { addDays, atShanghai, shanghaiDay, weekdayOfDay } from '../domain/time';
import { firstWorkdayOfTheWeek } from './days';
import { Job } from './types';

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
    const repo = db.read.requests;
    const today = shanghaiDay(ctx.at);
    const now = ctx.at.getTime();
    const service = lastServiceDay((d) => cal.isWorkday(d), today);
    const fromService = service
      ? await repo.receivedBetween(atShanghai(service, 0).getTime(), atShanghai(addDays(service, 1), 0).getTime() - 1)
      : [];
    const township = await repo.openAtLevels(['township', 'county']);
    const overdue = await repo.overdue(now);
    const line = (r: RequestRow) => requestLine(dir, r, { village: true });
    const blocks = [
      TJ.meetingTitle(today),
      service ? listBlock(TJ.meetingFromService(service, fromService.length), fromService.map(line)) || TJ.meetingNothingFromService(service) : '',
      listBlock(TJ.meetingTownship(township.length), township.map(line)),
      overdue.length ? listBlock(TJ.meetingOverdue(overdue.length), overdue.map(line)) : TJ.meetingNoneOverdue,
      TJ.meetingHowToSupervise,
    ].filter(Boolean);
    const leaders = dir.withRole('leader');
    for (const l of leaders) ctx.tell(l, blocks.join('\n\n'));
    return `${leaders.length} leaders: ${fromService.length} from service day, ${township.length} township-level, ${overdue.length} overdue`;
  },
};
