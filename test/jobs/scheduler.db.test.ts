import { FixedClock } from '../../src/clock';
import { parseConfig } from '../../src/config';
import { memoryLogger } from '../../src/log';
import { createApp } from '../../src/main';
import { runJob } from '../../src/jobs/runner';
import { JOBS } from '../../src/jobs';
import { nextSlots, parseCron, previousSlot } from '../../src/jobs/cron';
import type { Job } from '../../src/jobs/types';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { Harness, startHarness } from '../helpers/harness';

/** The scheduler: one run per (job, slot) even with two instances, late catch-up, failures contained. */
describe('cron arithmetic in Asia/Shanghai', () => {
  it('finds slots whatever the machine TZ', () => {
    const spec = parseCron('0 17 * * 1');
    expect(nextSlots(spec, new Date('2026-11-26T10:00:00+08:00'), 2).map((d) => d.toISOString())).toEqual([
      '2026-11-30T09:00:00.000Z',
      '2026-12-07T09:00:00.000Z',
    ]);
    expect(previousSlot(spec, new Date('2026-12-01T08:59:00+08:00'), 24 * 3600_000)?.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(previousSlot(spec, new Date('2026-12-01T17:01:00+08:00'), 24 * 3600_000)).toBeNull();
    expect(JOBS.map((j) => j.id)).toEqual(expect.arrayContaining(['service-day-eve', 'service-day', 'service-day-wrapup', 'joint-meeting', 'deadline-watch', 'diary-reminder', 'outreach-reminder', 'satisfaction-timeout']));
  });
});

describe.each(dialects())('the job runner (%s)', (dialect) => {
  let h: Harness;
  afterEach(() => h?.close());
  afterAll(dropCreatedDatabases);

  const outboxTexts = async (to: string) =>
    (await h.app.db.query<{ payload: string }>("SELECT payload FROM outbox_message WHERE recipient = ? AND kind = 'text' ORDER BY id", [to])).map((r) => JSON.parse(r.payload).text as string);
  const runs = (job: string) => h.app.db.query<{ status: string; late: number; summary: string }>('SELECT status, late, summary FROM job_run WHERE job = ? ORDER BY id', [job]);

  it('runs a slot exactly once when two instances race for it', async () => {
    const url = await freshDatabaseUrl(dialect);
    h = await startHarness({ databaseUrl: url, platform: 'sandbox', at: '2026-12-01T08:00:00+08:00' });
    const clock = new FixedClock('2026-12-01T08:00:00+08:00');
    const second = await createApp(parseConfig({ DATABASE_URL: url, ORG_FILE: 'org.example.json', PORT: '0' }), { clock, log: memoryLogger().log, startWorkers: false });
    try {
      const at = new Date('2026-12-01T08:00:00+08:00');
      const results = await Promise.all([h.app.runJob('service-day', { at }), second.runJob('service-day', { at }), h.app.runJob('service-day', { at })]);
      expect(results.map((r) => r.status).sort()).toEqual(['done', 'taken', 'taken']);
      expect(await runs('service-day')).toHaveLength(1);
      expect(await outboxTexts('luo')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('runs a slot missed while the server was down once, late, and says so', async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox', at: '2026-11-30T10:00:00+08:00' });
    expect(await h.app.scheduler.catchUp()).toEqual([]); // first start: nothing was "missed"
    h.clock.set('2026-12-01T11:00:00+08:00'); // down from Monday 10:00 to Tuesday 11:00
    const ran = await h.app.scheduler.catchUp();
    expect(ran).toEqual(expect.arrayContaining(['service-day-eve', 'service-day', 'deadline-watch']));
    expect(await h.app.scheduler.catchUp()).toEqual([]);
    const [run] = await runs('service-day');
    expect(Number(run.late)).toBe(1);
    expect(run.summary).toContain('late run');
    const luo = await outboxTexts('luo');
    expect(luo.some((t) => t.startsWith('（服务器恢复后补发，原定 12月1日 08:00）今天是驻村服务日'))).toBe(true);
    expect(h.logs().filter((l) => l.msg === 'slot was missed while the server was down; running it late' && l.job === 'service-day')).toHaveLength(1);
  });

  it('records a failing job, logs it, and keeps serving', async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox' });
    const broken: Job = { id: 'broken', cron: '* * * * *', description: 'fails', day: () => ({ run: true }), run: async () => { throw new Error('boom'); } };
    const r = await runJob(h.app.deps, broken, { at: new Date() });
    expect(r.status).toBe('failed');
    expect((await runs('broken'))[0].status).toBe('failed');
    expect(h.logs().some((l) => l.msg === 'job failed; it runs again at its next slot' && l.job === 'broken')).toBe(true);
    expect((await h.fetch('/healthz')).status).toBe(200);
  });

  it('prints a dry run and writes nothing', async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox' });
    const r = await h.app.runJob('service-day', { at: new Date('2026-12-01T08:00:00+08:00'), dryRun: true });
    expect(r.planned).toEqual(expect.arrayContaining([{ to: 'luo', channel: 'sandbox', text: '今天是驻村服务日，请到关沟村坐班，当面受理的事项请记得补录。' }]));
    expect(r.planned.some((l) => l.to === 'v1' && l.text?.includes('驻村服务日'))).toBe(true);
    expect(await runs('service-day')).toHaveLength(0);
    const [{ n }] = await h.app.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM outbox_message');
    expect(Number(n)).toBe(0);
  });

  it('skips a Tuesday that is not a working day and tells the leaders the evening before', async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox', at: '2026-10-05T17:00:00+08:00' });
    const eve = await h.app.runJob('service-day-eve', { at: new Date('2026-10-05T17:00:00+08:00') });
    expect(eve.summary).toContain('not a working day');
    expect(await outboxTexts('luo')).toEqual([]);
    expect((await outboxTexts('wang'))[0]).toContain('10月6日（周二）不是工作日，本周驻村服务日暂停');
    const day = await h.app.runJob('service-day', { at: new Date('2026-10-06T08:00:00+08:00') });
    expect(day).toMatchObject({ status: 'skipped', summary: '2026-10-06 is not a working day' });
    expect(await outboxTexts('luo')).toEqual([]);
  });
});
