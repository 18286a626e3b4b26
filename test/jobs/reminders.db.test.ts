import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from '../lifecycle/sandbox';

/**
 * deadline-watch: warnings before the deadline, overdue notices following the
 * request's level, each stage once per deadline, nothing outside 08:00–20:00 or on a holiday.
 */
describe.each(dialects())('deadline watch (%s)', (dialect) => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox(dialect); // Thu 2026-11-26 10:00
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  const watch = async (at: string) => {
    sb.h.clock.set(at);
    const r = await sb.h.app.runJob('deadline-watch', { at: new Date(at) });
    await sb.h.app.settle();
    return r;
  };

  it('warns, then reports overdue, then tells the leaders — each once', async () => {
    const v = await sb.villager('袁志弟');
    const req = await sb.report(v, '村口路灯坏了三天了');
    await sb.accept('li', req.code); // general: due Fri 11-27 17:30
    expect((await sb.req(req.id)).deadline).toBe('2026-11-27T17:30:00+08:00');

    expect(await sb.during('li', () => watch('2026-11-27T09:00:00+08:00'))).toEqual([]); // 8.5 working hours left
    const warn = await sb.during('li', () => watch('2026-11-27T14:00:00+08:00'));
    expect(warn).toEqual([expect.stringContaining('⏰ 事项 ' + req.code)]);
    expect(await sb.during('li', () => watch('2026-11-27T14:30:00+08:00'))).toEqual([]);

    // Overdue on Monday morning: owner (li, also the village secretary) once; leaders not yet.
    const overdue = await sb.during('li', () => watch('2026-11-30T08:00:00+08:00'));
    expect(overdue).toEqual([expect.stringContaining('⚠️ 事项 ' + req.code)]);
    expect(await sb.during('wang', () => watch('2026-11-30T12:00:00+08:00'))).toEqual([]);
    // One full working day past due: township leaders.
    const leaders = await sb.during('wang', () => watch('2026-12-01T08:30:00+08:00'));
    expect(leaders).toEqual([expect.stringContaining('已超期一个工作日以上')]);
    expect(await sb.during('wang', () => watch('2026-12-01T09:00:00+08:00'))).toEqual([]);
  });

  it('sends nothing outside 08:00–20:00, and on a holiday nothing to the owner (the township duty hears of the overdue: test/year)', async () => {
    const v = await sb.villager('袁志弟');
    const req = await sb.report(v, '自来水停了');
    await sb.accept('li', req.code);
    expect((await watch('2026-11-30T20:30:00+08:00')).summary).toContain('outside 08:00–20:00');
    expect((await sb.h.app.runJob('deadline-watch', { at: new Date('2026-11-29T10:00:00+08:00') })).summary).toContain('2026-11-29 is not a working day: township duty');
    expect(await sb.texts('li')).not.toEqual(expect.arrayContaining([expect.stringContaining('⚠️')]));
  });

  it('chases a new request nobody took for two working hours, once', async () => {
    const v = await sb.villager('袁志弟');
    const req = await sb.report(v, '垃圾没人清理');
    const first = await sb.during('luo', () => watch('2026-11-26T12:30:00+08:00'));
    expect(first).toEqual([expect.stringContaining(`群众诉求 ${req.code}`)]);
    expect(await sb.during('zhao', () => watch('2026-11-26T13:00:00+08:00'))).toEqual([]);
    expect((await sb.texts('zhao')).filter((t) => t.includes(req.code))).toHaveLength(1);
  });

  it('warns again for a new deadline after the villager reopened the request', async () => {
    const v = await sb.villager('袁志弟');
    const req = await sb.report(v, '路灯坏了');
    await sb.accept('li', req.code);
    await watch('2026-11-27T14:00:00+08:00');
    await sb.send('li', `办结 ${req.code} 已更换灯泡`);
    await sb.send(v, '2');
    const fresh = await sb.req(req.id);
    expect(fresh.status).toBe('accepted');
    expect(fresh.deadline).toBe('2026-11-30T17:30:00+08:00');
    const again = await sb.during('li', () => watch('2026-11-30T14:00:00+08:00'));
    expect(again).toEqual([expect.stringContaining('⏰ 事项 ' + req.code)]);
  });
});
