import { diaryCounts, periodRows } from '../../db/repos/metrics';
import { receivedItems } from '../../db/repos/year-figures';
import { diaryKeepers } from '../../domain/diary-review';
import { total } from '../../domain/metrics';
import { monthsOf, period, periodsOf, quartersOf } from '../../domain/periods';
import { TR, TY } from '../../domain/texts';
import { areaDuties, headDuties, missingPairs, residentDuties, ResidentHalf } from '../../domain/visits';
import { reception, sameTimeLastYear } from '../../domain/year-figures';
import { firstWorkdayFromDayOfMonth } from '../days';
import { loadOutreach } from '../outreach-data';
import type { Job, JobContext } from '../types';
import { remits } from './common';
import { cadreBlock, categoryBlock, headline, rangeZh, splitMessages, villageBlock } from './text';
import { diaryYearBlock, OutreachYear, outreachYearBlock, receptionLine, refusalsBlock, yoyLine } from './year-text';

const WEEK_MS = 7 * 24 * 3600_000;

/** Each resident cadre's round per half-year and 户主会 per quarter, one entry per (person, village). */
function residentsOver(perHalf: ResidentHalf[][]): OutreachYear['residents'] {
  const out = new Map<string, OutreachYear['residents'][number]>();
  for (const list of perHalf) {
    for (const r of list) {
      const key = `${r.personId}\u0000${r.villageId}`;
      const cur = out.get(key) ?? { personId: r.personId, halves: [], meetings: [] };
      cur.halves.push({ half: r.half, visited: r.visited, households: r.households });
      cur.meetings.push(...r.meetings);
      out.set(key, cur);
    }
  }
  return [...out.values()];
}

/** The half-year (`2026-H1`) or year (`2026`) that ended last before `at`. */
export function lastEnded(at: Date, kind: 'half' | 'year'): string {
  const cur = periodsOf(at)[kind];
  return periodsOf(new Date(period(cur).from - 1))[kind];
}

/**
 * 半年小结 and 年终总评 (seed 003 §十.6 季度小评、半年小结、年终总评; seed 002 §四.(五) 总结评比;
 * docs/interface.md#year), to the township leaders: the period's figures with the change from the
 * period before and from the same period last year, people received and the 代办/诉求/纠纷 split,
 * per category / village / cadre, each cadre's 否定报备 (they count in the year-end assessment), each
 * diary keeper's entries and whether each quarter was reviewed and self-assessed, and the visit duties.
 */
async function yearReport(ctx: JobContext, kind: 'half' | 'year'): Promise<string> {
  const { directory: dir, db, calendar, policy } = ctx.deps;
  const who = remits(dir, { leaders: true, secretaries: false });
  if (!who.length) {
    ctx.log.warn('no leaders in the org directory; no report sent');
    return 'no leaders in the org directory: nothing sent';
  }
  const name = lastEnded(ctx.at, kind);
  const p = period(name);
  const prevName = lastEnded(new Date(p.from), kind);
  const lastYear = sameTimeLastYear(p);
  const rows = await periodRows(db, calendar, p, ctx.at.getTime(), policy.responseWorkingMs);
  const prevRows = await periodRows(db, calendar, period(prevName), null, policy.responseWorkingMs);
  const yoyRows = kind === 'year' ? prevRows : await periodRows(db, calendar, lastYear, null, policy.responseWorkingMs);
  const now = reception(await receivedItems(db, p), dir.catalogue());
  const then = reception(await receivedItems(db, lastYear), dir.catalogue());

  const quarters = quartersOf(name);
  const reviews = await db.read.diaryReviews.ofPeriods(quarters);
  const diary = await diaryCounts(db, p);
  const year = name.slice(0, 4);
  const data = await loadOutreach(ctx.deps, period(year).from, p.to);
  const halves = kind === 'half' ? [name] : [`${year}-H1`, `${year}-H2`];
  const perMonth = monthsOf(name).map((m) => headDuties(data.inputs, m));
  const outreach: OutreachYear = {
    heads: [...new Set(perMonth.flat().map((x) => x.personId))].map((personId) => ({
      personId,
      met: perMonth.filter((ms) => ms.some((x) => x.personId === personId && x.short === 0)).length,
      months: perMonth.length,
    })),
    residents: residentsOver(halves.map((h) => residentDuties(data.inputs, h))),
    areas: areaDuties(data.inputs, year),
    missingPairs: missingPairs(data.inputs),
  };

  const h = Number(name.slice(-1));
  const title = kind === 'half' ? TY.halfTitle : TY.yearTitle;
  const label = kind === 'half' ? TY.halfLabel(year, h) : TY.yearLabel(year);
  const scope = dir.townshipName || TR.wholeTownship;
  const figures = [
    TY.yearHead(title, label, scope, rangeZh(p)),
    ...headline(total(rows), total(prevRows), kind === 'half' ? TY.prevHalf(h) : TY.prevYear),
    ...(kind === 'half' ? [yoyLine(total(rows), total(yoyRows), now, then)] : []),
    receptionLine(now),
  ].join('\n');
  const texts = splitMessages([
    figures,
    categoryBlock(rows),
    villageBlock(dir, rows, 30),
    cadreBlock(dir, rows, 30),
    refusalsBlock(dir, rows, label),
    diaryYearBlock(dir, diaryKeepers(dir), diary, reviews, quarters, Math.floor((p.to - p.from) / WEEK_MS)),
    outreachYearBlock(dir, outreach),
  ]);
  for (const remit of who) for (const text of texts) ctx.tell(remit.person, text);
  return `${who.length} leaders, ${name}: ${now.requests} requests from ${now.people} people, ${reviews.length} reviews and 自评, ${texts.length} messages each`;
}

/** 半年小结: the first working day of July, 09:30, for the half-year just ended. */
export const halfYearReview: Job = {
  id: 'half-year-review',
  cron: '30 9 1-10 7 *',
  description: '7月第一个工作日9:30：上半年小结（数字与上半年、去年同期比较，接待人数，代办/诉求/纠纷，否定报备，民情日记审阅与自评，走访），发镇领导',
  day: firstWorkdayFromDayOfMonth(1),
  run: (ctx) => yearReport(ctx, 'half'),
};

/** 年终总评: the first working day of January, 09:30, for the year just ended. */
export const yearEndReview: Job = {
  id: 'year-end-review',
  cron: '30 9 1-10 1 *',
  description: '1月第一个工作日9:30：上一年年终总评（全年数字与去年比较，接待人数，代办/诉求/纠纷，各干部否定报备，民情日记审阅与自评，走访），发镇领导',
  day: firstWorkdayFromDayOfMonth(1),
  run: (ctx) => yearReport(ctx, 'year'),
};
