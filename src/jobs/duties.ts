import type { Person } from '../domain/directory';
import { TJ, TY } from '../domain/texts';
import { addDays, atShanghai, shanghaiDay } from '../domain/time';
import { mondayOf } from '../domain/worktime';
import { closeUnratedOne, unratedDue } from '../operations/close-unrated';
import { firstWorkdayFromDayOfMonth, workdaysOnly } from './days';
import { Job } from './types';

/** Entries that count as 民情日记: free entries, 办理过程, household visits. */
export const DIARY_KINDS = ['free', 'process', 'visit'];
/** docs/rules.md#11: village heads visit ≥ 10 households a month. */
export const HEAD_VISITS_A_MONTH = 10;

export function cadres(people: Person[]): Person[] {
  return people.filter((p) => p.roles.includes('village_cadre') || p.roles.includes('resident_cadre'));
}

/** Friday 16:00: cadres with no 民情日记 entry this week (docs/rules.md#6 asks ≥ 1 a week). */
export const diaryReminder: Job = {
  id: 'diary-reminder',
  cron: '0 16 * * 5',
  description: '周五16:00：提醒本周还没写民情日记的干部',
  day: workdaysOnly,
  async run(ctx) {
    const { directory: dir, db } = ctx.deps;
    const from = atShanghai(mondayOf(shanghaiDay(ctx.at)), 0).getTime();
    const rows = await db.read.diary.between(DIARY_KINDS, from, ctx.at.getTime());
    const wrote = new Set(rows.map((r) => r.personId));
    const behind = cadres(dir.activePeople()).filter((p) => !wrote.has(p.id));
    for (const p of behind) ctx.tell(p, TJ.diaryReminder(p.name));
    return `${behind.length} of ${cadres(dir.activePeople()).length} cadres reminded`;
  },
};

/** The 25th (or the next working day): village heads below 10 visits this month, cadres behind on their paired household. */
export const outreachReminder: Job = {
  id: 'outreach-reminder',
  cron: '0 9 25-31 * *',
  description: '每月25日（遇节假日顺延）9:00：提醒走访不足10户的村书记、本月未走访结对户的干部',
  day: firstWorkdayFromDayOfMonth(25),
  async run(ctx) {
    const { directory: dir, db } = ctx.deps;
    const today = shanghaiDay(ctx.at);
    const from = atShanghai(`${today.slice(0, 8)}01`, 0).getTime();
    const visits = await db.read.diary.between(['visit'], from, ctx.at.getTime());
    const count = (id: string) => visits.filter((v) => v.personId === id).length;
    let told = 0;
    const heads = new Set(dir.activeVillages().map((v) => v.secretaryId).filter(Boolean) as string[]);
    for (const id of heads) {
      const p = dir.person(id);
      if (!p?.active || count(id) >= HEAD_VISITS_A_MONTH) continue;
      ctx.tell(p, TJ.visitsBehind(p.name, count(id), HEAD_VISITS_A_MONTH));
      told++;
    }
    for (const p of dir.activePeople()) {
      const pairs = p.pairs ?? [];
      const missing = pairs.filter((h) => !visits.some((v) => v.personId === p.id && (v.data as { household?: string } | null)?.household === h));
      if (!missing.length) continue;
      ctx.tell(p, TJ.pairsNotVisited(p.name, missing));
      told++;
    }
    return `${told} reminders (${visits.length} visits this month so far, through ${addDays(today, 0)})`;
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
