import { total } from '../../domain/metrics';
import { oldestIn } from '../../db/repos/metrics';
import { firstWorkdayOfTheWeek } from '../days';
import { Job } from '../types';
import { TL, TR } from '../../domain/texts';
import { ChartResult, lastWeek, loadReport, once, remitChart, remits } from './common';
import { cadreBlock, categoryBlock, headline, lateBlock, oldestBlock, rangeZh, splitMessages, villageBlock, villageName } from './text';

/**
 * 民情周报 (docs/interface.md#jobs: Monday 07:30, or the week's first working day): the week before, for each
 * leader's remit — the figures of `domain/metrics.ts` with their change from the week before, the
 * villages that are late and with what, the five oldest open items, per village, category and
 * cadre; and a chart of the villages side by side. If the chart fails, the text still goes, saying so.
 */
export const weeklyDigest: Job = {
  id: 'weekly-digest',
  cron: '30 7 * * 1-5',
  description: '周一（或本周第一个工作日）7:30：领导收到上周民情周报（各村、各干部、各类别的数字，附各村对比图）',
  day: firstWorkdayOfTheWeek,
  async run(ctx) {
    const dir = ctx.deps.directory;
    const who = remits(dir, { leaders: true, secretaries: true });
    if (!who.length) {
      ctx.log.warn('no leaders or village secretaries in the org directory; no digest sent');
      return 'no leaders or village secretaries in the org directory: nothing sent';
    }
    const { cur, prev } = lastWeek(ctx.at);
    const data = await loadReport(ctx, cur, prev);
    const range = rangeZh(cur);
    const cache = new Map<string, ChartResult>();
    let images = 0;
    let missing = 0;

    const messages = new Map<string, Promise<{ texts: string[]; chart: ChartResult; scope: string }>>();
    for (const remit of who) {
      const { texts, chart, scope } = await once(messages, remit, async () => {
        const rows = data.rows.in(remit.villages);
        const scope = remit.villages ? [...remit.villages].map((v) => villageName(dir, v)).join('、') : dir.townshipName || TR.wholeTownship;
        const chart = await remitChart(ctx, cache, rows, remit, TR.chartTitle(range), scope);
        const summary = [TR.weeklyHead(scope, range), ...headline(total(rows), total(data.prevRows.in(remit.villages)), TR.lastWeek)].join('\n');
        const multi = !remit.villages || remit.villages.size > 1;
        const blocks = [
          summary,
          lateBlock(dir, rows, data.open),
          oldestBlock(dir, oldestIn(data.open, remit.villages)),
          multi ? villageBlock(dir, rows) : '',
          categoryBlock(rows),
          cadreBlock(dir, rows),
          chart && 'png' in chart ? TR.chartFollows : chart ? TR.chartMissing : '',
          TL.digestLink(`${ctx.deps.publicBaseUrl}/h5/dashboard`),
        ];
        return { texts: splitMessages(blocks), chart, scope };
      });
      for (const text of texts) ctx.tell(remit.person, text);
      if (chart && 'png' in chart) {
        ctx.image(remit.person, chart.png, TR.chartCaption('民情周报', scope, range));
        images++;
      } else if (chart) missing++;
    }
    return `${who.length} recipients for ${range}: ${data.rows.all.length} figure rows, ${images} charts${missing ? `, ${missing} without the chart (render failed)` : ''}`;
  },
};
