import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from '../lifecycle/sandbox';

/**
 * Township duty on days off (docs/interface.md#year, seed 000 §二): a new request on a Saturday goes to
 * the village's Saturday duty and the township duty; deadline-watch runs on days off too and chases
 * the untaken and the overdue with that day's township duty; start and every import warn of a hole.
 * org.example.json: Saturday 关沟村 张三 (zhangsan), township 陈丽 (chen) + 孙敏 (sun); Sunday 王建国 (wang) + 赵平 (zhao).
 */
describe.each(dialects())('township duty on days off (%s)', (dialect) => {
  let sb: Sandbox;
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  const watch = async (at: string, dryRun = false) => {
    sb.h.clock.set(at);
    const r = await sb.h.app.runJob('deadline-watch', { at: new Date(at), dryRun });
    await sb.h.app.settle();
    return r;
  };

  it("a Saturday's request goes to the village's Saturday duty and the township duty, not to the resident cadre", async () => {
    sb = await startSandbox(dialect, { at: '2026-11-28T10:00:00+08:00' });
    const req = await sb.report(await sb.villager('袁志弟'), '村口路灯坏了');
    for (const who of ['zhangsan', 'chen', 'sun']) expect((await sb.cards(who)).map((c) => c.code)).toEqual([req.code]);
    for (const who of ['li', 'luo', 'wang', 'zhao']) expect(await sb.cards(who)).toEqual([]);
    expect(req.events[0].data.recipients).toEqual(['zhangsan', 'chen', 'sun']);
  });

  it('on a Saturday, an untaken request is chased to the duty after two hours, once that day, and again on Sunday', async () => {
    sb = await startSandbox(dialect, { at: '2026-11-28T09:00:00+08:00' });
    const req = await sb.report(await sb.villager('袁志弟'), '自来水停了');
    expect((await watch('2026-11-28T10:30:00+08:00')).summary).toContain('0 reminders');
    const chase = await sb.during('chen', () => watch('2026-11-28T11:00:00+08:00'));
    expect(chase).toEqual([`📮 今天是休息日，群众诉求 ${req.code}（关沟村：自来水停了）已超过2小时无人受理，请值班同志尽快受理或安排。`]);
    expect(await sb.during('zhangsan', () => watch('2026-11-28T11:30:00+08:00'))).toEqual([]);
    expect((await sb.texts('zhangsan')).filter((t) => t.includes(req.code))).toHaveLength(1);
    // Sunday's duty is someone else: they hear of it, get the card and can take it.
    const sunday = await sb.during('wang', () => watch('2026-11-29T08:00:00+08:00'));
    expect(sunday).toEqual([expect.stringContaining(`群众诉求 ${req.code}`)]);
    expect((await sb.texts('chen')).filter((t) => t.includes(req.code))).toHaveLength(1);
    await sb.accept('wang', req.code);
    expect((await sb.req(req.id)).owner).toEqual({ id: 'wang', name: '王建国' });
    expect((await sb.card('chen', req.code)).closedNote).toBe('已由王建国受理');
  });

  it('through Golden Week the overdue are reported to each day\'s township duty, each day once; jobs run --dry-run shows it', async () => {
    sb = await startSandbox(dialect, { at: '2026-09-29T10:00:00+08:00' });
    const req = await sb.report(await sb.villager('袁志弟'), '村道塌方需要修');
    await sb.accept('li', req.code); // general: due Wed 09-30 17:30
    await watch('2026-09-30T18:00:00+08:00'); // overdue on the last working day: owner and secretary (li)

    const planned = (await watch('2026-10-03T08:00:00+08:00', true)).planned; // Saturday of the holiday: chen + sun
    expect(planned.map((l) => l.to)).toEqual(['chen', 'sun']);
    expect(planned[0].text).toBe(`【值班提醒】10月3日（休息日）有 1 件事项已超期在办，请值班领导督促：\n· ${req.code}【办理中】关沟村 村道塌方需要修，负责人：李四，时限：9月30日 17:30`);

    const sat = await sb.during('sun', () => watch('2026-10-03T08:00:00+08:00'));
    expect(sat).toEqual([planned[0].text]);
    expect(await sb.during('sun', () => watch('2026-10-03T15:00:00+08:00'))).toEqual([]);
    // 10-05 (Monday of the holiday) has its own date roster: wang + sun.
    expect(await sb.during('wang', () => watch('2026-10-05T09:00:00+08:00'))).toEqual([expect.stringContaining('10月5日（休息日）有 1 件')]);
    expect(await sb.during('chen', () => watch('2026-10-05T09:30:00+08:00'))).toEqual([]);
  });

  it('says so when a day off has nobody on township duty', async () => {
    sb = await startSandbox(dialect, { at: '2026-11-26T10:00:00+08:00' });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mq-org-')), 'org.json');
    const org = JSON.parse(fs.readFileSync('org.example.json', 'utf8'));
    org.township.duty = { sun: ['wang'] };
    org.villages[1].duty.wed = [];
    fs.writeFileSync(file, JSON.stringify(org));
    await sb.h.app.importOrg(file);
    const warnings = sb.h.logs().filter((l) => String(l.msg).startsWith('duty:')).map((l) => l.msg);
    expect(warnings).toEqual(['duty: village baiya has nobody active on duty on wed', 'duty: no township duty on sat (org file township.duty)']);
    const r = await watch('2026-11-28T10:00:00+08:00');
    expect(r.summary).toBe('2026-11-28 is not a working day and nobody is on township duty: nothing sent');
  });
});
