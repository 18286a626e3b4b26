import { periodRows } from '../../src/db/repos/metrics';
import { CATEGORIES } from '../../src/domain/category';
import { total } from '../../src/domain/metrics';
import { parsePeriod, trendWeeks } from '../../src/domain/report-period';
import type { PlannedMessage } from '../../src/jobs/types';
import { trendOf } from '../../src/web/reports/dashboard-data';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { ReportsApp, startReports } from '../helpers/reports-app';
import { LEADERS, simulate, township, VILLAGES } from '../helpers/township';

/**
 * The dashboard and the weekly digest show the same numbers: half a year of a 29-cadre township
 * (test/helpers/township.ts, the dataset of test/jobs/numbers.db.test.ts), the digest run as
 * `jobs run weekly-digest --dry-run` does on Monday 2026-11-23 07:30, and the dashboard opened at
 * that moment by the same leader and by a village secretary. Every figure of the digest's headline,
 * each village's, category's and cadre's line and each late village's count is read back from the
 * page. And the trend's twelve weeks, read in one pass, equal `periodRows` week by week.
 */
const WEEKLY = '2026-11-23T07:30:00+08:00';
const NOW = Date.parse(WEEKLY);
const START = Date.parse('2026-05-25T00:00:00+08:00');

describe.each(dialects())('dashboard and weekly digest agree (%s)', (dialect) => {
  let r: ReportsApp;
  let planned: PlannedMessage[];

  beforeAll(async () => {
    const org = township();
    r = await startReports({
      databaseUrl: await freshDatabaseUrl(dialect),
      platform: 'sandbox',
      at: WEEKLY,
      env: { ORG_FILE: org.file, PUBLIC_BASE_URL: 'https://mq.example.cn' },
    });
    const reqs = simulate(org.cadres, START, NOW);
    const db = r.h.app.db;
    const q = (c: string) => db.quote(c);
    const cols = [
      'id',
      'code',
      'status',
      'village_id',
      'category',
      'tier',
      'level',
      'text',
      'reporter_name',
      'channel',
      'owner_id',
      'received_at',
      'accepted_at',
      'deadline',
      'resolved_at',
      'closed_at',
      'satisfaction',
      'last_message_at',
      'version',
      'merged_into',
      'close_reason',
    ];
    for (let i = 0; i < reqs.length; i += 100) {
      const chunk = reqs.slice(i, i + 100);
      await db.query(
        `INSERT INTO request (${cols.map(q).join(',')}) VALUES ${chunk.map(() => `(${cols.map(() => '?').join(',')})`).join(',')}`,
        chunk.flatMap((x) => [
          x.id,
          x.code,
          x.status,
          x.village,
          x.category,
          'general',
          'village',
          x.text,
          x.reporterName,
          'visit',
          x.owner,
          x.receivedAt,
          x.acceptedAt,
          x.deadline,
          x.resolvedAt,
          x.closedAt,
          x.satisfaction,
          x.receivedAt,
          1,
          x.mergedInto,
          x.closeReason,
        ]),
      );
    }
    const events = reqs.flatMap((x) => x.events.map((e) => [x.id, e.at, e.type, 'system', null, JSON.stringify(e.data)]));
    for (let i = 0; i < events.length; i += 200) {
      const chunk = events.slice(i, i + 200);
      await db.query(
        `INSERT INTO request_event (request_id, ${q('at')}, ${q('type')}, actor, channel, ${q('data')}) VALUES ${chunk.map(() => '(?,?,?,?,?,?)').join(',')}`,
        chunk.flat(),
      );
    }
    const run = await r.h.app.runJob('weekly-digest', { at: new Date(NOW), dryRun: true });
    expect(run.status).toBe('done');
    planned = run.planned;
  }, 120_000);
  afterAll(async () => {
    await r?.close();
    await dropCreatedDatabases();
  });

  const digestOf = (to: string) =>
    planned
      .filter((m) => m.to === to && m.text)
      .map((m) => m.text!)
      .join('\n');
  const dashboardOf = async (id: string) => {
    const res = await r.get('/h5/dashboard', `person:${id}`);
    expect(res.status).toBe(200);
    return res.text();
  };
  const tile = (html: string, key: string) => {
    const m = new RegExp(`data-figure="${key}" data-n="(\\d+)"(?: data-d="(\\d+)")?`).exec(html);
    return m ? [Number(m[1]), m[2] === undefined ? null : Number(m[2])] : null;
  };
  /** "受理 N ｜响应 95%｜…" of the digest, as the page's table row shows it: [received, response, on time, close, satisfied, overdue]. */
  const digestLine = (digest: string, name: string) => {
    const m = new RegExp(`· ${name}：受理 (\\d+)｜响应 ([^｜]+)｜按时 ([^｜]+)｜办结 ([^｜]+)｜满意 ([^｜]+)｜超期 (\\d+)`).exec(digest);
    return m ? m.slice(1) : null;
  };
  const pageLine = (html: string, kind: string, name: string) => {
    const m = new RegExp(
      `<tr data-${kind}="${name}"><th scope="row">(?:<a [^>]*>)?${name}(?:</a>)?</th><td>(\\d+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td[^>]*>(\\d+)</td></tr>`,
    ).exec(html);
    return m ? m.slice(1) : null;
  };

  it('gives a leader the headline figures of the digest', async () => {
    const digest = digestOf('shuji');
    const html = await dashboardOf('shuji');
    const received = /受理 (\d+) 件（较上周/.exec(digest)!;
    expect(tile(html, 'received')).toEqual([Number(received[1]), null]);
    for (const [name, key] of [
      ['响应率', 'responseRate'],
      ['按时办结率', 'onTimeRate'],
      ['办结率', 'closeRate'],
      ['满意率', 'satisfactionRate'],
    ]) {
      const m = new RegExp(`(?:^|\\n)${name} \\d+%（(\\d+)/(\\d+)`).exec(digest)!;
      expect([name, tile(html, key)]).toEqual([name, [Number(m[1]), Number(m[2])]]);
    }
    const o = /超期 (\d+) 件｜否定报备 (\d+) 件，批准 (\d+) 件｜申诉 (\d+) 件/.exec(digest)!;
    expect(tile(html, 'overdue')).toEqual([Number(o[1]), null]);
    expect(tile(html, 'refusals')).toEqual([Number(o[2]), Number(o[3])]);
    expect(tile(html, 'appeals')).toEqual([Number(o[4]), null]);
    expect(Number(o[1])).toBeGreaterThan(0);
    expect(html).toContain(`当前超期 ${o[1]} 件`);
  });

  it('gives the same line for every village, category and cadre the digest names', async () => {
    const digest = digestOf('shuji');
    const html = await dashboardOf('shuji');
    let compared = 0;
    for (const v of VILLAGES) {
      const d = digestLine(digest, v);
      if (!d) continue;
      expect([v, pageLine(html, 'village', v)]).toEqual([v, d]);
      compared++;
    }
    expect(compared).toBe(VILLAGES.length);
    let categories = 0;
    for (const c of [...Object.values(CATEGORIES), '未分类']) {
      const d = digestLine(digest, c);
      if (!d) continue;
      expect([c, pageLine(html, 'category', c)]).toEqual([c, d]);
      categories++;
    }
    expect(categories).toBeGreaterThanOrEqual(4);
    const cadres = [...digest.matchAll(/· ([\u4e00-\u9fa5]{2,3})：受理/g)].map((m) => m[1]).filter((n) => !VILLAGES.includes(n) && n !== '未分类' && n !== '其他');
    expect(cadres.length).toBeGreaterThanOrEqual(5);
    for (const name of cadres) expect([name, pageLine(html, 'cadre', name)]).toEqual([name, digestLine(digest, name)]);
  });

  it('counts the late villages as the digest does', async () => {
    const digest = digestOf('shuji');
    const html = await dashboardOf('shuji');
    const late = [...digest.matchAll(/· (\S+村) (\d+) 件，最早：(\S+)/g)];
    expect(late.length).toBeGreaterThan(0);
    for (const [, village, n, code] of late) {
      expect(html).toContain(`${village} ${n} 件`);
      // The digest's earliest-late item is the first the page lists for that village.
      const block = html.slice(html.indexOf(`${village} ${n} 件`));
      expect(/<li><a href="\/h5\/requests\/([^"]+)"/.exec(block)![1]).toBe(code);
    }
  });

  it('gives a village secretary the same numbers as their own digest', async () => {
    const digest = digestOf('c3a');
    expect(digest).toContain(`【民情周报】${VILLAGES[3]}`);
    const html = await dashboardOf('c3a');
    expect(html).toContain(`${VILLAGES[3]}民情看板`);
    expect(tile(html, 'received')).toEqual([Number(/受理 (\d+) 件（较上周/.exec(digest)![1]), null]);
    const m = /按时办结率 \d+%（(\d+)\/(\d+)/.exec(digest);
    if (m) expect(tile(html, 'onTimeRate')).toEqual([Number(m[1]), Number(m[2])]);
    expect(tile(html, 'overdue')![0]).toBe(Number(/超期 (\d+) 件｜/.exec(digest)![1]));
  });

  it('ends the digest with the dashboard’s link', () => {
    for (const l of LEADERS) expect(digestOf(l.id)).toContain('在线看板（各村、各干部、近12周趋势）：https://mq.example.cn/h5/dashboard');
  });

  it('draws a trend whose every week is the figures of periodRows', async () => {
    const deps = r.h.app.deps;
    const p = parsePeriod({}, NOW);
    if ('error' in p) throw new Error(p.error);
    const weeks = trendWeeks(p, NOW);
    expect(weeks).toHaveLength(12);
    expect(weeks[11]).toEqual(p.cur);
    for (const villages of [null, new Set<string | null>(['v3']), new Set<string | null>(['v0', 'v7'])]) {
      const trend = await trendOf(deps, villages, p, NOW);
      for (let i = 0; i < weeks.length; i++) {
        const rows = (await periodRows(deps.db, deps.calendar, weeks[i], null)).filter((x) => !villages || villages.has(x.village));
        const c = total(rows);
        const pct = (n: number, d: number) => (d ? Math.round((n / d) * 100) : null);
        expect(trend[i]).toEqual({
          from: weeks[i].from,
          received: c.received,
          resolved: c.resolved,
          responseRate: pct(c.responded, c.received),
          onTimeRate: pct(c.onTime, c.resolved),
          closeRate: pct(c.done, c.considered),
          satisfactionRate: pct(c.satisfied, c.rated),
        });
      }
      expect(trend.reduce((s, w) => s + w.received, 0)).toBeGreaterThan(0);
    }
  });
});
