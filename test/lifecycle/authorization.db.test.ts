import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { Harness, startHarness } from '../helpers/harness';
import { cardEventXml, seal, textXml } from '../helpers/wecom';

/**
 * Who may act (docs/interface.md#rights), over signed WeCom callbacks: only the card's recipients, the owner, the handlers
 * and the responsible leaders may act on a request; anyone else is told so, politely and briefly,
 * and nothing changes. Villagers see only their own requests.
 */
describe.each(dialects())('lifecycle: authorization on WeCom (%s)', (dialect) => {
  let h: Harness;
  const ts = () => Math.floor(h.clock.now().getTime() / 1000);
  const post = async (plain: string) => {
    const { query, body } = seal(plain, { timestamp: ts() });
    const res = await h.fetch(`/wecom/callback?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
    expect(res.status).toBe(200);
    await h.app.settle();
  };
  const say = (from: string, content: string) => post(textXml({ from, content, createTime: ts() }));
  const tap = (from: string, taskId: string, key: string, selected?: Record<string, string[]>) =>
    post(cardEventXml({ from, taskId, key, selected, responseCode: h.wecom!.issueCode(), createTime: ts() }));
  const sends = () => h.wecom!.callsTo('/cgi-bin/message/send').map((c) => c.body);
  const textsTo = (user: string) => sends().filter((b) => b.touser === user && b.msgtype === 'text').map((b) => b.text.content as string);
  const cardTo = (user: string, title: string) => sends().filter((b) => b.msgtype === 'template_card' && String(b.touser).split('|').includes(user) && b.template_card.main_title.title === title).at(-1)!.template_card;
  const get = (id: number) => h.api(`/requests/${id}`);

  beforeEach(async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'wecom' });
  });
  afterEach(() => h.close());
  afterAll(dropCreatedDatabases);

  /** `who` does `act`: one short Chinese answer matching `says`, the request unchanged, nobody else told anything. */
  async function refused(id: number, who: string, act: () => Promise<void>, says: RegExp) {
    const before = await get(id);
    const count = sends().length;
    h.clock.advance(1000);
    await act();
    const after = sends().slice(count);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ touser: who, msgtype: 'text' });
    expect(after[0].text.content).toMatch(says);
    expect(after[0].text.content.length).toBeLessThanOrEqual(60);
    expect(await get(id)).toEqual(before);
  }

  it('a stranger cadre, another villager, or a leader on someone else\'s job is refused; the ones responsible may act', async () => {
    await say('YuanZhiDi', '村口路灯坏了三天了');
    const [r] = (await h.api('/requests')).requests;
    await tap('LiSi', cardTo('LiSi', '新的群众诉求').task_id, 'accept', { tier: ['township'] });
    expect(await get(r.id)).toMatchObject({ status: 'accepted', owner: { id: 'li' }, tier: 'township', deadline: '2026-12-01T17:30:00+08:00' });
    expect((await get(r.id)).events[1]).toMatchObject({ type: 'accepted', actor: 'person:li', channel: 'wecom' });
    const owner = cardTo('LiSi', '您负责的群众诉求');

    await refused(r.id, 'WuWei', () => tap('WuWei', owner.task_id, 'resolve'), /不是该事项的经办人/);
    await refused(r.id, 'LiuMing', () => tap('LiuMing', owner.task_id, 'escalate'), /不是该事项的经办人/);
    await refused(r.id, 'MaGuiLan', () => tap('MaGuiLan', owner.task_id, 'resolve'), /不是该事项的经办人|工作人员/);
    await refused(r.id, 'YuanZhiDi', () => tap('YuanZhiDi', owner.task_id, 'reject'), /不是该事项的经办人|工作人员/);
    await refused(r.id, 'ZhangSan', () => say('ZhangSan', `进展 ${r.code} 我去看了`), /不是该事项的经办人/);
    // A township leader answers for every request: may record progress, but the work is the owner's.
    await refused(r.id, 'WangJianGuo', () => say('WangJianGuo', `办结 ${r.code} 修好了`), /不是该事项的经办人/);
    await say('WangJianGuo', `进展 ${r.code} 已督促尽快修复`);
    expect((await get(r.id)).events.at(-1)).toMatchObject({ type: 'progress', actor: 'person:wang', channel: 'wecom' });
    expect(textsTo('LiSi').at(-1)).toBe(`王建国记录了事项 ${r.code} 的办理过程：已督促尽快修复`);

    // Villagers see only their own.
    expect((await get(r.id)).status).toBe('accepted');
    await say('MaGuiLan', `查询 ${r.code}`);
    expect(textsTo('MaGuiLan').at(-1)).toBe(`没有找到编号为 ${r.code} 的事项。`);
    await say('MaGuiLan', '查询');
    expect(textsTo('MaGuiLan').at(-1)).toBe('您还没有反映过问题。直接发送您遇到的问题即可。');
    await say('YuanZhiDi', `查询 ${r.code}`);
    expect(textsTo('YuanZhiDi').at(-1)).toContain(`${r.code}【办理中】`);

    // The owner finishes through the card: 办结, then the result as a reply.
    h.clock.advance(3600_000);
    await tap('LiSi', owner.task_id, 'resolve');
    await say('LiSi', '已更换灯泡');
    const done = await get(r.id);
    expect(done).toMatchObject({ status: 'resolved' });
    expect(done.events.at(-1)).toMatchObject({ type: 'resolved', actor: 'person:li', channel: 'wecom', data: { result: '已更换灯泡' } });
    const feedback = cardTo('YuanZhiDi', '您反映的问题已办结');
    await refused(r.id, 'MaGuiLan', () => tap('MaGuiLan', feedback.task_id, 'satisfied'), /本人反映/);
    await refused(r.id, 'WuWei', () => tap('WuWei', feedback.task_id, 'unsatisfied'), /群众本人可以评价/);
    await tap('YuanZhiDi', feedback.task_id, 'satisfied');
    expect(await get(r.id)).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
    expect((await get(r.id)).events.at(-2)).toMatchObject({ type: 'rated', actor: expect.stringMatching(/^villager:\d+$/), channel: 'wecom' });
  });

  it('a member of the corp who is not in the org file is not listened to at all', async () => {
    await say('YuanZhiDi', '村口路灯坏了三天了');
    const [r] = (await h.api('/requests')).requests;
    const count = sends().length;
    await tap('SomeoneElse', cardTo('LiSi', '新的群众诉求').task_id, 'accept');
    expect(sends()).toHaveLength(count);
    expect((await get(r.id)).status).toBe('pending');
  });
});
