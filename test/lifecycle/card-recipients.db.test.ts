import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, SandboxCard, startSandbox } from './sandbox';

/**
 * A card is for the people it went to (docs/interface.md#security-and-retention): a tap by anyone
 * else — even someone who may act on the request otherwise (its owner, a handler, a leader) — is
 * refused and changes nothing. 满意 / 不满意 only by the villager the card went to; the owner's
 * proxy card for a walk-in stays the one exception.
 */
describe.each(dialects())('rights: only a card\'s recipients may tap it (%s)', (dialect) => {
  let sb: Sandbox;
  let yuan: string;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
    yuan = await sb.villager('袁志弟');
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  const NOT_YOURS = '抱歉，这张卡片不是发给您的，无法操作。';
  const VILLAGER_ONLY = '抱歉，只有反映问题的群众本人可以评价。';
  const OWN_ONLY = '抱歉，只能查看和评价您本人反映的事项。';
  const NOT_INVOLVED = '抱歉，您不是该事项的经办人，无法操作。如有疑问请联系镇民情处理站。';

  /** `as` taps `label` on someone else's `card`: one refusal (`says`) to them, the request exactly as before. */
  async function refusedTap(as: string, card: SandboxCard, label: string, id: number, says = NOT_YOURS) {
    const before = await sb.req(id);
    const said = await sb.during(as, () => sb.tap(as, card, label));
    expect(said).toEqual([says]);
    expect(await sb.req(id)).toEqual(before);
  }

  it('the owner cannot rate their own work on the villager\'s card; another villager cannot either; the villager can', async () => {
    const r = await sb.report(yuan, '村口路灯坏了三天了');
    await sb.accept('li', r.code);
    await sb.send('li', `办结 ${r.code} 已更换灯泡`);
    const feedback = await sb.card(yuan, r.code, '您反映的问题已办结');

    await refusedTap('li', feedback, '满意', r.id, VILLAGER_ONLY);
    await refusedTap('li', feedback, '不满意', r.id, VILLAGER_ONLY);
    const other = await sb.newVillager('马大姐', 'guangou');
    await refusedTap(other, feedback, '满意', r.id, OWN_ONLY);
    // A responsible leader, too: the 满意率 leaders are judged by is the villagers' word only.
    await refusedTap('wang', feedback, '满意', r.id, VILLAGER_ONLY);
    expect((await sb.events(r.id)).filter((e: any) => e.type === 'rated')).toEqual([]);

    await sb.tap(yuan, feedback, '满意');
    expect(await sb.req(r.id)).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
  });

  it('a handler cannot use the owner\'s card, nor a leader; each acts on their own card', async () => {
    const r = await sb.report(yuan, '村口路灯坏了三天了');
    await sb.accept('li', r.code);
    const owner = await sb.card('li', r.code, '您负责的群众诉求');
    await sb.tap('li', owner, '转办', { forward_to: ['zhangsan'] });

    await refusedTap('zhangsan', owner, '办结', r.id);
    await refusedTap('wang', owner, '上报', r.id);
    await refusedTap('luo', owner, '否定报备', r.id, NOT_INVOLVED);
    // 李四 may take it back as owner on his own card; 张三 has the handler's card for it.
    await refusedTap('zhangsan', owner, '转办', r.id);

    // Their own cards (and commands) still work: the handler's 办结 on the handler card.
    await sb.tap('zhangsan', await sb.card('zhangsan', r.code, '李四转来的群众诉求'), '办结');
    await sb.send('zhangsan', '已更换灯泡');
    expect(await sb.req(r.id)).toMatchObject({ status: 'resolved', owner: { id: 'li' } });
  });

  it('the owner\'s proxy card for a walk-in stays theirs to tap', async () => {
    await sb.send('luo', '补录 张大爷 低保申请怎么办');
    const [r] = (await sb.h.api('/requests')).requests;
    await sb.send('luo', `办结 ${r.code} 已指导填写申请表`);
    const proxy = await sb.card('luo', r.code, '请代群众评价（当面或电话）');
    await refusedTap('li', proxy, '满意', r.id, VILLAGER_ONLY);
    await sb.tap('luo', proxy, '满意');
    expect(await sb.req(r.id)).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
  });
});
