import { OutboxRow } from '../../src/db/entities';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { FakeWecom } from '../helpers/fake-wecom';
import { Harness, startHarness } from '../helpers/harness';
import { cardEventXml, kfEventXml, seal, textXml } from '../helpers/wecom';

/**
 * 情况反馈 (docs/rules.md#5) on 微信客服: no cards there, so the villager answers 1 / 2 by text. WeChat lets
 * us answer within 48 h of the villager's last message, at most 5 messages; past that, the message
 * is kept as 待通知 and the owner is asked to phone and tap 已电话告知 — and to record the
 * villager's answer on a card of their own.
 *
 * A 微信客服 user whose village we do not know: their requests go to the township office, where
 * 赵平 (ZhaoPing) takes them.
 */
const KF = 'wkMinqingKf0000001';
const U = 'wmVillagerLifecycle1';

describe.each(dialects())('lifecycle: 情况反馈 on 微信客服 (%s)', (dialect) => {
  let h: Harness;
  let fake: FakeWecom;
  let seq = 0;
  const ts = () => Math.floor(h.clock.now().getTime() / 1000);
  const post = async (plain: string) => {
    const { query, body } = seal(plain, { timestamp: ts() });
    const res = await h.fetch(`/wecom/callback?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
    expect(res.status).toBe(200);
    await h.app.settle();
  };
  const kf = async (content: string) => {
    fake.kfMessages.set(KF, [
      ...(fake.kfMessages.get(KF) ?? []),
      { msgid: `kfmsg${++seq}`, open_kfid: KF, external_userid: U, send_time: ts(), origin: 3, msgtype: 'text', text: { content } },
    ]);
    await post(kfEventXml({ token: `tok${seq}`, openKfId: KF, createTime: ts() }));
  };
  const cadre = (from: string, content: string) => post(textXml({ from, content, createTime: ts() }));
  const tap = (from: string, taskId: string, key: string) => post(cardEventXml({ from, taskId, key, responseCode: fake.issueCode(), createTime: ts() }));
  const toVillager = () => fake.callsTo('/cgi-bin/kf/send_msg').filter((c) => c.body.touser === U).map((c) => c.body.text.content as string);
  const cardsTo = (user: string) =>
    fake.callsTo('/cgi-bin/message/send').filter((c) => c.body.msgtype === 'template_card' && String(c.body.touser).split('|').includes(user)).map((c) => c.body.template_card);
  const latest = async () => (await h.api('/requests')).requests[0];

  beforeEach(async () => {
    fake = await new FakeWecom().start();
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'wecom', wecom: fake });
  });
  afterEach(async () => {
    await h.close();
    await fake.stop();
  });
  afterAll(dropCreatedDatabases);

  /** The villager writes on 微信客服 and 赵平 takes it. */
  async function accepted(text = '村口路灯坏了三天了') {
    await kf(text);
    const r = await latest();
    expect(r).toMatchObject({ channel: 'kf', level: 'township', status: 'pending' });
    await tap('ZhaoPing', cardsTo('ZhaoPing').at(-1).task_id, 'accept');
    expect(await h.api(`/requests/${r.id}`)).toMatchObject({ status: 'accepted', owner: { id: 'zhao' } });
    expect(toVillager().at(-1)).toContain('已由赵平受理');
    return r;
  }

  it('the result goes out with 回复 1 / 2; 1 closes it, 2 asks why and reopens', async () => {
    const r = await accepted();
    h.clock.advance(3600_000);
    await cadre('ZhaoPing', `办结 ${r.code} 已更换灯泡`);
    expect(toVillager().at(-1)).toBe(`您反映的问题（编号 ${r.code}）已办结。\n办理结果：已更换灯泡\n请回复 1 表示满意，回复 2 表示不满意。`);
    expect(cardsTo('ZhaoPing').filter((c) => c.main_title.title.includes('评价'))).toEqual([]);

    await kf('2');
    expect(toVillager().at(-1)).toBe(`很抱歉没有让您满意。请告诉我们哪里不满意，我们会重新办理事项 ${r.code}。`);
    expect(await h.api(`/requests/${r.id}`)).toMatchObject({ status: 'accepted', satisfaction: 'unsatisfied' });
    await kf('晚上还是不亮');
    expect(toVillager().at(-1)).toBe('已记下，我们会尽快重新办理。');
    const said = fake.callsTo('/cgi-bin/message/send').filter((c) => c.body.touser === 'ZhaoPing' && c.body.msgtype === 'text').map((c) => c.body.text.content);
    expect(said).toContain(`群众对事项 ${r.code} 不满意的原因：晚上还是不亮`);

    await cadre('ZhaoPing', `办结 ${r.code} 线路已整段更换`);
    await kf('1');
    expect(toVillager().at(-1)).toBe(`感谢您的评价！事项 ${r.code} 已销号。`);
    expect(await h.api(`/requests/${r.id}`)).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
    // With nothing to rate, a lone 1 is simply a new message.
    await kf('1');
    expect((await h.api('/requests')).requests).toHaveLength(2);
  });

  it('after 48 hours of silence the result is held as 待通知; the owner phones, taps 已电话告知 and records the answer', async () => {
    const r = await accepted();
    const sent = toVillager().length;
    h.clock.advance(49 * 3600_000);
    await cadre('ZhaoPing', `办结 ${r.code} 已更换灯泡`);
    expect(toVillager()).toHaveLength(sent);
    const lastToZhao = () => fake.callsTo('/cgi-bin/message/send').filter((c) => c.body.touser === 'ZhaoPing' && c.body.msgtype === 'text').at(-1)!.body.text.content;
    expect(lastToZhao()).toBe(`事项 ${r.code} 已办结。群众暂时无法在线收到结果，请电话或当面告知，并在卡片上代群众评价。`);

    const now = await h.api(`/requests/${r.id}`);
    expect(now.status).toBe('resolved');
    expect(now.events.at(-1)).toMatchObject({ type: 'held_message', actor: 'system', data: { why: 'kf reply window closed' } });
    const held = await h.app.db.ds.getRepository(OutboxRow).findBy({ requestId: r.id, status: 'held' });
    expect(held.map((o) => (o.payload as any).text)).toEqual([expect.stringContaining('办理结果：已更换灯泡')]);

    const phone = cardsTo('ZhaoPing').find((c) => c.main_title.title === '请电话告知群众');
    expect(phone.button_list.map((b: any) => b.text)).toEqual(['已电话告知']);
    await tap('ZhaoPing', phone.task_id, 'phoned');
    const phoned = await h.api(`/requests/${r.id}`);
    expect(phoned.events.at(-1)).toMatchObject({ type: 'phoned', actor: 'person:zhao', channel: 'wecom' });
    expect(await h.app.db.ds.getRepository(OutboxRow).countBy({ requestId: r.id, status: 'held' })).toBe(0);
    expect(await h.app.db.ds.getRepository(OutboxRow).countBy({ requestId: r.id, status: 'phoned' })).toBe(1);
    // A second tap on the answered card records nothing more.
    h.clock.advance(1000);
    await tap('ZhaoPing', phone.task_id, 'phoned');
    await cadre('ZhaoPing', `已电话告知 ${r.code}`);
    expect((await h.api(`/requests/${r.id}`)).events.filter((e: any) => e.type === 'phoned')).toHaveLength(1);
    const toZhao = fake.callsTo('/cgi-bin/message/send').filter((c) => c.body.touser === 'ZhaoPing' && c.body.msgtype === 'text').map((c) => c.body.text.content);
    expect(toZhao.slice(-3)).toEqual([`已记录：事项 ${r.code} 已电话告知群众。`, '该卡片已处理：已电话告知。', `事项 ${r.code} 没有待电话告知的消息。`]);

    // On the phone the villager says 满意: the owner records it for them.
    const proxy = cardsTo('ZhaoPing').find((c) => c.main_title.title === '请代群众评价（当面或电话）');
    expect(proxy.button_list.map((b: any) => b.text)).toEqual(['满意', '不满意']);
    await tap('ZhaoPing', proxy.task_id, 'satisfied');
    const closed = await h.api(`/requests/${r.id}`);
    expect(closed).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
    expect(closed.events.find((e: any) => e.type === 'rated')).toMatchObject({ actor: 'person:zhao', data: { value: 'satisfied' } });
  });

  it('counts every message of the window, the receipt too: the sixth is held', async () => {
    const r = await accepted(); // receipt (1), accepted (2)
    await cadre('WangJianGuo', `时限 ${r.code} 2026-12-10`); // 3 (a leader's own 时限 applies at once)
    await cadre('ZhaoPing', `告知 ${r.code} 请发一张路灯的照片`); // 4
    await cadre('ZhaoPing', `上报 ${r.code} 2026-12-20`); // 5
    expect(toVillager()).toHaveLength(5);
    await cadre('ZhaoPing', `办结 ${r.code} 县里已安排更换`);
    expect(toVillager()).toHaveLength(5);
    expect((await h.api(`/requests/${r.id}`)).events.at(-1).type).toBe('held_message');
    expect(cardsTo('ZhaoPing').some((c) => c.main_title.title === '请电话告知群众')).toBe(true);

    // The villager writes again: the window opens anew, the held result goes out first, and 1 is understood.
    await kf('1');
    const sent = toVillager();
    expect(sent).toHaveLength(7);
    expect(sent[5]).toContain('办理结果：县里已安排更换');
    expect(sent[6]).toContain('感谢您的评价');
    const after = await h.api(`/requests/${r.id}`);
    expect(after).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
    expect(after.events.map((e: any) => e.type)).toContain('held_released');
    expect(await h.app.db.ds.getRepository(OutboxRow).countBy({ requestId: r.id, status: 'held' })).toBe(0);
  });
});
