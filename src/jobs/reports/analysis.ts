import type { Directory } from '../../domain/directory';
import { byDimension, figures, MetricRow, pct, total, zero } from '../../domain/metrics';
import { repeatProblems } from '../../domain/repeats';
import { diaryCounts, oldestIn, Period, periodRows, repeatCandidates } from '../../db/repos/metrics';
import { receivedItems } from '../../db/repos/year-figures';
import { RowsByVillage } from '../../domain/metrics';
import { reception, sameTimeLastYear } from '../../domain/year-figures';
import { receptionLine, refusalsBlock, yoyLine } from './year-text';
import { firstWorkdayFromDayOfMonth } from '../days';
import { diaryKeepers } from '../../domain/diary-review';
import { outreachForQuarter, quarterlyOutreachLines } from '../../domain/outreach-report';
import { period, periodsOf } from '../../domain/periods';
import { loadOutreach } from '../outreach-data';
import { Job, JobContext } from '../types';
import { TR, TY } from '../../domain/texts';
import { ChartResult, lastMonths, loadReport, once, Remit, remitChart, remits } from './common';
import { categoryBlock, headline, lateBlock, oldestBlock, rangeZh, repeatBlock, splitMessages, villageBlock, villageName } from './text';

const WEEK_MS = 7 * 24 * 3600_000;

/** Each diary keeper's 民情日记 count and household visits, with their figures as 首问责任人 (quarterly). */
export function diaryBlock(dir: Directory, rows: MetricRow[], diary: Map<string, { diary: number; visits: number }>, p: Period): string {
  const weeks = Math.floor((p.to - p.from) / WEEK_MS);
  const per = byDimension(rows, 'owner');
  const lines = diaryKeepers(dir).map((person) => {
    const d = diary.get(person.id) ?? { diary: 0, visits: 0 };
    const f = figures(per.get(person.id) ?? zero());
    const low = d.diary < weeks ? '⚠️' : '';
    return TR.diaryLine(low, person.name, d.diary, d.visits, f.counts.received, pct(f.onTimeRate), pct(f.satisfactionRate), f.counts.overdue);
  });
  if (!lines.length) return '';
  return [TR.diaryHead(weeks), ...lines].join('\n');
}

async function analysis(ctx: JobContext, months: 1 | 3, who: Remit[]): Promise<string> {
  const dir = ctx.deps.directory;
  const { cur, prev, label } = lastMonths(ctx.at, months);
  const data = await loadReport(ctx, cur, prev);
  const items = await repeatCandidates(ctx.deps.db, cur, null);
  // Beside the previous period: the same period last year, and people received with the 代办/诉求/纠纷 split (docs/interface.md#figures).
  const { db, calendar, policy } = ctx.deps;
  const lastYear = sameTimeLastYear(cur);
  const yoyRows = new RowsByVillage(await periodRows(db, calendar, lastYear, null, policy.responseWorkingMs));
  const received = await receivedItems(db, cur);
  const receivedLastYear = await receivedItems(db, lastYear);
  const diary = months === 3 ? await diaryCounts(ctx.deps.db, cur) : null;
  // The visit duties of the quarter (docs/interface.md#year): 村主干 each month, pairs, 责任片 and the resident cadres' half-year.
  const quarter = periodsOf(new Date(cur.from)).quarter;
  const outreach = months === 3 ? await loadOutreach(ctx.deps, period(quarter.slice(0, 4)).from, cur.to) : null;
  const outreachText = outreach ? quarterlyOutreachLines(outreachForQuarter(outreach.inputs, quarter), outreach.names).join('\n') : '';
  const range = rangeZh(cur);
  const cache = new Map<string, ChartResult>();
  const title = months === 1 ? TR.analysisTitle : TR.quarterlyTitle;
  let images = 0;
  let repeats = 0;

  const messages = new Map<string, Promise<{ texts: string[]; chart: ChartResult; scope: string }>>();
  for (const remit of who) {
    const { texts, chart, scope } = await once(messages, remit, async () => {
      const rows = data.rows.in(remit.villages);
      const scope = remit.villages ? [...remit.villages].map((v) => villageName(dir, v)).join('、') : dir.townshipName || TR.wholeTownship;
      const groups = repeatProblems(items.filter((r) => !remit.villages || remit.villages.has(r.villageId)));
      repeats += groups.length;
      const chart = await remitChart(ctx, cache, rows, remit, TR.chartTitle(label), `${scope} ${range}`);
      const inRemit = (i: { villageId: string | null }) => !remit.villages || remit.villages.has(i.villageId);
      const now = reception(received.filter(inRemit), dir.catalogue());
      const then = reception(receivedLastYear.filter(inRemit), dir.catalogue());
      const blocks = [
        [
          TR.analysisHead(title, label, scope, range),
          ...headline(total(rows), total(data.prevRows.in(remit.villages)), months === 1 ? TR.lastMonth : TR.lastQuarter),
          yoyLine(total(rows), total(yoyRows.in(remit.villages)), now, then),
          receptionLine(now),
        ].join('\n'),
        categoryBlock(rows),
        !remit.villages || remit.villages.size > 1 ? villageBlock(dir, rows, 30) : '',
        repeatBlock(dir, groups),
        lateBlock(dir, rows, data.open),
        oldestBlock(dir, oldestIn(data.open, remit.villages)),
        months === 3 ? refusalsBlock(dir, rows, TY.thisQuarter) : '',
        diary ? diaryBlock(dir, data.rows.all, diary, cur) : '',
        outreachText,
        months === 1 && remit.villages ? TR.villageMeetingAdvice : '',
        chart && 'png' in chart ? TR.chartFollows : chart ? TR.chartMissing : '',
      ];
      return { texts: splitMessages(blocks), chart, scope };
    });
    for (const text of texts) ctx.tell(remit.person, text);
    if (chart && 'png' in chart) {
      ctx.image(remit.person, chart.png, TR.chartCaption(title, scope, label));
      images++;
    }
  }
  return `${who.length} recipients for ${label} (${range}): ${items.length} requests, ${repeats} repeat groups, ${images} charts`;
}

/** 民情分析 (docs/interface.md#jobs: the 1st, or the first working day after, 08:00): last month, for each village's meeting and the leaders. */
export const monthlyAnalysis: Job = {
  id: 'monthly-analysis',
  cron: '0 8 1-10 * *',
  description: '每月1日（遇节假日顺延）8:00：上月民情分析（分类别、分村数字，反复出现的问题），发村党组织书记和镇领导',
  day: firstWorkdayFromDayOfMonth(1),
  async run(ctx) {
    const who = remits(ctx.deps.directory, { leaders: true, secretaries: true });
    if (!who.length) {
      ctx.log.warn('no leaders or village secretaries in the org directory; no analysis sent');
      return 'no leaders or village secretaries in the org directory: nothing sent';
    }
    return analysis(ctx, 1, who);
  },
};

const firstWorkdayOfMonth = firstWorkdayFromDayOfMonth(1);

/** 季度民情分析 (docs/interface.md#jobs: first working day of a quarter, 09:00): figures, repeat problems, each cadre's diary and visits. */
export const quarterlyReview: Job = {
  id: 'quarterly-review',
  cron: '0 9 1-10 1,4,7,10 *',
  description: '每季度第一个工作日9:00：上季度民情分析和各干部民情日记、走访情况（村主干每月走访、结对帮扶、责任片、驻村干部半年走访和户主会），发镇领导',
  day: firstWorkdayOfMonth,
  async run(ctx) {
    const who = remits(ctx.deps.directory, { leaders: true, secretaries: false });
    if (!who.length) {
      ctx.log.warn('no leaders in the org directory; no quarterly review sent');
      return 'no leaders in the org directory: nothing sent';
    }
    return analysis(ctx, 3, who);
  },
};
