import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from '../lifecycle/sandbox';

/** 联席会议 and 督办单, 民情日记 and outreach reminders, 未评价 close-out (7; docs/rules.md#6, #7, #11). */
describe.each(dialects())('the weekly duties (%s)', (dialect) => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  const run = async (job: string, at: string) => {
    sb.h.clock.set(at);
    const r = await sb.h.app.runJob(job, { at: new Date(at) });
    await sb.h.app.settle();
    return r;
  };

  it('lists the joint meeting for the leaders, and a 督办单 is carried out and chased', async () => {
    const v = await sb.villager('袁志弟');
    sb.h.clock.set('2026-12-01T10:00:00+08:00'); // a Tuesday service day
    const req = await sb.report(v, '村口桥栏杆断了');
    await sb.accept('luo', req.code);
    const list = await sb.during('wang', () => run('joint-meeting', '2026-12-07T08:00:00+08:00'));
    expect(list).toHaveLength(1);
    expect(list[0]).toContain('上次驻村服务日（2026-12-01）受理 1 件');
    expect(list[0]).toContain(req.code);
    expect(list[0]).toContain('超期 1 件');

    expect((await sb.during('wang', () => sb.send('wang', `督办 ${req.code} 李四 12月9日 本周内修好栏杆`)))[0]).toMatch(/督办单 #\d+ 已下达给李四/);
    const card = await sb.card('li', req.code, undefined);
    expect(card.title).toMatch(/^督办单 #\d+$/);
    expect(card.buttons.map((b) => b.label)).toEqual(['已落实']);
    expect(await sb.during('li', () => run('deadline-watch', '2026-12-09T14:00:00+08:00'))).toEqual(expect.arrayContaining([expect.stringContaining('督办单')]));

    await sb.h.fetch('/sandbox/api/tap', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: 'li', taskId: card.taskId, action: 'fulfil', clientId: 'f1' }) });
    await sb.h.app.settle();
    const told = await sb.during('wang', () => sb.send('li', '栏杆已焊好'));
    expect(told).toEqual([expect.stringContaining('李四已落实督办单')]);
    const events = (await sb.events(req.id)).map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['supervision_issued', 'supervision_done']));
    const ledger = await sb.h.fetch('/api/v1/ledger.csv', { headers: { authorization: 'Bearer test-admin-token' } });
    expect(await ledger.text()).toContain('已落实');
  });

  it('takes 落实 编号 情况 by text where there are no cards', async () => {
    const v = await sb.villager('袁志弟');
    const req = await sb.report(v, '河堤有裂缝');
    await sb.accept('li', req.code);
    await sb.send('wang', `督办 ${req.code} li 12月9日 汛前加固`);
    const told = await sb.during('wang', () => sb.send('li', `落实 ${req.code} 已用沙袋加固`));
    expect(told).toEqual([expect.stringContaining('李四已落实督办单')]);
    expect((await sb.during('li', () => sb.send('li', `落实 ${req.code} 再报一次`)))[0]).toContain('已经落实');
  });

  it('moves the joint meeting to the first working day when Monday is a holiday, and refuses 督办 from a non-leader', async () => {
    expect((await run('joint-meeting', '2026-10-05T08:00:00+08:00')).status).toBe('skipped');
    expect((await run('joint-meeting', '2026-10-08T08:00:00+08:00')).status).toBe('done'); // Thu after National Day
    expect((await run('joint-meeting', '2026-10-09T08:00:00+08:00')).status).toBe('skipped');
    expect((await sb.during('li', () => sb.send('li', '督办 20261126-001 张三 12月9日 快办')))[0]).toContain('督办单由镇领导下达');
  });

  it('reminds everyone who keeps a 民情日记 (leaders and township staff too) with none this week, and not those who wrote one', async () => {
    await sb.send('li', '日记 走访关沟村三组，了解到路灯问题');
    const r = await run('diary-reminder', '2026-11-27T16:00:00+08:00');
    expect(r.summary).toMatch(/^12 of 13 diary keepers reminded/); // all but the county centre's shared account
    expect((await sb.texts('wang')).some((t) => t.includes('本周您还没有写民情日记'))).toBe(true);
    expect((await sb.texts('xian')).some((t) => t.includes('民情日记'))).toBe(false);
    expect((await sb.texts('luo')).some((t) => t.includes('本周您还没有写民情日记'))).toBe(true);
    expect((await sb.texts('li')).some((t) => t.includes('本周您还没有写民情日记'))).toBe(false);
  });

  it('reminds village heads below 10 visits and cadres who missed their paired household (no register: the pairs as the org file names them)', async () => {
    sb.h.clock.set('2026-11-24T15:00:00+08:00');
    await sb.send('luo', '走访 袁志弟家 身体好，地里活忙完了');
    await run('outreach-reminder', '2026-11-25T09:00:00+08:00');
    const li = await sb.texts('li');
    expect(li.some((t) => t.includes('本月已走访 0 户，按要求每月不少于10户'))).toBe(true);
    expect(li.some((t) => t.includes('结对帮扶户马桂兰本月还未走访'))).toBe(true);
    expect((await sb.texts('luo')).some((t) => t.includes('结对帮扶户'))).toBe(false);
    expect((await sb.h.app.runJob('outreach-reminder', { at: new Date('2026-10-25T09:00:00+08:00'), dryRun: true })).status).toBe('skipped'); // a Sunday
  });

  it('closes a resolved request nobody rated within 3 working days as 未评价', async () => {
    const v = await sb.villager('袁志弟');
    const req = await sb.report(v, '水渠堵了');
    await sb.accept('li', req.code);
    await sb.send('li', `办结 ${req.code} 已清淤`);
    expect((await run('satisfaction-timeout', '2026-12-01T09:00:00+08:00')).summary).toBe('0 closed as 未评价');
    const r = await run('satisfaction-timeout', '2026-12-02T09:00:00+08:00');
    expect(r.summary).toBe(`1 closed as 未评价: ${req.code}`);
    expect(await sb.req(req.id)).toMatchObject({ status: 'closed', satisfaction: null });
    expect((await sb.events(req.id)).map((e) => e.type)).toContain('closed');
  });
});
