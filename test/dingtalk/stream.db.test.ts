import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { cardTap, DingtalkHarness, robotText, startDingtalk, TOPIC_CARD, TOPIC_ROBOT } from '../helpers/dingtalk';

/**
 * Stream mode end to end, over a real WebSocket to the fake gateway: a villager's DingTalk message
 * becomes a request, the duty and resident cadres get one interactive card (outTrackId = our task
 * id), the first 受理 wins, every copy is updated with one PUT, the villager is told. Frames are
 * acknowledged once stored; redelivered frames and duplicate taps take effect once.
 */
describe.each(dialects())('DingTalk stream mode (%s)', (dialect) => {
  let t: DingtalkHarness;
  const now = () => t.h.clock.now().getTime();

  beforeEach(async () => {
    t = await startDingtalk({ databaseUrl: await freshDatabaseUrl(dialect) });
  });
  afterEach(async () => {
    await t.close();
  });
  afterAll(dropCreatedDatabases);

  const sends = () => t.fake.callsTo('/v1.0/robot/oToMessages/batchSend').map((c) => ({ to: c.body.userIds, key: c.body.msgKey, param: JSON.parse(c.body.msgParam) }));
  const textsTo = (id: string) => sends().filter((s) => s.key === 'sampleText' && s.to.includes(id)).map((s) => s.param.content as string);

  async function villagerWrites(content = '村口路灯坏了三天了', msgId?: string) {
    const ack = await t.fake.push(TOPIC_ROBOT, robotText({ from: '1001', content, msgId, createAt: now() }));
    expect(ack.code).toBe(200);
    await t.h.app.settle();
    return (await t.h.api('/requests')).requests;
  }

  it('subscribes to robot messages and card callbacks through the fake gateway', () => {
    expect(t.fake.subscriptions[0]).toEqual([
      { type: 'CALLBACK', topic: TOPIC_ROBOT },
      { type: 'CALLBACK', topic: TOPIC_CARD },
    ]);
  });

  it('turns a villager message into a request, a receipt, and one card delivered to the duty and resident cadres', async () => {
    const [req] = await villagerWrites();
    expect(req).toMatchObject({ status: 'pending', village: 'guangou', text: '村口路灯坏了三天了', owner: null });
    expect(textsTo('1001')[0]).toContain(req.code);

    const create = t.fake.callsTo('/v1.0/card/instances/createAndDeliver');
    expect(create).toHaveLength(1);
    expect(create[0].body).toMatchObject({
      cardTemplateId: 'minqing-card-test.schema',
      callbackType: 'STREAM',
      openSpaceId: 'dtv1.card//IM_ROBOT.0451;IM_ROBOT.0441',
      userIdType: 1,
      imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: 'dingrobotminqing' },
    });
    const data = create[0].body.cardData.cardParamMap;
    expect(Object.values(data).every((v) => typeof v === 'string')).toBe(true);
    expect([data.btn1_text, data.btn2_text, data.btn3_show]).toEqual(['受理', '转办', 'false']);
    expect(data.quote).toBe('村口路灯坏了三天了');
    expect(create[0].headers['x-acs-dingtalk-access-token']).toMatch(/^dtok/);
  });

  it('makes the first 受理 the owner, answers the tap at once, updates every copy and tells the villager', async () => {
    const [req] = await villagerWrites();
    const create = t.fake.callsTo('/v1.0/card/instances/createAndDeliver')[0].body;
    const taskId = create.outTrackId;
    expect(taskId).toMatch(/^mq\d+_new_request_/);

    const ack = await t.fake.push(TOPIC_CARD, cardTap({ from: '0451', taskId, action: 'accept', rev: create.cardData.cardParamMap.rev }));
    const answer = JSON.parse(ack.data).response;
    expect(answer.cardUpdateOptions).toEqual({ updateCardDataByKey: true, updatePrivateDataByKey: true });
    expect(answer.userPrivateData.cardParamMap.action_note_rev).toBe(create.cardData.cardParamMap.rev);
    await t.h.app.settle();

    const after = await t.h.api(`/requests/${req.id}`);
    expect(after).toMatchObject({ status: 'accepted', owner: { id: 'li', name: '李四' } });
    const puts = t.fake.callsTo('/v1.0/card/instances', 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0].body.outTrackId).toBe(taskId);
    expect(puts[0].body.cardData.cardParamMap).toMatchObject({ closed: 'true', closed_note: '已由李四受理', btn1_show: 'false' });
    expect(t.fake.cards.get(taskId)!.cardData.closed_note).toBe('已由李四受理');
    expect(textsTo('1001')[1]).toContain('李四');

    const ownerCard = t.fake.callsTo('/v1.0/card/instances/createAndDeliver')[1].body;
    expect(ownerCard.openSpaceId).toBe('dtv1.card//IM_ROBOT.0451');
    expect(ownerCard.cardData.cardParamMap.btn1_text).toBe('办结');
  });

  it('takes a redelivered frame and a re-sent message once', async () => {
    const body = robotText({ from: '1001', content: '水管爆了', msgId: 'msgSameOne', createAt: now() });
    await t.fake.push(TOPIC_ROBOT, body, 'frame-A');
    await t.fake.push(TOPIC_ROBOT, body, 'frame-A'); // the platform did not see the ack
    await t.fake.push(TOPIC_ROBOT, body, 'frame-B'); // the platform sent the message again
    expect(t.fake.acks.map((a) => a.messageId)).toEqual(['frame-A', 'frame-A', 'frame-B']);
    await t.h.app.settle();
    expect((await t.h.api('/requests')).requests).toHaveLength(1);
    expect(textsTo('1001')).toHaveLength(1);
  });

  it('gives one owner under duplicate and concurrent taps', async () => {
    const [req] = await villagerWrites();
    const create = t.fake.callsTo('/v1.0/card/instances/createAndDeliver')[0].body;
    const tap = (from: string) => cardTap({ from, taskId: create.outTrackId, action: 'accept', rev: create.cardData.cardParamMap.rev });
    await Promise.all([t.fake.push(TOPIC_CARD, tap('0451')), t.fake.push(TOPIC_CARD, tap('0451')), t.fake.push(TOPIC_CARD, tap('0441'))]);
    await t.fake.push(TOPIC_CARD, tap('0451'), 'frame-dup');
    await t.fake.push(TOPIC_CARD, tap('0451'), 'frame-dup');
    await t.h.app.settle();
    const after = await t.h.api(`/requests/${req.id}`);
    expect(after.status).toBe('accepted');
    expect(after.events.filter((e: any) => e.type === 'accepted')).toHaveLength(1);
    expect(t.fake.callsTo('/v1.0/card/instances', 'PUT')).toHaveLength(1);
  });

  it('reconnects after the socket drops, logs it, and loses nothing sent meanwhile', async () => {
    t.fake.drop();
    const whileDown = t.fake.push(TOPIC_ROBOT, robotText({ from: '1001', content: '停电了', createAt: now() }));
    await t.fake.waitConnected(2);
    await whileDown;
    // A frame the network loses before its ack: it comes again on the next connection, once.
    const lost = t.fake.push(TOPIC_ROBOT, robotText({ from: '1002', content: '白垭村桥面塌了', createAt: now() }));
    t.fake.drop();
    await t.fake.waitConnected(3);
    await lost;
    await t.h.app.settle();
    const { requests } = await t.h.api('/requests');
    expect(requests.map((r: any) => r.text).sort()).toEqual(['停电了', '白垭村桥面塌了'].sort());
    const reconnects = t.h.logs().filter((l) => l.msg === 'dingtalk stream reconnecting');
    expect(reconnects.length).toBeGreaterThanOrEqual(2);
    expect(reconnects[0]).toMatchObject({ platform: 'dingtalk', attempt: 1 });
  });

  it('backs off while the gateway refuses to open a connection, then connects', async () => {
    t.fake.script('/v1.0/gateway/connections/open', { status: 503, json: { code: 'ServiceUnavailable', message: 'busy' } }, 2);
    t.fake.drop();
    await t.fake.waitConnected(2);
    const tries = t.h.logs().filter((l) => l.msg === 'dingtalk stream reconnecting');
    expect(tries.map((l) => [l.attempt, l.delayMs])).toEqual([
      [1, 50],
      [2, 100],
      [3, 200],
    ]);
    expect(String(tries[1].reason)).toContain('HTTP 503');
  });

  it('drops a silent connection (no pong, no frame) and reconnects', async () => {
    t.fake.silence();
    await t.fake.waitConnected(2);
    expect(t.h.logs().some((l) => l.msg === 'dingtalk stream silent too long; dropping the socket')).toBe(true);
    await t.fake.push(TOPIC_ROBOT, robotText({ from: '1001', content: '又停电了', createAt: now() }));
    await t.h.app.settle();
    expect((await t.h.api('/requests')).requests).toHaveLength(1);
  });

  it('without a template says so at start and sends ActionCards whose buttons send the command', async () => {
    const plain = await startDingtalk({ databaseUrl: await freshDatabaseUrl(dialect), template: false });
    try {
      expect(plain.h.logs().some((l) => String(l.msg).startsWith('DINGTALK_CARD_TEMPLATE_ID is not set'))).toBe(true);
      await plain.fake.push(TOPIC_ROBOT, robotText({ from: '1001', content: '路灯坏了', createAt: plain.h.clock.now().getTime() }));
      await plain.h.app.settle();
      const { requests } = await plain.h.api('/requests');
      const card = plain.fake.callsTo('/v1.0/robot/oToMessages/batchSend').find((c) => c.body.msgKey.startsWith('sampleActionCard'))!.body;
      expect(card.userIds).toEqual(['0451', '0441']);
      const p = JSON.parse(card.msgParam);
      expect(p.singleURL ?? p.actionURL1).toContain(encodeURIComponent(`受理 ${requests[0].code}`));
      expect(plain.fake.callsTo('/v1.0/card/instances/createAndDeliver')).toHaveLength(0);
    } finally {
      await plain.close();
    }
  });

  it('reconnects when the gateway announces a disconnect, and survives a frame that is not JSON', async () => {
    t.fake.raw('this is not json');
    t.fake.raw(JSON.stringify({ specVersion: '1.0', type: 'SYSTEM', headers: { topic: 'disconnect', messageId: 'sys-1' }, data: '{}' }));
    await t.fake.waitConnected(2);
    const logs = t.h.logs().map((l) => l.msg);
    expect(logs).toContain('dingtalk stream frame is not JSON; ignored');
    expect(logs).toContain('dingtalk stream: the gateway announced a disconnect; reconnecting');
  });
});
