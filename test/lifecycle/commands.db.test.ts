import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from './sandbox';

/**
 * text commands, each answered in one short message. Villagers: 查询, 查询 编号,
 * 补充, 评价 1|2, 申诉, 帮助; cadres: 待办 (overdue first), 帮助. Anything else from a villager is a
 * new request — unless it comes within 2 minutes of their last message, when it is added to it.
 */
describe.each(dialects())('lifecycle: text commands (%s)', (dialect) => {
  let sb: Sandbox;
  let yuan: string;
  let ma: string;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
    yuan = await sb.villager('袁志弟');
    ma = await sb.villager('马桂兰');
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  /** `as` sends `text` and gets exactly one message back. */
  async function answer(as: string, text: string): Promise<string> {
    const got = await sb.during(as, () => sb.send(as, text));
    expect(got).toHaveLength(1);
    return got[0];
  }

  it('villagers: 帮助, 查询, 查询 编号 (their own only), 补充, 评价, 申诉', async () => {
    expect(await answer(yuan, '帮助')).toContain('查询 编号');
    expect(await answer(yuan, '查询')).toBe('您还没有反映过问题。直接发送您遇到的问题即可。');
    expect(await answer(yuan, '补充 还有一件事')).toBe('您目前没有办理中的事项。如有新的问题，请直接发送。');
    expect(await answer(yuan, '评价 1')).toBe('您目前没有待评价的事项。');
    expect(await answer(yuan, '申诉')).toBe('您目前没有可以申诉的事项。如有新的问题，请直接发送。');
    expect((await sb.h.api('/requests')).requests).toEqual([]);

    const a = await sb.report(yuan, '村口路灯坏了三天了');
    await sb.accept('li', a.code);
    sb.h.clock.advance(5 * 60_000);
    const b = await sb.report(yuan, '自来水停了');
    const theirs = await sb.report(ma, '我家低保的事');

    expect(await answer(yuan, '查询')).toBe(
      [
        '您有 2 件事项在办：',
        `${b.code}【待受理】自来水停了`,
        `${a.code}【办理中】村口路灯坏了三天了，负责人：李四，时限：11月27日 17:30`,
      ].join('\n'),
    );
    expect(await answer(yuan, `查询 ${a.code}`)).toBe(`${a.code}【办理中】村口路灯坏了三天了，负责人：李四，时限：11月27日 17:30`);
    expect(await answer(yuan, `查询 ${theirs.code}`)).toBe(`没有找到编号为 ${theirs.code} 的事项。`);
    expect(await answer(yuan, '查询 20990101-001')).toBe('没有找到编号为 20990101-001 的事项。');

    // 补充 goes to the latest open request; its owner (none yet for b) hears of it.
    sb.h.clock.advance(5 * 60_000);
    expect(await answer(yuan, '补充 整个三组都停水了')).toBe(`已补充到您的问题（编号 ${b.code}）中。`);
    expect((await sb.events(b.id)).at(-1)).toMatchObject({ type: 'villager_message', data: { text: '整个三组都停水了' } });
    await sb.accept('li', b.code);
    sb.h.clock.advance(5 * 60_000);
    const toLi = await sb.during('li', () => sb.send(yuan, '补充 三组王家也没水'));
    expect(toLi).toEqual([`群众补充（${b.code}）：三组王家也没水`]);

    // 评价 with something to rate.
    await sb.send('li', `办结 ${a.code} 灯泡已换`);
    expect(await answer(yuan, `评价 ${a.code} 1`)).toBe(`感谢您的评价！事项 ${a.code} 已销号。`);
    expect((await sb.req(a.id)).status).toBe('closed');
    expect(await answer(yuan, `评价 1 ${theirs.code}`)).toBe('您目前没有待评价的事项。');
    expect(await sb.req(theirs.id)).toMatchObject({ status: 'pending', satisfaction: null });
    // 查询 of a closed one shows its result.
    expect(await answer(yuan, `查询 ${a.code}`)).toBe(`${a.code}【已销号】村口路灯坏了三天了，负责人：李四\n办理结果：灯泡已换`);
    // 马桂兰 cannot appeal Yuan's requests.
    expect(await answer(ma, `申诉 ${a.code}`)).toBe('您目前没有可以申诉的事项。如有新的问题，请直接发送。');
  });

  it('a follow-up within 2 minutes is added to the request; after that it is a new one', async () => {
    const r = await sb.report(yuan, '村口路灯坏了');
    await sb.accept('li', r.code);
    sb.h.clock.advance(119_000);
    const toLi = await sb.during('li', async () => expect(await answer(yuan, '已经三天了')).toBe(`已补充到您的问题（编号 ${r.code}）中。如果这是另一件事，请在10分钟内回复“新问题”，我们会单独登记。`));
    expect(toLi).toEqual([`群众补充（${r.code}）：已经三天了`]);
    // The window runs from the last message.
    sb.h.clock.advance(119_000);
    expect(await answer(yuan, '晚上走路很危险')).toBe(`已补充到您的问题（编号 ${r.code}）中。如果这是另一件事，请在10分钟内回复“新问题”，我们会单独登记。`);
    expect((await sb.h.api('/requests')).requests).toHaveLength(1);
    sb.h.clock.advance(121_000);
    const next = await sb.report(yuan, '另外，自来水也停了');
    expect(next.code).not.toBe(r.code);
    expect((await sb.events(r.id)).filter((e: any) => e.type === 'villager_message').map((e: any) => e.data.text)).toEqual(['已经三天了', '晚上走路很危险']);
  });

  it('cadres: 帮助, and 待办 with what is overdue first, then by deadline, then what waits for others', async () => {
    expect(await answer('li', '帮助')).toContain('待办');
    expect(await answer('li', '待办')).toBe('您目前没有待办事项。');

    // Resolved, waiting for the villager: 26 Nov, due 27 Nov.
    const done = await sb.report(yuan, '路灯坏了');
    await sb.accept('li', done.code);
    await sb.send('li', `办结 ${done.code} 已修好`);
    sb.h.clock.advance(24 * 3600_000); // Fri 27 Nov
    const later = await sb.report(ma, '村里账目不公开');
    await sb.accept('li', later.code, 'township'); // due Wed 2 Dec
    sb.h.clock.advance(3 * 60_000);
    const soon = await sb.report(yuan, '自来水停了');
    await sb.accept('li', soon.code); // due Mon 30 Nov
    sb.h.clock.advance(3 * 60_000);
    const handled = await sb.report(ma, '邻居占了我家地');
    await sb.accept('luo', handled.code, 'complaint'); // due Fri 4 Dec
    await sb.send('luo', `转办 ${handled.code} 李四`);
    sb.h.clock.advance(3 * 60_000);
    const waiting = await sb.report(yuan, '家门口的桥裂了');
    sb.h.clock.set(new Date('2026-12-01T09:00:00+08:00'));

    expect((await answer('li', '待办')).split('\n')).toEqual([
      '您有 5 件待办：',
      `⚠️超期 ${soon.code}【办理中】自来水停了，负责人：李四，时限：11月30日 17:30`,
      `${later.code}【办理中】村里账目不公开，负责人：李四，时限：12月2日 17:30`,
      `${handled.code}【办理中】邻居占了我家地，负责人：罗先运，时限：12月4日 17:30`,
      `待评价 ${done.code}【已办结待评价】路灯坏了，负责人：李四`,
      `待受理 ${waiting.code}【待受理】家门口的桥裂了`,
    ]);
    expect(await answer('zhangsan', '待办')).toBe('您目前没有待办事项。');
  });

  it('a leader\'s 待办 lists the refusals waiting for their approval', async () => {
    const r = await sb.report(yuan, '想在集体地上盖房');
    await sb.accept('li', r.code, 'general'); // (without a choice: 建房审批's 20 working days, test/year/catalogue.db.test.ts)
    await sb.send('li', `否定 ${r.code} 依据：《土地管理法》第六十二条；理由：不符合宅基地审批条件`);
    expect((await answer('wang', '待办')).split('\n')).toEqual(['您有 1 件待办：', `待审批 ${r.code}【否定报备待审批】想在集体地上盖房，负责人：李四，时限：11月27日 17:30`]);
    expect((await answer('li', '待办')).split('\n')).toEqual(['您有 1 件待办：', `${r.code}【否定报备待审批】想在集体地上盖房，负责人：李四，时限：11月27日 17:30`]);
  });
});
