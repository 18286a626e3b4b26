import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from './sandbox';

/**
 * 首问责任制. The owner is set once — by the first 受理, or by the first 转办 on a
 * new request — and never changes through 转办, 上报 or 申诉. 转办 adds a handler with their own
 * card; the owner keeps hearing of the progress.
 */
describe.each(dialects())('lifecycle: 首问责任制 (%s)', (dialect) => {
  let sb: Sandbox;
  let yuan: string;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
    yuan = await sb.villager('袁志弟');
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  it('受理 makes the owner; 转办 adds a handler with their own card; the owner stays and hears of the progress', async () => {
    const r = await sb.report(yuan, '村口路灯坏了三天了');
    await sb.accept('li', r.code);
    const ownerCard = await sb.card('li', r.code, '您负责的群众诉求');
    expect(ownerCard.buttons.map((b) => b.label)).toEqual(['办结', '转办', '上报', '否定报备', '一次性告知']);
    expect(ownerCard.select?.options.map((o) => o.id)).toEqual(['zhangsan', 'luo', 'sun', 'zhao']);

    const toLi = await sb.during('li', () => sb.tap('li', ownerCard, '转办', { forward_to: ['zhangsan'] }));
    expect(toLi).toEqual([`事项 ${r.code} 已转张三办理，您仍是首问责任人，请跟进到办结。`]);
    let now = await sb.req(r.id);
    expect(now).toMatchObject({ owner: { id: 'li' }, handlers: [{ id: 'zhangsan', name: '张三' }], status: 'accepted' });
    expect(now.events.at(-1)).toMatchObject({ type: 'forwarded', actor: 'person:li', channel: 'sandbox', data: { to: 'zhangsan' } });
    const handlerCard = await sb.card('zhangsan', r.code);
    expect(handlerCard).toMatchObject({ title: '李四转来的群众诉求' });
    expect(handlerCard.buttons.map((b) => b.label)).toEqual(['办结', '转办', '上报']);
    expect(await sb.last('zhangsan')).toBe(`李四将事项 ${r.code} 转给您办理，请查看卡片。`);

    // The handler's 办理过程 and 转办 reach the owner.
    const heard = await sb.during('li', async () => {
      await sb.send('zhangsan', `进展 ${r.code} 已找电工看过，需要换灯泡`);
      await sb.tap('zhangsan', handlerCard, '转办', { forward_to: ['zhao'] });
    });
    expect(heard).toEqual([
      `张三记录了事项 ${r.code} 的办理过程：已找电工看过，需要换灯泡`,
      `张三已将您负责的事项 ${r.code} 转赵平承办。`,
    ]);
    now = await sb.req(r.id);
    expect(now.owner.id).toBe('li');
    expect(now.handlers.map((p: any) => p.id)).toEqual(['zhangsan', 'zhao']);
    expect(await sb.card('zhao', r.code)).toMatchObject({ title: '张三转来的群众诉求' });

    // Forwarding to someone who already handles it, or to oneself, changes nothing.
    expect(await sb.during('zhangsan', () => sb.send('zhangsan', `转办 ${r.code} 赵平`))).toEqual([`赵平已是事项 ${r.code} 的承办人。`]);
    expect(await sb.during('li', () => sb.send('li', `转办 ${r.code} li`))).toEqual(['不能转办给自己，请选择其他人。']);
    expect((await sb.req(r.id)).handlers).toHaveLength(2);

    // A handler's 办结: the owner is told; the villager gets the result.
    const toOwner = await sb.during('li', () => sb.send('zhao', `办结 ${r.code} 已换新灯泡`));
    expect(toOwner).toEqual([`赵平已办结事项 ${r.code}，正在等待群众评价。`]);
    expect(await sb.req(r.id)).toMatchObject({ status: 'resolved', owner: { id: 'li' } });
  });

  it('the first 转办 on a new request makes the forwarder the owner; they pick whom to hand it to', async () => {
    const r = await sb.report(yuan, '我家低保今年还没发');
    const card = await sb.card('luo', r.code, '新的群众诉求');
    const toLuo = await sb.during('luo', () => sb.tap('luo', card, '转办', { tier: ['township'] }));
    expect(toLuo).toEqual([`请在卡片上选择把事项 ${r.code} 转给谁，再点“转办”。`]);
    let now = await sb.req(r.id);
    expect(now).toMatchObject({ status: 'accepted', owner: { id: 'luo' }, tier: 'township', handlers: [] });
    expect((await sb.card('li', r.code, '新的群众诉求')).closedNote).toBe('已由罗先运受理');
    expect(await sb.last(yuan)).toContain('已由罗先运受理');

    const pick = await sb.card('luo', r.code, '转办给谁？');
    expect(pick.select?.options.map((o) => o.id)).toEqual(['li', 'zhangsan', 'sun', 'zhao']);
    await sb.tap('luo', pick, '转办', { forward_to: ['zhao'] });
    now = await sb.req(r.id);
    expect(now).toMatchObject({ owner: { id: 'luo' }, handlers: [{ id: 'zhao' }] });
    expect((await sb.card('luo', r.code, '转办给谁？')).closedNote).toBe('已转赵平');
    expect(now.events.map((e: any) => e.type)).toEqual(['received', 'accepted', 'forwarded']);

    // 李四's 受理 on his copy comes too late: the owner stays 罗先运.
    await sb.tap('li', { ...(await sb.card('li', r.code, '新的群众诉求')), buttons: [{ key: 'accept', label: '受理' }] }, '受理');
    expect((await sb.req(r.id)).owner.id).toBe('luo');
  });

  it('the owner does not change through 上报 and 申诉', async () => {
    const r = await sb.report(yuan, '邻居占了我家的地');
    await sb.accept('luo', r.code);
    await sb.tap('luo', await sb.card('luo', r.code, '您负责的群众诉求'), '上报');
    expect(await sb.req(r.id)).toMatchObject({ owner: { id: 'luo' }, level: 'township' });

    await sb.send('luo', `否定 ${r.code} 依据：《人民调解法》第十七条；理由：双方已向法院起诉`);
    // A township-level request: a township leader approves, not the village secretary.
    expect(await sb.cards('li').then((cs) => cs.filter((c) => c.title === '否定报备待您审批'))).toEqual([]);
    await sb.tap('wang', await sb.card('wang', r.code), '同意');
    expect((await sb.req(r.id)).status).toBe('rejected');
    await sb.send(yuan, '申诉');
    const now = await sb.req(r.id);
    expect(now).toMatchObject({ status: 'accepted', owner: { id: 'luo' } });
    // The appeal goes to a township leader other than 王建国, who approved the refusal.
    expect(now.handlers.map((p: any) => p.id)).toEqual(['sun', 'zhao', 'chen']);
    expect(await sb.card('chen', r.code)).toMatchObject({ title: '群众申诉，请重新处理' });
    expect(now.events.filter((e: any) => e.type === 'accepted')).toHaveLength(1);
  });
});
