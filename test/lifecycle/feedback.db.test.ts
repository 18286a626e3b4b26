import { dialects, dropCreatedDatabases } from '../helpers/db';
import { periodRows } from '../../src/db/repos/metrics';
import { total } from '../../src/domain/metrics';
import { closeUnrated } from '../../src/operations/close-unrated';
import { Sandbox, startSandbox } from './sandbox';

/**
 * 情况反馈. 办结 asks for the 办理结果; the villager gets it with 满意 / 不满意;
 * 满意 closes (销号); 不满意 asks why and reopens, telling the owner and the village secretary;
 * no answer within 3 working days closes as 未评价, neither satisfied nor unsatisfied.
 */
describe.each(dialects())('lifecycle: 情况反馈 (%s)', (dialect) => {
  let sb: Sandbox;
  let yuan: string;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
    yuan = await sb.villager('袁志弟');
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  async function resolvedBy(owner: string, text = '村口路灯坏了三天了', result = '已更换灯泡，恢复照明') {
    const r = await sb.report(yuan, text);
    await sb.accept(owner, r.code);
    const asked = await sb.during(owner, async () => sb.tap(owner, await sb.card(owner, r.code, '您负责的群众诉求'), '办结'));
    expect(asked).toEqual([`请回复事项 ${r.code} 的办理结果，原文会告知群众（30分钟内有效）。`]);
    const heard = await sb.during(yuan, () => sb.send(owner, result));
    expect(heard).toEqual([`您反映的问题（编号 ${r.code}）已办结。\n办理结果：${result}\n请在下方卡片评价。`]);
    expect(await sb.last(owner)).toBe(`事项 ${r.code} 已办结，结果已告知群众，等待群众评价。`);
    const card = await sb.card(yuan, r.code);
    expect(card).toMatchObject({ title: '您反映的问题已办结' });
    expect(card.buttons.map((b) => b.label)).toEqual(['满意', '不满意']);
    expect(card.fields).toContainEqual({ label: '办理结果', value: result });
    expect(await sb.req(r.id)).toMatchObject({ status: 'resolved', satisfaction: null });
    return { r, card };
  }

  it('满意 closes it: 销号, the owner told, the card shows the answer', async () => {
    const { r, card } = await resolvedBy('li');
    sb.h.clock.advance(3600_000);
    const toLi = await sb.during('li', () => sb.tap(yuan, card, '满意'));
    expect(toLi).toEqual([`群众对事项 ${r.code} 表示满意，已销号。`]);
    expect(await sb.last(yuan)).toBe(`感谢您的评价！事项 ${r.code} 已销号。`);
    expect(await sb.req(r.id)).toMatchObject({ status: 'closed', satisfaction: 'satisfied', closeReason: 'satisfied', result: '已更换灯泡，恢复照明', closedAt: '2026-11-26T11:00:00+08:00' });
    expect((await sb.card(yuan, r.code)).closedNote).toBe('已评价：满意');
    // A second tap on the answered card changes nothing.
    const before = await sb.req(r.id);
    expect(await sb.during(yuan, () => sb.tap(yuan, card, '不满意'))).toEqual(['该卡片已处理：已评价：满意。']);
    expect(await sb.req(r.id)).toEqual(before);
  });

  it('不满意 asks why, reopens to 办理中, tells the owner and the village secretary, and the reason reaches the owner', async () => {
    const { r, card } = await resolvedBy('luo');
    const toLi = await sb.during('li', async () => {
      const toLuo = await sb.during('luo', () => sb.tap(yuan, card, '不满意'));
      expect(toLuo).toEqual([`群众对事项 ${r.code} 不满意，已重新打开，请继续办理。`]);
    });
    expect(toLi).toEqual([`群众对事项 ${r.code} 不满意，已重新打开，请继续办理。`]);
    expect(await sb.last(yuan)).toBe(`很抱歉没有让您满意。请告诉我们哪里不满意，我们会重新办理事项 ${r.code}。`);
    let now = await sb.req(r.id);
    expect(now).toMatchObject({ status: 'accepted', satisfaction: 'unsatisfied', owner: { id: 'luo' }, deadline: '2026-11-27T17:30:00+08:00' });
    expect(now.events.slice(-2).map((e: any) => e.type)).toEqual(['rated', 'reopened']);
    // The owner gets a fresh working card.
    expect((await sb.cards('luo')).filter((c) => c.title === '您负责的群众诉求' && !c.closedNote)).toHaveLength(1);

    const reason = await sb.during('luo', () => sb.send(yuan, '灯亮了一天又不亮了'));
    expect(reason).toEqual([`群众对事项 ${r.code} 不满意的原因：灯亮了一天又不亮了`]);
    expect(await sb.last(yuan)).toBe('已记下，我们会尽快重新办理。');
    now = await sb.req(r.id);
    expect(now.events.at(-1)).toMatchObject({ type: 'villager_message', data: { text: '灯亮了一天又不亮了', about: 'unsatisfied' } });
    expect((await sb.req(r.id)).events.filter((e: any) => e.type === 'received')).toHaveLength(1);

    // Done again, and this time 满意 (by text).
    await sb.send('luo', `办结 ${r.code} 线路老化，已整段更换`);
    await sb.send(yuan, '满意');
    expect(await sb.req(r.id)).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
  });

  it('reopens with the tier\'s time from today; a promised date still ahead stands', async () => {
    const r = await sb.report(yuan, '村里的桥要重建');
    await sb.accept('li', r.code, 'beyond:20'); // promised 24 Dec
    await sb.send('li', `办结 ${r.code} 县里已批复立项`);
    await sb.send(yuan, '不满意');
    expect(await sb.req(r.id)).toMatchObject({ status: 'accepted', tier: 'beyond', deadline: '2026-12-24T17:30:00+08:00' });
    // Past the promised date, a reopened request is a general matter again: one working day.
    await sb.send('li', `办结 ${r.code} 桥已开工`);
    sb.h.clock.set(new Date('2026-12-28T09:00:00+08:00'));
    await sb.send(yuan, '2');
    expect(await sb.req(r.id)).toMatchObject({ status: 'accepted', tier: 'general', deadline: '2026-12-29T17:30:00+08:00' });
    await sb.send(yuan, '桥还没修完');
    sb.h.clock.advance(3 * 60_000);
    const t = await sb.report(yuan, '补助没发');
    await sb.accept('li', t.code, 'township');
    await sb.send('li', `办结 ${t.code} 已发放`);
    await sb.send(yuan, `评价 ${t.code} 2`);
    expect(await sb.req(t.id)).toMatchObject({ tier: 'township', deadline: '2026-12-31T17:30:00+08:00' });
  });

  it('tells an owner who is also the village secretary once; handlers get their card back', async () => {
    const r = await sb.report(yuan, '村口路灯坏了三天了');
    await sb.accept('li', r.code);
    await sb.send('li', `转办 ${r.code} 张三`);
    await sb.send('zhangsan', `办结 ${r.code} 已换灯泡`);
    expect((await sb.card('zhangsan', r.code)).closedNote).toBe('已办结');
    const toLi = await sb.during('li', () => sb.send(yuan, '2'));
    expect(toLi).toEqual([`群众对事项 ${r.code} 不满意，已重新打开，请继续办理。`]);
    const again = await sb.card('zhangsan', r.code);
    expect(again).toMatchObject({ title: '群众不满意，请继续办理' });
    expect(again.buttons.map((b) => b.label)).toEqual(['办结', '转办', '上报']);
    await sb.tap('zhangsan', again, '办结');
    await sb.send('zhangsan', '线路也换了');
    expect((await sb.req(r.id)).status).toBe('resolved');
  });

  it('closes as 未评价 after 3 working days without an answer, neither satisfied nor unsatisfied', async () => {
    // Resolved Thu 26 Nov: the villager has until the end of Tue 1 Dec (27, 30 Nov, 1 Dec).
    const { r, card } = await resolvedBy('li');
    sb.h.clock.set(new Date('2026-12-01T17:29:00+08:00'));
    expect(await closeUnrated(sb.h.app.deps)).toEqual([]);
    expect((await sb.req(r.id)).status).toBe('resolved');

    sb.h.clock.set(new Date('2026-12-01T17:31:00+08:00'));
    expect(await closeUnrated(sb.h.app.deps)).toEqual([r.code]);
    await sb.h.app.settle();
    const now = await sb.req(r.id);
    expect(now).toMatchObject({ status: 'closed', satisfaction: null, closeReason: 'no_answer', closedAt: '2026-12-01T17:31:00+08:00' });
    expect(now.events.at(-1)).toMatchObject({ type: 'closed', actor: 'system', data: { reason: 'no_answer' } });
    // 未评价 is no answer: no rating is recorded, and 满意率 counts it neither way.
    expect(now.events.filter((e: any) => e.type === 'rated')).toEqual([]);
    const week = { from: Date.parse('2026-11-23T00:00:00+08:00'), to: Date.parse('2026-12-07T00:00:00+08:00') };
    expect(total(await periodRows(sb.h.app.db, sb.h.app.deps.calendar, week, null))).toMatchObject({ received: 1, resolved: 1, rated: 0, satisfied: 0 });
    expect((await sb.card(yuan, r.code)).closedNote).toBe('未评价，已销号');
    // Run again: nothing more.
    expect(await closeUnrated(sb.h.app.deps)).toEqual([]);
    // A late 满意 on the card changes nothing.
    await sb.tap(yuan, card, '满意');
    expect(await sb.req(r.id)).toEqual(now);
  });

  it('counts the 3 working days across National Day', async () => {
    await sb.close();
    sb = await startSandbox(dialect, { at: '2026-09-30T10:00:00+08:00' });
    yuan = await sb.villager('袁志弟');
    const { r } = await resolvedBy('li');
    // 8, 9, Sat 10 Oct are the three working days.
    sb.h.clock.set(new Date('2026-10-09T20:00:00+08:00'));
    expect(await closeUnrated(sb.h.app.deps)).toEqual([]);
    sb.h.clock.set(new Date('2026-10-10T17:31:00+08:00'));
    expect(await closeUnrated(sb.h.app.deps)).toEqual([r.code]);
  });
});
