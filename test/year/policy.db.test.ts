import { periodRows } from '../../src/db/repos/metrics';
import { total } from '../../src/domain/metrics';
import { weekPeriod } from '../../src/domain/report-period';
import { loadDashboard, trendOf } from '../../src/web/reports/dashboard-data';
import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from '../lifecycle/sandbox';

/**
 * The local-policy settings (docs/interface.md#environment) are what the rules use: the untaken chase
 * and 响应率 (RESPONSE_WORKING_HOURS), the warning (DEADLINE_WARN_WORKING_HOURS), the 未评价 close
 * (UNRATED_CLOSE_WORKDAYS) and the 申诉's time (APPEAL_WORKDAYS). The defaults are tested everywhere else.
 */
describe.each(dialects())('policy settings in the rules (%s)', (dialect) => {
  let sb: Sandbox;
  const env = { RESPONSE_WORKING_HOURS: '1', DEADLINE_WARN_WORKING_HOURS: '8', UNRATED_CLOSE_WORKDAYS: '1', APPEAL_WORKDAYS: '5' };
  beforeEach(async () => {
    sb = await startSandbox(dialect, { env }); // Thu 2026-11-26 10:00
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  const run = async (job: string, at: string) => {
    sb.h.clock.set(at);
    const r = await sb.h.app.runJob(job, { at: new Date(at) });
    await sb.h.app.settle();
    return r;
  };

  it('chases an untaken request after one working hour and counts 响应率 against one hour', async () => {
    const req = await sb.report(await sb.villager('袁志弟'), '垃圾没人清理');
    expect(await sb.during('li', () => run('deadline-watch', '2026-11-26T10:30:00+08:00'))).toEqual([]);
    expect(await sb.during('li', () => run('deadline-watch', '2026-11-26T11:00:00+08:00'))).toEqual([
      `📮 群众诉求 ${req.code}（关沟村：垃圾没人清理）已超过1个工作小时无人受理，请尽快受理。`,
    ]);
    sb.h.clock.set('2026-11-26T11:30:00+08:00');
    await sb.accept('li', req.code);
    const { db, calendar } = sb.h.app.deps;
    const week = { from: Date.parse('2026-11-23T00:00:00+08:00'), to: Date.parse('2026-11-30T00:00:00+08:00') };
    expect(total(await periodRows(db, calendar, week, null, 3600_000)).responded).toBe(0);
    expect(total(await periodRows(db, calendar, week, null)).responded).toBe(1); // within the default 2 hours
    // The dashboard and its trend count against the same hour as the digest.
    const now = Date.parse('2026-11-26T11:30:00+08:00');
    const p = weekPeriod('2026-11-26', now);
    expect(p.cur).toEqual(week);
    expect(total((await loadDashboard(sb.h.app.deps, null, p, now)).rows)).toMatchObject({ received: 1, responded: 0 });
    expect((await trendOf(sb.h.app.deps, null, p, now)).at(-1)).toMatchObject({ from: week.from, received: 1, responseRate: 0 });
  });

  it('warns eight working hours before the deadline', async () => {
    sb.h.clock.set('2026-11-26T09:00:00+08:00');
    const req = await sb.report(await sb.villager('袁志弟'), '路灯坏了');
    await sb.accept('li', req.code); // due Fri 11-27 17:30
    expect(await sb.during('li', () => run('deadline-watch', '2026-11-27T09:00:00+08:00'))).toEqual([]); // 8.5 h left
    expect(await sb.during('li', () => run('deadline-watch', '2026-11-27T09:30:00+08:00'))).toEqual([expect.stringContaining(`⏰ 事项 ${req.code}`)]);
  });

  it('closes as 未评价 after one working day, and tells the villager', async () => {
    const v = await sb.villager('袁志弟');
    const req = await sb.report(v, '水渠堵了');
    await sb.accept('li', req.code);
    await sb.send('li', `办结 ${req.code} 已清淤`);
    expect((await run('satisfaction-timeout', '2026-11-27T09:00:00+08:00')).summary).toBe('0 closed as 未评价');
    const told = await sb.during(v, () => run('satisfaction-timeout', '2026-11-30T09:00:00+08:00'));
    expect(told).toEqual([`您反映的问题（编号 ${req.code}）办结已满1个工作日，未收到您的评价，已按“未评价”销号。如问题仍未解决，请直接发消息告诉我们。`]);
    expect(await sb.last('li')).toBe(`事项 ${req.code} 群众1个工作日内未评价，已按“未评价”销号。`);
    expect(await sb.req(req.id)).toMatchObject({ status: 'closed', closeReason: 'no_answer' });
  });

  it('gives an appeal five working days', async () => {
    const v = await sb.villager('袁志弟');
    const req = await sb.report(v, '要求再划一块宅基地');
    await sb.accept('li', req.code);
    await sb.send('li', `否定 ${req.code} 依据：宅基地一户一宅；理由：已有宅基地`);
    await sb.send('wang', `同意 ${req.code}`);
    await sb.send(v, '申诉 我家人口多');
    expect(await sb.req(req.id)).toMatchObject({ status: 'accepted', deadline: '2026-12-03T17:30:00+08:00' });
  });
});
