import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from './sandbox';

/**
 * 督办单 to several people on one request (docs/rules.md#7): each answers for their own. One
 * person's 落实 closes that person's 督办单 card only; the others' stay open with 已落实.
 */
describe.each(dialects())('督办单: 落实 closes only one\'s own card (%s)', (dialect) => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  it('李四\'s 落实 leaves 张三\'s 督办单 open; 张三 then carries out his own', async () => {
    const r = await sb.report(await sb.villager('袁志弟'), '村口桥栏杆断了');
    await sb.accept('luo', r.code);
    await sb.send('wang', `督办 ${r.code} 李四 12月9日 本周内修好栏杆`);
    await sb.send('wang', `督办 ${r.code} 张三 12月9日 设置警示牌`);
    const liCard = await sb.card('li', r.code);
    const zhangCard = await sb.card('zhangsan', r.code);
    expect([liCard.title, zhangCard.title]).toEqual([expect.stringMatching(/^督办单 #\d+$/), expect.stringMatching(/^督办单 #\d+$/)]);

    // Neither may answer on the other's card.
    expect(await sb.during('li', () => sb.tap('li', zhangCard, '已落实'))).toEqual(['抱歉，这张卡片不是发给您的，无法操作。']);

    await sb.tap('li', liCard, '已落实');
    await sb.send('li', '栏杆已焊好');
    expect((await sb.card('li', r.code)).closedNote).toBe('已落实');
    const still = await sb.card('zhangsan', r.code);
    expect(still.closedNote).toBeUndefined();
    expect(still.buttons.map((b) => b.label)).toEqual(['已落实']);

    await sb.tap('zhangsan', still, '已落实');
    expect(await sb.during('wang', () => sb.send('zhangsan', '警示牌已设置'))).toEqual([expect.stringContaining('张三已落实督办单')]);
    expect((await sb.card('zhangsan', r.code)).closedNote).toBe('已落实');
  });
});
