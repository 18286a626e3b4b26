import { importHouseholds } from '../../src/db/households';
import { parseHouseholdRows } from '../../src/domain/households';
import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from '../lifecycle/sandbox';

/**
 * Households and visits (docs/interface.md#year, docs/rules.md#11): `走访 户主 情况` links the visit to
 * the register (asking the 组 when two households share a 户主), `户主会 村 内容` is recorded, and the
 * visit duties of seeds 000/001 drive the outreach reminder and the quarterly review.
 * org.example.json: 关沟村 secretary and director 李四 (li, 一肩挑), 张三 (zhangsan) its other cadre,
 * resident 罗先运 (luo, pair 袁志弟家); li's pair 马桂兰家; 白垭村 secretary 刘明, director 周芳.
 */
const OTHERS = ['赵一', '钱二', '孙三', '李五', '周六', '吴七', '郑八', '冯九', '陈十', '褚十一'];
const CSV: string[][] = [
  ['户主', '村', '组', '联系电话'],
  ['袁志弟', '关沟村', '2组', '13900000001'],
  ['马桂兰', '关沟村', '1组', ''],
  ['王大', '关沟村', '1组', ''],
  ['王大', '关沟村', '3组', ''],
  ...OTHERS.map((n) => [n, '关沟村', '2组', '']),
  ['王秀英', '白垭村', '1组', ''],
];

describe.each(dialects())('households, visits and the duties (%s)', (dialect) => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox(dialect, { at: '2026-11-10T10:00:00+08:00' });
    const { ok, refused } = parseHouseholdRows(CSV, sb.h.app.deps.directory.activeVillages());
    expect(refused).toEqual([]);
    await importHouseholds(sb.h.app.db, ok, Date.now());
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  const visits = async (personId: string) => (await sb.h.app.db.read.diary.between(['visit'], 0, Date.parse('2030-01-01'))).filter((e) => e.personId === personId);
  const householdId = async (head: string, group: string) => (await sb.h.app.db.read.households.list({})).find((h) => h.head === head && h.group === group)!.id;

  it('links 走访 to the household, asks the 组 when two share a 户主, and records one not in the register', async () => {
    expect(await sb.during('luo', () => sb.send('luo', '走访 袁志弟家 身体好，危房已修缮'))).toEqual(['已记录走访：关沟村2组袁志弟（已关联民情档案）。']);
    expect((await visits('luo'))[0].data).toEqual({ household: '袁志弟家', householdId: await householdId('袁志弟', '2'), villageId: 'guangou' });

    expect(await sb.during('li', () => sb.send('li', '走访 王大 反映灌溉渠漏水'))).toEqual(['民情档案里有2户户主叫王大（1组、3组），请回复是哪个组，例如“1组”（30分钟内有效）。']);
    expect(await sb.during('li', () => sb.send('li', '5组'))).toEqual(['没有“5组”的这一户，请从1组、3组中回复一个组。']);
    expect(await sb.during('li', () => sb.send('li', '三组'))).toEqual(['已记录走访：关沟村3组王大（已关联民情档案）。']);
    expect((await visits('li')).map((v) => [v.text, v.data?.householdId])).toEqual([['反映灌溉渠漏水', await householdId('王大', '3')]]);
    // Typed with the 组, no question.
    expect(await sb.during('li', () => sb.send('li', '走访 1组王大 已回复'))).toEqual(['已记录走访：关沟村1组王大（已关联民情档案）。']);

    expect(await sb.during('zhangsan', () => sb.send('zhangsan', '走访 不在册 路过看看'))).toEqual(['已记录走访：不在册。民情档案里没有找到这一户，未关联档案；如是户主姓名写法不同，请按档案写法重记。']);
    expect((await visits('zhangsan'))[0].data).toEqual({ household: '不在册', householdId: null, villageId: 'guangou' });

    expect(await sb.during('luo', () => sb.send('luo', '户主会 关沟 商量村道硬化'))).toEqual(['已记录关沟村户主会。']);
    expect(await sb.during('luo', () => sb.send('luo', '户主会 火星村 试试'))).toEqual(['没有找到“火星村”，请写村名，例如“关沟村”。']);
    expect(await sb.during('luo', () => sb.send('luo', '户主会'))).toEqual(['格式：户主会 村名 会议情况']);
  });

  it('the 25th reminds the 村主干 below ten, pairs not visited and cadres with no pair — by the register', async () => {
    for (const n of [...OTHERS]) await sb.send('li', `走访 ${n} 了解秋收情况`);
    await sb.send('li', '走访 马桂兰 送去棉被'); // li's pair, and the tenth-plus household
    await sb.send('luo', '走访 王大 问问');
    await sb.send('luo', '1组'); // not his pair: 袁志弟 not visited
    const planned = (await sb.h.app.runJob('outreach-reminder', { at: new Date('2026-11-25T09:00:00+08:00'), dryRun: true })).planned;
    const to = Object.fromEntries(planned.map((l) => [l.to, l.text]));
    expect(to.li).toBeUndefined(); // 11 households, pair visited
    expect(to.zhoufang).toBe('周芳您好，本月已走访 0 户，按要求每月不少于10户，还差 10 户。您还没有结对帮扶户（每人至少1户），请商定后报镇党政办登记。请抓紧安排（发送：走访 户主 情况）。');
    expect(to.luo).toBe('罗先运您好，结对帮扶户2组袁志弟本月还未走访（每月至少1次）。请抓紧安排（发送：走访 户主 情况）。');
    expect(to.zhangsan).toBe('张三您好，您还没有结对帮扶户（每人至少1户），请商定后报镇党政办登记。请抓紧安排（发送：走访 户主 情况）。');
    expect(Object.keys(to).sort()).toEqual(['he', 'liuming', 'luo', 'tang', 'wuwei', 'zhangsan', 'zhenghong', 'zhoufang']);
  });

  it('in December the resident cadre hears of the half-year and the 户主会, a cadre of the 责任片 twice a year', async () => {
    sb.h.clock.set('2026-12-10T10:00:00+08:00');
    await sb.send('luo', '走访 袁志弟 年底走访');
    const planned = (await sb.h.app.runJob('outreach-reminder', { at: new Date('2026-12-25T09:00:00+08:00'), dryRun: true })).planned;
    const luo = planned.find((l) => l.to === 'luo')!.text!;
    expect(luo).toContain('本半年已走访 1/14 户，还有 13 户未走访（每半年每户至少1次）。');
    expect(luo).toContain('本季度还未召开户主会。');
    expect(planned.find((l) => l.to === 'zhangsan')!.text).toContain('责任片14户中，今年走访满2次的0户，还有14户未满2次。');
  });

  it('the quarterly review lists the visits of the quarter for the leaders', async () => {
    sb.h.clock.set('2026-09-10T10:00:00+08:00');
    for (const n of OTHERS.slice(0, 4)) await sb.send('li', `走访 ${n} 问问`);
    await sb.send('luo', '走访 袁志弟 问问');
    await sb.send('luo', '户主会 关沟村 三季度户主会');
    const planned = (await sb.h.app.runJob('quarterly-review', { at: new Date('2026-10-08T09:00:00+08:00'), dryRun: true })).planned;
    const text = planned.filter((l) => l.to === 'wang').map((l) => l.text).join('\n');
    expect(text).toContain('【走访情况】2026年第3季度');
    expect(text).toContain('村主干（每月≥10户）：刘明 7月0✗ 8月0✗ 9月0✗；周芳 7月0✗ 8月0✗ 9月0✗；吴伟 7月0✗ 8月0✗ 9月0✗；郑红 7月0✗ 8月0✗ 9月0✗；李四 7月0✗ 8月0✗ 9月4✗');
    expect(text).toContain('结对帮扶：有漏访 李四（7月、8月、9月）、罗先运（7月、8月）；未结对 何晓燕、刘明、唐志强、吴伟、张三、郑红、周芳');
    expect(text).toContain('罗先运 走访1/14 Q3户主会1次');
  });
});
