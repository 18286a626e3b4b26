import { WorkCalendar } from '../../src/domain/calendar';
import { nextSlots, parseCron } from '../../src/jobs/cron';
import { jobById } from '../../src/jobs';
import { charts } from '../../src/jobs/reports/chart';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { startHarness } from '../helpers/harness';
import { Sandbox, startSandbox } from '../lifecycle/sandbox';
import { json } from '../helpers/json';

/** The weekly digest and the analyses as people get them: remit, chart, failures, dry run, holidays. */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MONDAY = '2026-11-30T07:30:00+08:00';

describe.each(dialects())('the leader digests (%s)', (dialect) => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox(dialect, { at: '2026-11-24T10:00:00+08:00' });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await sb.close();
  });
  afterAll(dropCreatedDatabases);

  const inbox = async (as: string) => (await json(await sb.h.fetch(`/sandbox/api/inbox?as=${as}`))).messages.filter((m: any) => m.direction === 'out');
  /** Last week: one request in 关沟村 taken and resolved, one in 白垭村 taken and left to run late. */
  async function lastWeek() {
    const yuan = await sb.villager('袁志弟');
    const a = await sb.report(yuan, '村口路灯坏了三天了');
    await sb.accept('li', a.code);
    await sb.send('li', `办结 ${a.code} 已换新灯泡`);
    const other = await sb.newVillager('黄菊花', 'baiya');
    const b = await sb.report(other, '水渠堵了，田里灌不上水');
    await sb.accept('liuming', b.code);
    return { a, b };
  }
  const run = async (at: string, dryRun = false) => {
    sb.h.clock.set(at);
    const r = await sb.h.app.runJob('weekly-digest', { at: new Date(at), dryRun });
    await sb.h.app.settle();
    return r;
  };

  it('sends each leader the township text and then the chart as a real PNG; a secretary gets their village only', async () => {
    const { b } = await lastWeek();
    const r = await run(MONDAY);
    expect(r.status).toBe('done');
    const wang = await inbox('wang');
    expect(wang.map((m: any) => m.kind)).toEqual(['text', 'image']);
    const text = wang[0].payload.text as string;
    expect(text).toContain('【民情周报】县河镇 11月23日—11月29日');
    expect(text).toContain('受理 2 件（较上周 +2）');
    expect(text).toContain('⚠️ 有超期事项的村（1 个）：\n· 白垭村 1 件，最早：' + b.code);
    expect(text).toContain('· 关沟村：受理 1｜响应 100%｜按时 100%｜办结 100%｜满意 —｜超期 0');
    expect(text).toContain('各村对比图见下一条消息。');
    const png = Buffer.from(wang[1].payload.pngBase64, 'base64');
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.length).toBeGreaterThan(10_000);
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(640); // IHDR width
    expect(wang[1].payload.caption).toBe('民情周报图表：县河镇 11月23日—11月29日');

    const li = (await inbox('li')).filter((m: any) => m.kind !== 'card');
    const liText = li.filter((m: any) => m.payload.text?.startsWith('【民情周报】')).map((m: any) => m.payload.text).join('\n');
    expect(liText).toContain('【民情周报】关沟村 11月23日—11月29日');
    expect(liText).toContain('受理 1 件（较上周 +1）');
    expect(liText).not.toContain('白垭村');
    expect(liText).not.toContain(b.code);
    expect(li.some((m: any) => m.kind === 'image')).toBe(false);
    expect(await sb.h.app.db.query("SELECT id FROM job_run WHERE job = 'weekly-digest' AND status = 'done'")).toHaveLength(1);
  });

  it('sends the text anyway when the chart fails, says the chart is missing, and logs why', async () => {
    await lastWeek();
    jest.spyOn(charts, 'render').mockImplementation(() => {
      throw new Error('CJK font not found');
    });
    const r = await run(MONDAY);
    expect(r.status).toBe('done');
    expect(r.summary).toContain('without the chart (render failed)');
    const wang = await inbox('wang');
    expect(wang.map((m: any) => m.kind)).toEqual(['text']);
    expect(wang[0].payload.text).toContain('（本期图表生成失败，这次只发文字版，已记录原因。）');
    expect(wang[0].payload.text).toContain('受理 2 件');
    const logged = sb.h.logs().filter((l) => l.msg === 'chart failed to render; the text goes out without it');
    expect(logged).toHaveLength(1); // rendered once for all the leaders' identical remit
    expect((logged[0].err as any).message).toBe('CJK font not found');
  });

  it('prints a dry run as one line per message, the chart as its size, and sends nothing', async () => {
    await lastWeek();
    const before = await sb.h.app.db.query('SELECT id FROM outbox_message');
    const r = await run(MONDAY, true);
    expect(r.planned).toEqual(
      expect.arrayContaining([
        { to: 'wang', channel: 'sandbox', text: expect.stringContaining('【民情周报】县河镇') },
        { to: 'wang', channel: 'sandbox', image: { bytes: expect.any(Number), caption: '民情周报图表：县河镇 11月23日—11月29日' } },
        { to: 'li', channel: 'sandbox', text: expect.stringContaining('【民情周报】关沟村') },
      ]),
    );
    expect(r.planned.find((l) => l.image)!.image!.bytes).toBeGreaterThan(10_000);
    for (const l of r.planned) expect(Object.keys(l).sort()).toEqual(expect.arrayContaining(['channel', 'to']));
    for (const l of r.planned.filter((x) => x.text)) expect(Buffer.byteLength(l.text!)).toBeLessThanOrEqual(2048);
    expect(await sb.h.app.db.query('SELECT id FROM outbox_message')).toHaveLength(before.length);
    expect(await sb.h.app.db.query("SELECT id FROM job_run WHERE job = 'weekly-digest'")).toHaveLength(0);
  });

  it('moves the digest to the first working day when Monday is a holiday', async () => {
    expect((await run('2026-10-05T07:30:00+08:00', true)).status).toBe('skipped'); // National Day
    expect((await run('2026-10-05T07:30:00+08:00', true)).summary).toBe('2026-10-05 is not a working day');
    const thu = await run('2026-10-08T07:30:00+08:00', true);
    expect(thu.status).toBe('done');
    expect(thu.planned.find((l) => l.to === 'wang')?.text).toContain('【民情周报】县河镇 9月28日—10月4日');
    expect((await run('2026-10-09T07:30:00+08:00', true)).status).toBe('skipped');
  });

  it('sends the monthly analysis to each village secretary for the village meeting, and the leaders', async () => {
    await lastWeek();
    const r = await sb.h.app.runJob('monthly-analysis', { at: new Date('2026-12-01T08:00:00+08:00'), dryRun: true });
    expect(r.status).toBe('done');
    const li = r.planned.filter((l) => l.to === 'li').map((l) => l.text).join('\n');
    expect(li).toContain('【民情分析·11月】关沟村（11月1日—11月30日）');
    expect(li).toContain('请在村民情分析会上逐项研究');
    expect(li).not.toContain('白垭村');
    expect(r.planned.filter((l) => l.to === 'wang').map((l) => l.text ?? '').join('\n')).toContain('【民情分析·11月】县河镇');
  });
});

describe('report schedule and bad input', () => {
  afterAll(dropCreatedDatabases);

  it('runs the monthly and quarterly analyses on the first working day even after a long holiday', () => {
    const cal = new WorkCalendar();
    const firstRun = (id: string, from: string) => {
      const job = jobById(id)!;
      return nextSlots(parseCron(job.cron), new Date(from), 40).find((at) => job.day(cal, at).run)?.toISOString();
    };
    expect(firstRun('quarterly-review', '2026-09-30T12:00:00+08:00')).toBe(new Date('2026-10-08T09:00:00+08:00').toISOString());
    expect(firstRun('monthly-analysis', '2026-09-30T12:00:00+08:00')).toBe(new Date('2026-10-08T08:00:00+08:00').toISOString());
    expect(firstRun('monthly-analysis', '2026-11-15T12:00:00+08:00')).toBe(new Date('2026-12-01T08:00:00+08:00').toISOString());
    expect(firstRun('weekly-digest', '2026-10-04T12:00:00+08:00')).toBe(new Date('2026-10-08T07:30:00+08:00').toISOString());
  });

  it('says so, and sends nothing, when no org is loaded', async () => {
    const h = await startHarness({ databaseUrl: await freshDatabaseUrl('sqlite'), platform: 'sandbox', overrides: { importOrgFile: false } });
    try {
      const r = await h.app.runJob('weekly-digest', { at: new Date(MONDAY), dryRun: true });
      expect(r.planned).toEqual([]);
      expect(['done', 'skipped']).toContain(r.status); // the runner may skip jobs before they start when no org is loaded
      const warned = h.logs().filter((l) => l.level === 40 && (l.msg === 'no leaders or village secretaries in the org directory; no digest sent' || l.msg === 'job skipped'));
      expect(warned).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});
