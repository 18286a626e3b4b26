import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from '../lifecycle/sandbox';

/**
 * 民情日记 for everyone the seeds name, with categories, reviewed by the seeds' hierarchy each quarter
 * (docs/interface.md#year, seed 002 §四.(二)): the reviewer gets each diary to read and signs it off
 * with `审阅 姓名 意见`; every keeper is asked for a 自评. org.example.json has no 副书记 or 组织委员, so
 * the party secretary 王建国 (wang) reviews the 班子, the township staff, the resident cadres and the
 * village secretaries; each village secretary their 两委 (李四 reviews 张三).
 */
describe.each(dialects())('民情日记: categories, review, 自评 (%s)', (dialect) => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox(dialect, { at: '2026-09-10T10:00:00+08:00' });
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  const entries = async () => sb.h.app.db.read.diary.between(['free'], 0, Date.parse('2030-01-01'));

  it('takes a category typed before the entry, else guesses it and says so', async () => {
    expect(await sb.during('zhangsan', () => sb.send('zhangsan', '日记 4 调解三组两户宅基地边界纠纷'))).toEqual(['已记入您的民情日记（农村矛盾纠纷）。']);
    expect(await sb.during('luo', () => sb.send('luo', '日记 农村经济发展 帮合作社联系销路'))).toEqual(['已记入您的民情日记（农村经济发展）。']);
    expect(await sb.during('li', () => sb.send('li', '日记 走访低保户，了解看病难'))).toEqual(['已记入您的民情日记，分类：5 群众关注的热点难点（系统判断，如不对可发“日记 分类号 内容”重记）。']);
    // A number that is the entry itself is not a category.
    await sb.send('wang', '日记 3');
    expect((await entries()).map((e) => [e.personId, e.text, e.data?.category])).toEqual([
      ['zhangsan', '调解三组两户宅基地边界纠纷', 4],
      ['luo', '帮合作社联系销路', 1],
      ['li', '走访低保户，了解看病难', 5],
      ['wang', '3', 8],
    ]);
  });

  it('sends each reviewer the diaries they review, asks everyone for a 自评, and records the sign-off', async () => {
    await sb.send('zhangsan', '日记 4 调解三组两户宅基地边界纠纷');
    await sb.send('zhangsan', '走访 袁志弟 身体好');
    const at = new Date('2026-10-08T10:00:00+08:00'); // Q4's first working day, after National Day
    const planned = (await sb.h.app.runJob('diary-review', { at, dryRun: true })).planned;
    const li = planned.filter((l) => l.to === 'li').map((l) => l.text);
    expect(li).toEqual([
      '【民情日记审阅】张三（关沟村委委员） 2026年第3季度，共 2 篇：\n1. 9月10日〔4 农村矛盾纠纷〕调解三组两户宅基地边界纠纷\n2. 9月10日〔走访 袁志弟〕身体好\n\n' +
        '审阅后请回复：审阅 张三 意见（例如：审阅 张三 记录详实，注意跟踪办理结果）\n也可打开页面阅读并签署：http://localhost:0/h5/diary/zhangsan?period=2026-Q3',
      '李四您好，2026年第3季度已结束，您本季度记民情日记 0 篇。请对本季度的民情日记写一段自评（心得体会），发送：自评 内容。',
    ]);
    const wangReviews = planned.filter((l) => l.to === 'wang' && l.text!.startsWith('【民情日记审阅】')).map((l) => /】(\S+?)（/.exec(l.text!)![1]);
    expect(wangReviews).toEqual(['陈丽', '何晓燕', '李四', '刘明', '罗先运', '孙敏', '唐志强', '吴伟', '赵平']);
    expect(planned.filter((l) => l.text!.includes('请对本季度的民情日记写一段自评'))).toHaveLength(13);

    sb.h.clock.set(at.toISOString());
    await sb.h.app.runJob('diary-review', { at });
    await sb.h.app.settle();
    expect(await sb.during('zhangsan', () => sb.send('li', '审阅 张三 记录详实，注意跟踪办理结果'))).toEqual(['李四审阅了您2026年第3季度的民情日记：记录详实，注意跟踪办理结果']);
    expect(await sb.last('li')).toBe('已记录：您审阅了张三2026年第3季度的民情日记，意见已转告本人。');
    expect(await sb.during('zhangsan', () => sb.send('zhangsan', '审阅 李四 好'))).toEqual(['李四的民情日记由王建国审阅。']);
    expect(await sb.during('zhangsan', () => sb.send('zhangsan', '自评 本季度调解纠纷两起，走访还不够'))).toEqual(['已记录您2026年第3季度民情日记的自评。']);
    expect(await sb.during('xian', () => sb.send('xian', '自评 无'))).toEqual(['“县民情中心”不在记民情日记的人员中，请写姓名，例如“审阅 张三 记录详实”。']);
    expect(await sb.during('li', () => sb.send('li', '审阅'))).toEqual(['格式：审阅 姓名 意见']);
    const rows = await sb.h.app.db.read.diaryReviews.ofPeriods(['2026-Q3']);
    expect(rows.map((r) => [r.kind, r.personId, r.reviewerId, r.text])).toEqual([
      ['review', 'zhangsan', 'li', '记录详实，注意跟踪办理结果'],
      ['self', 'zhangsan', null, '本季度调解纠纷两起，走访还不够'],
    ]);
  });
});
