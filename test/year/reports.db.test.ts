import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from '../lifecycle/sandbox';

/**
 * The figures seed 004 reports and the year's reports (docs/interface.md#figures, #year): people
 * received beside requests, the 代办/诉求/纠纷 split and the same period last year in the analyses;
 * 半年小结 and 年终总评 with each cadre's 否定报备, the diaries' 审阅 and 自评, and the visit duties.
 */
describe.each(dialects())('the year figures and reports (%s)', (dialect) => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox(dialect, { at: '2025-11-10T10:00:00+08:00' });
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  let minute = 0;
  /** A report a few minutes after the last, so that it is a request of its own. */
  const report = async (who: string, text: string, day: string) => {
    minute += 5;
    sb.h.clock.set(`${day}T${String(9 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00+08:00`);
    return sb.report(await sb.villager(who), text);
  };

  const seed = async () => {
    // Last November: 袁志弟 three times, 王秀英 once.
    for (const t of ['路灯坏了', '水管漏了', '垃圾没人清']) await report('袁志弟', t, '2025-11-10');
    await report('王秀英', '村道有坑', '2025-11-11');
    // This November: 袁志弟 twice (a 代办 and a 纠纷), 马桂兰 once; li refuses one, wang approves.
    const dibao = await report('袁志弟', '我想申请低保', '2026-11-10');
    const dispute = await report('袁志弟', '邻居占我家宅基地，发生纠纷', '2026-11-10');
    const lamp = await report('马桂兰', '村口路灯坏了', '2026-11-11');
    await sb.accept('li', lamp.code);
    await sb.send('li', `办结 ${lamp.code} 已换灯泡`);
    await sb.accept('li', dispute.code);
    await sb.send('li', `否定 ${dispute.code} 依据：宅基地确权登记；理由：界址清楚，不属于占地`);
    await sb.send('wang', `同意 ${dispute.code}`);
    return { dibao, dispute, lamp };
  };

  it('the monthly analysis shows people received, the split, and the same month last year', async () => {
    await seed();
    const planned = (await sb.h.app.runJob('monthly-analysis', { at: new Date('2026-12-01T08:00:00+08:00'), dryRun: true })).planned;
    const wang = planned.filter((l) => l.to === 'wang').map((l) => l.text).join('\n');
    expect(wang).toContain('受理 3 件（较上月 +3）');
    expect(wang).toContain('同比（去年同期）：受理 3 件，去年 4 件（−25%）｜接待 2 人，去年 2 人（持平）｜办结率 +50｜满意率 —');
    expect(wang).toContain('接待群众 2 人，受理 3 件：代办 1 件（办结 0）、诉求 1 件（办结 1）、纠纷 1 起（调处 0）');
    // 李四's remit is 关沟村 alone: 王秀英 (白垭村) is not in last year's figures for him.
    const li = planned.filter((l) => l.to === 'li').map((l) => l.text).join('\n');
    expect(li).toContain('同比（去年同期）：受理 3 件，去年 3 件（持平）｜接待 2 人，去年 1 人（+100%）');
  });

  it('the year-end review: the year against the last, each cadre\'s 否定报备, the diaries reviewed, the visits; jobs run --dry-run shows it', async () => {
    await seed();
    sb.h.clock.set('2026-11-20T10:00:00+08:00');
    await sb.send('zhangsan', '日记 4 调解邻里纠纷');
    sb.h.clock.set('2026-10-09T10:00:00+08:00');
    await sb.send('li', '审阅 张三 很好'); // Q3's review
    await sb.send('zhangsan', '自评 三季度走访偏少');
    const r = await sb.h.app.runJob('year-end-review', { at: new Date('2027-01-01T09:30:00+08:00'), dryRun: true });
    expect(r.status).toBe('done');
    expect(r.planned.map((l) => l.to).filter((v, i, a) => a.indexOf(v) === i)).toEqual(['chen', 'wang']);
    const text = r.planned.filter((l) => l.to === 'wang').map((l) => l.text).join('\n');
    expect(text).toContain('【年终总评·2026年】县河镇（1月1日—12月31日）');
    expect(text).toContain('受理 3 件（较去年 −1）');
    expect(text).toContain('接待群众 2 人，受理 3 件：代办 1 件（办结 0）、诉求 1 件（办结 1）、纠纷 1 起（调处 0）');
    expect(text).toContain('否定报备（2026年，计入干部年终考核）：\n· 李四：报备 1 件，批准 1 件');
    expect(text).toContain('· ⚠️张三：1 篇｜审阅 1✗ 2✗ 3✓ 4✗｜自评 1✗ 2✗ 3✓ 4✗');
    expect(text).toContain('【走访情况】\n村主干每月走访满10户的月数：刘明 0/12；周芳 0/12；吴伟 0/12；郑红 0/12；李四 0/12');
    expect(text).toContain('驻村干部走访农户（每半年走遍）及户主会：何晓燕 H1 0/0 H2 0/0（户主会 Q1:0 Q2:0 Q3:0 Q4:0）；');
    expect(text).toContain('尚未结对帮扶：何晓燕、刘明、唐志强、吴伟、张三、郑红、周芳');
    expect((await sb.h.app.runJob('year-end-review', { at: new Date('2027-01-04T09:30:00+08:00'), dryRun: true })).status).toBe('skipped');
  });

  it('the half-year review compares with the half before and the same half last year', async () => {
    await seed();
    const r = await sb.h.app.runJob('half-year-review', { at: new Date('2027-07-01T09:30:00+08:00'), dryRun: true });
    const text = r.planned.filter((l) => l.to === 'chen').map((l) => l.text).join('\n');
    expect(text).toContain('【半年小结·2027年上半年】县河镇（1月1日—6月30日）');
    expect(text).toContain('受理 0 件（较去年下半年 −3）');
    expect(text).toContain('同比（去年同期）：受理 0 件，去年 0 件（持平）');
    const h2 = await sb.h.app.runJob('half-year-review', { at: new Date('2026-12-31T12:00:00+08:00'), dryRun: true });
    expect(h2.status).toBe('skipped'); // July only
  });
});
