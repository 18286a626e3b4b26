import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from './sandbox';

/**
 * 否定报备. A cadre may not say no on their own: 否定报备 asks for 办理依据 and
 * 否定理由 (both), the approving leader gets 同意 / 驳回, the villager hears nothing until a leader
 * approves — then the reason, the basis and how to appeal. 驳回 sends it back with the leader's word.
 */
describe.each(dialects())('lifecycle: 否定报备 (%s)', (dialect) => {
  let sb: Sandbox;
  let yuan: string;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
    yuan = await sb.villager('袁志弟');
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  const BASIS = '《最低生活保障审核确认办法》第九条';
  const REASON = '家庭人均收入高于本县低保标准';

  /** 罗先运 owns a village-level request and files a refusal through the card. */
  async function filed() {
    const r = await sb.report(yuan, '我想申请低保');
    await sb.accept('luo', r.code);
    const heardBefore = await sb.texts(yuan);
    const asked = await sb.during('luo', async () => sb.tap('luo', await sb.card('luo', r.code, '您负责的群众诉求'), '否定报备'));
    expect(asked).toEqual([`请在一条消息里回复事项 ${r.code} 的办理依据和否定理由，格式：依据：……；理由：……（两项都要填，30分钟内有效）。`]);
    expect((await sb.req(r.id)).status).toBe('accepted');
    // Only a reason: asked again, nothing filed.
    expect(await sb.during('luo', () => sb.send('luo', `理由：${REASON}`))).toEqual(['办理依据和否定理由都要填写，格式：依据：……；理由：……']);
    expect((await sb.req(r.id)).status).toBe('accepted');
    expect(await sb.during('luo', () => sb.send('luo', `依据：${BASIS}；理由：${REASON}`))).toEqual([`事项 ${r.code} 的否定报备已提交李四审批，审批前请勿答复群众。`]);
    return { r, heardBefore };
  }

  it('files with both 依据 and 理由, the village secretary decides, the villager hears only after 同意 and may appeal', async () => {
    const { r, heardBefore } = await filed();
    let now = await sb.req(r.id);
    expect(now.status).toBe('rejection_pending');
    expect(now.events.at(-1)).toMatchObject({ type: 'refusal_filed', actor: 'person:luo', channel: 'sandbox', data: { basis: BASIS, reason: REASON, approvers: ['li'] } });
    const approval = await sb.card('li', r.code, '否定报备待您审批');
    expect(approval.buttons.map((b) => b.label)).toEqual(['同意', '驳回']);
    expect(approval.fields).toEqual(expect.arrayContaining([{ label: '报备人', value: '罗先运' }, { label: '办理依据', value: BASIS }, { label: '否定理由', value: REASON }]));
    for (const leader of ['wang', 'chen']) expect(await sb.cards(leader)).toEqual([]);
    expect(await sb.texts(yuan)).toEqual(heardBefore);

    sb.h.clock.advance(3600_000);
    const toLuo = await sb.during('luo', () => sb.tap('li', approval, '同意'));
    expect(toLuo).toEqual([`李四已同意事项 ${r.code} 的否定报备。系统已把理由和依据告知群众。`]);
    now = await sb.req(r.id);
    expect(now.status).toBe('rejected');
    expect(now.events.at(-1)).toMatchObject({ type: 'refusal_approved', actor: 'person:li', at: '2026-11-26T11:00:00+08:00' });
    expect((await sb.card('li', r.code, '否定报备待您审批')).closedNote).toBe('已由李四同意');
    const told = (await sb.texts(yuan)).slice(heardBefore.length);
    expect(told).toEqual([
      `很抱歉，您反映的问题（编号 ${r.code}）经审核暂时无法办理。\n理由：${REASON}\n依据：${BASIS}\n如有异议，请回复“申诉”，我们会转镇领导重新处理。`,
    ]);

    // The villager appeals: reopened at the township, to a township leader, for 3 working days.
    const heard = await sb.during('luo', () => sb.send(yuan, '申诉 我家老人常年看病，收入不够'));
    expect(heard).toEqual([`群众对事项 ${r.code} 提出申诉：我家老人常年看病，收入不够，已转镇领导重新处理。`]);
    expect(await sb.last(yuan)).toBe(`已收到您对事项 ${r.code} 的申诉，已转镇领导重新处理，会尽快答复您。`);
    now = await sb.req(r.id);
    expect(now).toMatchObject({ status: 'accepted', level: 'township', tier: 'township', deadline: '2026-12-01T17:30:00+08:00', owner: { id: 'luo' }, handlers: [{ id: 'chen' }] });
    expect(now.events.at(-1)).toMatchObject({ type: 'appealed', actor: `villager:${yuan.slice(1)}`, data: { text: '我家老人常年看病，收入不够', to: ['chen'] } });
    expect(await sb.card('chen', r.code)).toMatchObject({ title: '群众申诉，请重新处理' });
    // Nothing left to appeal.
    expect(await sb.during(yuan, () => sb.send(yuan, '申诉'))).toEqual(['您目前没有可以申诉的事项。如有新的问题，请直接发送。']);
  });

  it('驳回 sends it back to 办理中, the leader\'s comment reaches the one who filed; the villager hears nothing', async () => {
    const { r, heardBefore } = await filed();
    const approval = await sb.card('li', r.code, '否定报备待您审批');
    const toLuo = await sb.during('luo', async () => {
      expect(await sb.during('li', () => sb.tap('li', approval, '驳回'))).toEqual([`已驳回事项 ${r.code} 的否定报备。如需给经办人留言，请直接回复（可不回复）。`]);
      expect(await sb.during('li', () => sb.send('li', '请先上门核实家庭收入再定'))).toEqual(['已转告经办人。']);
    });
    expect(toLuo).toEqual([`李四驳回了事项 ${r.code} 的否定报备，请继续办理。`, `李四对事项 ${r.code} 的意见：请先上门核实家庭收入再定`]);
    const now = await sb.req(r.id);
    expect(now.status).toBe('accepted');
    expect(now.events.slice(-2)).toMatchObject([
      { type: 'refusal_denied', actor: 'person:li' },
      { type: 'comment', actor: 'person:li', data: { text: '请先上门核实家庭收入再定' } },
    ]);
    expect(await sb.texts(yuan)).toEqual(heardBefore);
    // 驳回 编号 意见 in one go works too.
    await sb.send('luo', `否定 ${r.code} 依据：${BASIS}；理由：${REASON}`);
    const again = await sb.during('luo', () => sb.send('li', `驳回 ${r.code} 收入证明不全`));
    expect(again).toEqual([`李四驳回了事项 ${r.code} 的否定报备，请继续办理。`, `李四对事项 ${r.code} 的意见：收入证明不全`]);
    expect(await sb.texts(yuan)).toEqual(heardBefore);
  });

  it('two leaders tapping 同意 at once make one decision; the same tap twice likewise', async () => {
    const r = await sb.report(yuan, '想在集体地上盖房');
    await sb.accept('li', r.code);
    await sb.send('li', `否定 ${r.code} 依据：《土地管理法》第六十二条；理由：不符合宅基地审批条件`);
    const [wangCard, chenCard] = [await sb.card('wang', r.code), await sb.card('chen', r.code)];
    expect(wangCard.taskId).toBe(chenCard.taskId); // one card, two recipients
    const heardBefore = (await sb.texts(yuan)).length;
    await sb.tapOnly('wang', wangCard, '同意');
    await sb.tapOnly('chen', chenCard, '同意');
    await sb.concurrently();
    const now = await sb.req(r.id);
    expect(now.status).toBe('rejected');
    expect(now.events.filter((e: any) => e.type === 'refusal_approved')).toHaveLength(1);
    const winner = now.events.at(-1).actor.slice('person:'.length);
    const loser = winner === 'wang' ? 'chen' : 'wang';
    expect((await sb.texts(yuan)).slice(heardBefore)).toHaveLength(1);
    expect(await sb.last(loser)).toMatch(winner === 'wang' ? /已处理：已由王建国同意。$/ : /已处理：已由陈丽同意。$/);
    expect(await sb.texts('li')).toEqual(expect.arrayContaining([expect.stringContaining('已同意事项')]));
    expect((await sb.texts('li')).filter((t) => t.includes('已同意事项'))).toHaveLength(1);

    // One leader tapping twice (a page reloaded, two clicks): still one decision.
    const r2 = await sb.report(await sb.villager('马桂兰'), '想在集体地上养猪');
    await sb.accept('li', r2.code);
    await sb.send('li', `否定 ${r2.code} 依据：《畜禽规模养殖污染防治条例》第十一条；理由：禁养区`);
    const card = await sb.card('wang', r2.code);
    await sb.tapOnly('wang', card, '同意');
    await sb.tapOnly('wang', card, '同意');
    await sb.concurrently();
    const after = await sb.req(r2.id);
    expect(after.events.filter((e: any) => e.type === 'refusal_approved')).toHaveLength(1);
    expect(await sb.last('wang')).toMatch(/已处理：已由王建国同意。$/);
    // And a late 驳回 on a decided refusal changes nothing.
    await sb.tap('chen', card, '驳回');
    expect(await sb.req(r2.id)).toEqual(after);
    expect(await sb.last('chen')).toMatch(/已处理：已由王建国同意。$/);
    // So does 同意 by text from the secretary of a decided refusal.
    expect(await sb.during('chen', () => sb.send('chen', `同意 ${r2.code}`))).toEqual(['该审批已处理：已由王建国同意。']);
    expect(await sb.req(r2.id)).toEqual(after);
  });

  it('two 办结 at once — owner and handler, by reply or by command — resolve once', async () => {
    const r = await sb.report(yuan, '村口路灯坏了三天了');
    await sb.accept('li', r.code);
    await sb.send('li', `转办 ${r.code} 张三`);
    await sb.tap('li', await sb.card('li', r.code, '您负责的群众诉求'), '办结');
    await sb.tap('zhangsan', await sb.card('zhangsan', r.code), '办结');
    const heardBefore = (await sb.texts(yuan)).length;
    await sb.sendOnly('li', '已换新灯泡');
    await sb.sendOnly('zhangsan', '电工已修好');
    await sb.concurrently();
    let now = await sb.req(r.id);
    expect(now.status).toBe('resolved');
    expect(now.events.filter((e: any) => e.type === 'resolved')).toHaveLength(1);
    const result = now.events.at(-1).data.result;
    const toYuan = (await sb.texts(yuan)).slice(heardBefore);
    expect(toYuan).toEqual([`您反映的问题（编号 ${r.code}）已办结。\n办理结果：${result}\n请在下方卡片评价。`]);
    expect((await sb.cards(yuan)).filter((c) => c.title === '您反映的问题已办结')).toHaveLength(1);
    const loser = now.events.at(-1).actor === 'person:li' ? 'zhangsan' : 'li';
    expect(await sb.last(loser)).toMatch(/已办结/);

    await sb.tap(yuan, await sb.card(yuan, r.code), '不满意');
    await sb.sendOnly('li', `办结 ${r.code} 灯泡和线路都换了`);
    await sb.sendOnly('zhangsan', `办结 ${r.code} 线路已检修`);
    await sb.concurrently();
    now = await sb.req(r.id);
    expect(now.events.filter((e: any) => e.type === 'resolved')).toHaveLength(2);
    expect((await sb.cards(yuan)).filter((c) => c.title === '您反映的问题已办结')).toHaveLength(2);
  });
});
