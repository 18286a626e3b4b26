import { diaryKeepers } from '../domain/diary-review';
import { TJ, TY } from '../domain/texts';
import { atShanghai, shanghaiDay } from '../domain/time';
import { mondayOf } from '../domain/worktime';
import { closeUnratedOne, unratedDue } from '../operations/close-unrated';
import { workdaysOnly } from './days';
import { Job } from './types';

/** Entries that count as 民情日记: free entries, 办理过程, household visits. */
export const DIARY_KINDS = ['free', 'process', 'visit'];

/**
 * Friday 16:00: everyone who keeps a 民情日记 (seed 002 §二: the 镇机关's staff and leaders, village
 * 两委 and resident cadres — `diaryKeepers`, docs/interface.md#year) with no entry this week
 * (docs/rules.md#6 asks ≥ 1 a week).
 */
export const diaryReminder: Job = {
  id: 'diary-reminder',
  cron: '0 16 * * 5',
  description: '周五16:00：提醒本周还没写民情日记的干部（镇机关干部、村两委、驻村干部）',
  day: workdaysOnly,
  async run(ctx) {
    const { directory: dir, db } = ctx.deps;
    const from = atShanghai(mondayOf(shanghaiDay(ctx.at)), 0).getTime();
    const rows = await db.read.diary.between(DIARY_KINDS, from, ctx.at.getTime());
    const wrote = new Set(rows.map((r) => r.personId));
    const keepers = diaryKeepers(dir);
    const behind = keepers.filter((p) => !wrote.has(p.id));
    for (const p of behind) ctx.tell(p, TJ.diaryReminder(p.name));
    return `${behind.length} of ${keepers.length} diary keepers reminded`;
  },
};

/**
 * Daily 09:00: resolved requests nobody rated within 3 working days (UNRATED_CLOSE_WORKDAYS) close as
 * 未评价; the owner is told, and so is the villager where a message reaches them unprompted (a reply
 * window such as 微信客服's has long closed by then, docs/interface.md#year).
 */
export const satisfactionTimeout: Job = {
  id: 'satisfaction-timeout',
  cron: '0 9 * * *',
  description: '每天9:00：办结后3个工作日未评价的事项按“未评价”销号',
  day: workdaysOnly,
  needsOrg: false,
  async run(ctx) {
    const due = await unratedDue(ctx.deps, ctx.at.getTime());
    for (const r of due) {
      ctx.write(async (tx) => {
        await closeUnratedOne(tx, r);
      });
      const owner = ctx.deps.directory.person(r.ownerId);
      const days = ctx.deps.policy.unratedWorkdays;
      if (owner) ctx.tell(owner, TY.closedUnrated(r.code, days), r.id);
      if (r.replyTo && r.reporterVillagerId && !ctx.deps.platforms.reach(r.replyTo).window) ctx.tellAddress(r.replyTo, TY.closedUnratedVillager(r.code, days));
    }
    return `${due.length} closed as 未评价${due.length ? `: ${due.map((r) => r.code).join(', ')}` : ''}`;
  },
};
