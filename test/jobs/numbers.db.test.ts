import { CATEGORIES } from '../../src/domain/category';
import type { PlannedMessage } from '../../src/jobs/types';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { Harness, startHarness } from '../helpers/harness';
import { diaries, LEADERS, Person, Req, simulate, township, VILLAGES } from '../helpers/township';

/**
 * Numbers you can trust: half a year of a 29-cadre township (1322 people
 * received) with known outcomes, inserted directly; every figure the reports print is checked
 * against a hand count made here from the simulated timeline — plain filters over the rows, not
 * the app's metric code or SQL.
 */
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const START = Date.parse('2026-05-25T00:00:00+08:00');
const WEEKLY = '2026-11-23T07:30:00+08:00';
const NOW = Date.parse(WEEKLY);

interface Hand {
  received: number; responded: number; considered: number; done: number; resolved: number; onTime: number;
  rated: number; satisfied: number; overdue: number; filed: number; approved: number; appeals: number;
}

const sh = (t: number) => new Date(t + 8 * 60 * MIN);
const dayOf = (t: number) => sh(t).toISOString().slice(0, 10);

describe.each(dialects())('numbers you can trust (%s)', (dialect) => {
  let h: Harness;
  let reqs: Req[];
  let cadres: Person[];
  const workday = new Map<string, boolean>();

  /** Working minutes (08:30–17:30 on working days) in [from, to), one minute at a time. */
  function workingMinutes(from: number, to: number): number {
    let n = 0;
    for (let t = from; t < to; t += MIN) {
      const day = dayOf(t);
      if (!workday.has(day)) workday.set(day, h.app.deps.calendar.isWorkday(day));
      const m = sh(t).getUTCHours() * 60 + sh(t).getUTCMinutes();
      if (workday.get(day) && m >= 8 * 60 + 30 && m < 17 * 60 + 30) n++;
    }
    return n;
  }

  function hand(from: number, to: number, now: number, keep: (r: Req) => boolean = () => true): Hand {
    const mine = reqs.filter(keep);
    const cohort = mine.filter((r) => r.receivedAt >= from && r.receivedAt < to);
    const events = (type: string) => mine.flatMap((r) => r.events).filter((e) => e.type === type && e.at >= from && e.at < to);
    const standing = mine.filter((r) => ['resolved', 'closed'].includes(r.status) && r.resolvedAt! >= from && r.resolvedAt! < to);
    return {
      received: cohort.length,
      responded: cohort.filter((r) => r.acceptedAt !== null && workingMinutes(r.receivedAt, r.acceptedAt) <= 120).length,
      considered: cohort.filter((r) => r.status !== 'rejected').length,
      done: cohort.filter((r) => ['resolved', 'closed'].includes(r.status) && r.resolvedAt! < to).length,
      resolved: standing.length,
      onTime: standing.filter((r) => r.deadline === null || r.resolvedAt! <= r.deadline).length,
      rated: events('rated').length,
      satisfied: events('rated').filter((e) => e.data.value === 'satisfied').length,
      overdue: mine.filter((r) => ['accepted', 'rejection_pending'].includes(r.status) && !r.mergedInto && r.deadline! < now).length,
      filed: events('refusal_filed').length,
      approved: events('refusal_approved').length,
      appeals: events('appealed').length,
    };
  }

  const pctS = (n: number, d: number) => (d ? `${Math.round((n / d) * 100)}%` : '—');
  const signed = (d: number) => (d === 0 ? '持平' : d > 0 ? `+${d}` : `−${-d}`);
  function rateS(n: number, d: number, pn: number, pd: number): string {
    if (!d) return '—';
    const change = pd ? `，${signed(Math.round((n / d) * 100) - Math.round((pn / pd) * 100))}` : '';
    return `${pctS(n, d)}（${n}/${d}${change}）`;
  }
  const headline = (c: Hand, p: Hand, prevName: string) => [
    `受理 ${c.received} 件（较${prevName} ${signed(c.received - p.received)}）`,
    `响应率 ${rateS(c.responded, c.received, p.responded, p.received)}`,
    `按时办结率 ${rateS(c.onTime, c.resolved, p.onTime, p.resolved)}`,
    `办结率 ${rateS(c.done, c.considered, p.done, p.considered)}`,
    `满意率 ${rateS(c.satisfied, c.rated, p.satisfied, p.rated)}`,
    `超期 ${c.overdue} 件｜否定报备 ${c.filed} 件，批准 ${c.approved} 件｜申诉 ${c.appeals} 件`,
  ];
  const line = (c: Hand) =>
    `受理 ${c.received}｜响应 ${pctS(c.responded, c.received)}｜按时 ${pctS(c.onTime, c.resolved)}｜办结 ${pctS(c.done, c.considered)}｜满意 ${pctS(c.satisfied, c.rated)}｜超期 ${c.overdue}`;
  const textTo = (planned: PlannedMessage[], to: string) => planned.filter((m) => m.to === to && m.text).map((m) => m.text!).join('\n');

  beforeAll(async () => {
    const org = township();
    cadres = org.cadres;
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox', at: WEEKLY, env: { ORG_FILE: org.file } });
    reqs = simulate(cadres, START, NOW);
    const db = h.app.db;
    const q = (c: string) => db.quote(c);
    const cols = ['id', 'code', 'status', 'village_id', 'category', 'tier', 'level', 'text', 'reporter_name', 'channel', 'owner_id', 'received_at', 'accepted_at', 'deadline', 'resolved_at', 'closed_at', 'satisfaction', 'last_message_at', 'version', 'merged_into', 'close_reason'];
    for (let i = 0; i < reqs.length; i += 100) {
      const chunk = reqs.slice(i, i + 100);
      await db.query(
        `INSERT INTO request (${cols.map(q).join(',')}) VALUES ${chunk.map(() => `(${cols.map(() => '?').join(',')})`).join(',')}`,
        chunk.flatMap((r) => [r.id, r.code, r.status, r.village, r.category, 'general', 'village', r.text, r.reporterName, 'visit', r.owner, r.receivedAt, r.acceptedAt, r.deadline, r.resolvedAt, r.closedAt, r.satisfaction, r.receivedAt, 1, r.mergedInto, r.closeReason]),
      );
    }
    const events = reqs.flatMap((r) => r.events.map((e) => [r.id, e.at, e.type, 'system', null, JSON.stringify(e.data)]));
    for (let i = 0; i < events.length; i += 200) {
      const chunk = events.slice(i, i + 200);
      await db.query(`INSERT INTO request_event (request_id, ${q('at')}, ${q('type')}, actor, channel, ${q('data')}) VALUES ${chunk.map(() => '(?,?,?,?,?,?)').join(',')}`, chunk.flat());
    }
    const d = diaries(cadres, Date.parse('2026-07-01T00:00:00+08:00'), Date.parse('2026-10-01T00:00:00+08:00'));
    await db.query(`INSERT INTO diary_entry (person_id, kind, ${q('text')}, ${q('at')}) VALUES ${d.map(() => '(?,?,?,?)').join(',')}`, d.flatMap((x) => [x.person, x.kind, '民情日记', x.at]));
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await dropCreatedDatabases();
  });

  it('seeds the size of seed 004 with every kind of outcome', () => {
    expect(reqs).toHaveLength(1322);
    expect(cadres).toHaveLength(29);
    const statuses = new Set(reqs.map((r) => r.status));
    expect([...statuses].sort()).toEqual(['accepted', 'closed', 'pending', 'rejected', 'rejection_pending', 'resolved']);
    const types = new Set(reqs.flatMap((r) => r.events.map((e) => e.type)));
    for (const t of ['rated', 'refusal_filed', 'refusal_approved', 'appealed', 'reopened']) expect(types).toContain(t);
  });

  it('prints every weekly figure as the hand count has it: township, villages, categories, late villages, oldest items', async () => {
    const r = await h.app.runJob('weekly-digest', { at: new Date(WEEKLY), dryRun: true });
    expect(r.status).toBe('done');
    const from = Date.parse('2026-11-16T00:00:00+08:00');
    const cur = hand(from, from + 7 * DAY, NOW);
    const prev = hand(from - 7 * DAY, from, NOW);
    expect(cur.received).toBeGreaterThan(30);
    const text = textTo(r.planned, 'shuji');
    expect(text).toContain('【民情周报】石桥镇 11月16日—11月22日');
    for (const l of headline(cur, prev, '上周')) expect(text).toContain(l);

    VILLAGES.forEach((name, v) => {
      const c = hand(from, from + 7 * DAY, NOW, (x) => x.village === `v${v}`);
      expect(text).toContain(`· ${name}：${line(c)}`);
      if (c.overdue) expect(text).toContain(`· ${name} ${c.overdue} 件，最早：`);
    });
    for (const cat of [...Object.keys(CATEGORIES).map(Number), null]) {
      const c = hand(from, from + 7 * DAY, NOW, (x) => x.category === cat);
      if (c.received || c.overdue || c.resolved || c.rated) expect(text).toContain(`· ${cat === null ? '未分类' : CATEGORIES[cat]}：${line(c)}`);
    }
    // The most overdue item of each late village, and the five oldest open items, by code.
    const late = reqs.filter((x) => ['accepted', 'rejection_pending'].includes(x.status) && !x.mergedInto && x.deadline! < NOW);
    for (let v = 0; v < VILLAGES.length; v++) {
      const first = late.filter((x) => x.village === `v${v}`).sort((a, b) => a.deadline! - b.deadline! || a.id - b.id)[0];
      if (first) expect(text).toContain(`· ${VILLAGES[v]} ${late.filter((x) => x.village === `v${v}`).length} 件，最早：${first.code}`);
    }
    const open = reqs.filter((x) => ['pending', 'accepted', 'rejection_pending'].includes(x.status) && !x.mergedInto).sort((a, b) => a.receivedAt - b.receivedAt || a.id - b.id);
    const oldest = text.slice(text.indexOf('最久未办结的 5 件：')).split('\n').slice(1, 6);
    expect(oldest.map((l) => l.split('【')[0])).toEqual(open.slice(0, 5).map((x, i) => `${i + 1}. ${x.code}`));
    // The chart went to every leader (rendered once), after the text.
    for (const l of LEADERS) expect(r.planned.filter((m) => m.to === l.id).at(-1)?.image?.bytes).toBeGreaterThan(10_000);
  });

  it("gives each village secretary their own village's figures and cadres, and nothing of the others", async () => {
    const r = await h.app.runJob('weekly-digest', { at: new Date(WEEKLY), dryRun: true });
    const from = Date.parse('2026-11-16T00:00:00+08:00');
    VILLAGES.forEach((name, v) => {
      const text = textTo(r.planned, `c${v}a`);
      const mine = (x: Req) => x.village === `v${v}`;
      expect(text).toContain(`【民情周报】${name} 11月16日—11月22日`);
      for (const l of headline(hand(from, from + 7 * DAY, NOW, mine), hand(from - 7 * DAY, from, NOW, mine), '上周')) expect(text).toContain(l);
      for (const c of cadres.filter((x) => x.village === v)) {
        const f = hand(from, from + 7 * DAY, NOW, (x) => mine(x) && x.owner === c.id);
        if (f.received || f.overdue || f.resolved || f.rated || f.filed || f.appeals) expect(text).toContain(`· ${c.name}：${line(f)}`);
      }
      for (const other of VILLAGES.filter((x) => x !== name)) expect(text).not.toContain(other);
      for (const c of cadres.filter((x) => x.village !== v)) expect(text).not.toContain(c.name);
      expect(r.planned.some((m) => m.to === `c${v}a` && m.image)).toBe(false); // one village: nothing to put side by side
    });
  });

  it('prints the month before in the monthly analysis, and each cadre’s 民情日记 and visits in the quarterly review', async () => {
    const m = await h.app.runJob('monthly-analysis', { at: new Date('2026-11-02T08:00:00+08:00'), dryRun: true });
    expect(m.status).toBe('done');
    const oct = hand(Date.parse('2026-10-01T00:00:00+08:00'), Date.parse('2026-11-01T00:00:00+08:00'), Date.parse('2026-11-02T08:00:00+08:00'));
    const sep = hand(Date.parse('2026-09-01T00:00:00+08:00'), Date.parse('2026-10-01T00:00:00+08:00'), 0);
    const text = textTo(m.planned, 'zhenzhang');
    expect(text).toContain('【民情分析·10月】石桥镇（10月1日—10月31日）');
    for (const l of headline(oct, sep, '上月')) expect(text).toContain(l);
    expect(text).toContain('🔁 反复出现的问题：');
    expect(textTo(m.planned, 'c0a')).toContain('请在村民情分析会上逐项研究');

    const firstDay = h.app.deps.calendar.onOrAfter('2026-10-01');
    const q = await h.app.runJob('quarterly-review', { at: new Date(`${firstDay}T09:00:00+08:00`), dryRun: true });
    expect(q.status).toBe('done');
    expect(q.planned.some((x) => x.to.startsWith('c'))).toBe(false); // leaders only
    const qt = textTo(q.planned, 'fenguan');
    const at = Date.parse(`${firstDay}T09:00:00+08:00`);
    const q3 = hand(Date.parse('2026-07-01T00:00:00+08:00'), Date.parse('2026-10-01T00:00:00+08:00'), at);
    const q2 = hand(Date.parse('2026-04-01T00:00:00+08:00'), Date.parse('2026-07-01T00:00:00+08:00'), 0);
    for (const l of headline(q3, q2, '上季度')) expect(qt).toContain(l);
    cadres.forEach((c, k) => {
      const n = k % 17;
      const visits = Math.ceil(n / 3);
      expect(qt).toContain(`${n < 13 ? '⚠️' : ''}${c.name}：日记 ${n} 篇｜走访 ${visits} 户｜`);
    });
  });
});
