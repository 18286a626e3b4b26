import { truncate } from '../../cards/content';
import type { DiaryEntryRow } from '../db/entities';
import { CATEGORIES } from '../domain/category';
import { diaryKeepers, reviewPlan } from '../domain/diary-review';
import { period } from '../domain/periods';
import { quarterZh, reviewQuarter } from '../domain/review-quarter';
import { TR, TY } from '../domain/texts';
import { shanghaiDay } from '../domain/time';
import { firstWorkdayFromDayOfMonth } from './days';
import { DIARY_KINDS } from './duties';
import { splitMessages } from './reports/text';
import { Job } from './types';

/** Entries listed in one reviewee's message; the rest are counted (the diary book page has them all). */
export const LISTED = 20;

/** One entry as a line: "9月3日〔4 农村矛盾纠纷〕…", "〔走访〕…", "〔办理过程 20260903-001〕…". */
export function entryLine(e: DiaryEntryRow, codes: Map<number, string>): string {
  const day = TR.monthDay(shanghaiDay(new Date(e.at)));
  const data = (e.data ?? {}) as { category?: number; household?: string };
  const tag =
    e.kind === 'visit' ? TY.tagVisit(data.household ?? '') : e.kind === 'process' ? TY.tagProcess(codes.get(e.requestId ?? 0) ?? '') : data.category ? `${data.category} ${CATEGORIES[data.category]}` : TY.tagFree;
  return `${day}〔${tag}〕${truncate(e.text, 50)}`;
}

/**
 * The quarter's 民情日记 审阅 (seed 002 §四.(二), docs/interface.md#year) — the next quarter's first
 * working day, 10:00: each reviewer of the seeds' hierarchy (`reviewPlan`) gets, per person they review,
 * that person's entries of the quarter to read and how to sign off (`审阅 姓名 意见`); everyone who
 * keeps a diary is asked for the quarter's 自评 (`自评 内容`). Both are recorded when answered.
 */
export const diaryReviewJob: Job = {
  id: 'diary-review',
  cron: '0 10 1-10 1,4,7,10 *',
  description: '每季度第一个工作日10:00：按审阅分工把上季度每人的民情日记发给审阅领导（回复“审阅 姓名 意见”），并请每位干部写季度自评',
  day: firstWorkdayFromDayOfMonth(1),
  async run(ctx) {
    const { directory: dir, db } = ctx.deps;
    const quarter = reviewQuarter(ctx.at);
    const q = period(quarter);
    const entries = await db.read.diary.between(DIARY_KINDS, q.from, q.to - 1);
    const ids = [...new Set(entries.map((e) => e.requestId).filter((id): id is number => id !== null))];
    const codes = new Map((await db.read.requests.byIds(ids)).map((r) => [r.id, r.code]));
    const of = (personId: string) => entries.filter((e) => e.personId === personId);
    const label = quarterZh(quarter);
    let sent = 0;
    const plan = reviewPlan(dir);
    for (const { reviewerId, reviewees } of plan) {
      const reviewer = dir.person(reviewerId)!;
      for (const id of reviewees) {
        const keeper = dir.person(id)!;
        const mine = of(id);
        const lines = mine.slice(0, LISTED).map((e, i) => `${i + 1}. ${entryLine(e, codes)}`);
        const blocks = [
          [TY.reviewHead(dir.label(keeper), label, mine.length), ...lines, ...(mine.length > LISTED ? [TY.moreEntries(mine.length - LISTED)] : [])].join('\n'),
          `${TY.reviewHow(keeper.name)}\n${TY.reviewOnPage(`${ctx.deps.publicBaseUrl}/h5/diary/${encodeURIComponent(id)}?period=${quarter}`)}`,
        ];
        for (const text of splitMessages(blocks)) ctx.tell(reviewer, text);
        sent++;
      }
    }
    const keepers = diaryKeepers(dir);
    for (const p of keepers) ctx.tell(p, TY.selfAssessmentAsk(p.name, label, of(p.id).length));
    return `${quarter}: ${sent} diaries to ${plan.length} reviewers, ${keepers.length} asked for a 自评 (${entries.length} entries)`;
  },
};
