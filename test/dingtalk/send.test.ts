import { DingtalkApi } from '../../bot/dingtalk/api';
import { DingtalkSender } from '../../bot/dingtalk/send';
import type { CardContent } from '../../cards/content';
import { memoryLogger } from '../../src/log';
import type { OutboundMessage, OutboundPayload } from '../../src/platform/types';
import { FAKE_APP, FakeDingtalk } from '../helpers/fake-dingtalk';

/**
 * What goes out, against the fake OpenAPI over real HTTP: the access token (cached, refreshed once
 * on expiry with one refresh in flight), batches of 20, retryable and final errors, cards with a
 * template (createAndDeliver, PUT) and without one (ActionCards whose buttons send text commands).
 */
const CARD: CardContent = {
  code: '20261126-001',
  title: '新的群众诉求',
  subtitle: '关沟村 · 待受理',
  quote: '村口路灯坏了三天了',
  fields: [
    { label: '编号', value: '20261126-001' },
    { label: '反映人', value: '袁志弟' },
  ],
  buttons: [
    { key: 'accept', label: '受理', style: 'primary' },
    { key: 'forward', label: '转办', style: 'default' },
  ],
  url: 'https://minqing.example.gov.cn/r/1',
};

describe('DingTalk sends', () => {
  let fake: FakeDingtalk;
  let t = 1_764_122_400_000;
  const make = (o: { template?: boolean; timeoutMs?: number } = {}) => {
    const { log, lines } = memoryLogger('debug');
    const api = new DingtalkApi({ apiBase: fake.base, oapiBase: fake.base, appKey: FAKE_APP.key, appSecret: FAKE_APP.secret, log, now: () => t, timeoutMs: o.timeoutMs });
    const sender = new DingtalkSender({ api, robotCode: FAKE_APP.robot, cardTemplateId: o.template === false ? undefined : 'tpl.schema', callbackType: 'STREAM', log });
    return { api, sender, lines };
  };
  let id = 0;
  const msg = (to: string[], payload: OutboundPayload, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({ id: ++id, platform: 'dingtalk', channel: 'app', to, payload, attempt: 1, ...extra });
  const text = (s = '您好') => ({ kind: 'text' as const, text: s });

  beforeEach(async () => {
    fake = await new FakeDingtalk().start();
  });
  afterEach(async () => {
    await fake.stop();
  });

  it('fetches the token once, keeps it until five minutes before expiry, then fetches again', async () => {
    const { sender } = make();
    expect(await sender.send(msg(['0451'], text()))).toMatchObject({ ok: true });
    await sender.send(msg(['0451'], text()));
    expect(fake.tokenFetches).toBe(1);
    t += (7200 - 301) * 1000;
    await sender.send(msg(['0451'], text()));
    expect(fake.tokenFetches).toBe(1);
    t += 2_000;
    await sender.send(msg(['0451'], text()));
    expect(fake.tokenFetches).toBe(2);
    const call = fake.callsTo('/v1.0/robot/oToMessages/batchSend')[0];
    expect(call.body).toEqual({ robotCode: FAKE_APP.robot, userIds: ['0451'], msgKey: 'sampleText', msgParam: JSON.stringify({ content: '您好' }) });
  });

  it('refreshes once, with one refresh in flight, when the platform says the token expired', async () => {
    const { sender, lines } = make();
    await sender.send(msg(['0451'], text()));
    fake.expireTokens();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => sender.send(msg(['0451'], text()))));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(fake.tokenFetches).toBe(2);
    expect(lines().filter((l) => l.msg === 'dingtalk token rejected; refreshing once').length).toBeGreaterThanOrEqual(1);
  });

  it('sends to more than 20 people in batches of 20, and a retry after a failed batch skips the ones sent', async () => {
    const { sender } = make();
    const to = Array.from({ length: 45 }, (_, i) => `u${i}`);
    fake.script('/v1.0/robot/oToMessages/batchSend', { status: 200, json: { processQueryKey: 'pqk-a' } });
    fake.script('/v1.0/robot/oToMessages/batchSend', { status: 503, json: { code: 'ServiceUnavailable', message: 'busy' } });
    const m = msg(to, text());
    const first = await sender.send(m);
    expect(first).toMatchObject({ ok: false, retryable: true });
    const second = await sender.send({ ...m, attempt: 2 });
    expect(second).toMatchObject({ ok: true, result: { batches: 3 } });
    expect(fake.callsTo('/v1.0/robot/oToMessages/batchSend').map((c) => c.body.userIds.length)).toEqual([20, 20, 20, 5]);
  });

  it.each([
    ['throttling (QPS limit)', { status: 403, json: { code: 'Forbidden.AccessDenied.QpsLimitForApi', message: '调用频率超限' } }, true],
    ['HTTP 429', { status: 429, json: { code: 'Throttling', message: 'too many' } }, true],
    ['a server error', { status: 500, json: { code: 'InternalError', message: 'oops' } }, true],
    ['a bad parameter', { status: 400, json: { code: 'param.invalid', message: 'robotCode 无效' } }, false],
    ['no permission', { status: 403, json: { code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: '没有调用该接口的权限' } }, false],
  ])('classifies %s', async (_n, answer, retryable) => {
    const { sender } = make();
    fake.script('/v1.0/robot/oToMessages/batchSend', answer);
    expect(await sender.send(msg(['0451'], text()))).toMatchObject({ ok: false, retryable });
  });

  it('counts a timeout and bad credentials right', async () => {
    const { sender } = make({ timeoutMs: 200 });
    fake.script('/v1.0/robot/oToMessages/batchSend', { hang: true });
    expect(await sender.send(msg(['0451'], text()))).toMatchObject({ ok: false, retryable: true });
    const bad = new DingtalkSender({ api: new DingtalkApi({ apiBase: fake.base, oapiBase: fake.base, appKey: FAKE_APP.key, appSecret: 'wrong', log: memoryLogger().log }), robotCode: 'r', callbackType: 'STREAM', log: memoryLogger().log });
    expect(await bad.send(msg(['0451'], text()))).toMatchObject({ ok: false, retryable: false });
  });

  it('retries later when every recipient is flow-controlled, and fails at once when none is a member', async () => {
    const { sender } = make();
    fake.script('/v1.0/robot/oToMessages/batchSend', { status: 200, json: { processQueryKey: 'x', flowControlledStaffIdList: ['0451'] } });
    expect(await sender.send(msg(['0451'], text()))).toMatchObject({ ok: false, retryable: true, retryAfterMs: 60_000 });
    fake.script('/v1.0/robot/oToMessages/batchSend', { status: 200, json: { processQueryKey: 'x', invalidStaffIdList: ['nobody'] } });
    expect(await sender.send(msg(['nobody'], text()))).toMatchObject({ ok: false, retryable: false });
  });

  it('creates one card instance for all recipients, and only delivers it again when it exists', async () => {
    const { sender } = make();
    const card = { kind: 'card' as const, cardId: 1, taskId: 'mq1_new_request_abc', card: CARD };
    expect(await sender.send(msg(['0451', '0441'], card))).toMatchObject({ ok: true, result: { outTrackId: 'mq1_new_request_abc', delivered: 2 } });
    expect(await sender.send(msg(['0451', '0441'], card))).toMatchObject({ ok: true });
    expect(fake.callsTo('/v1.0/card/instances/createAndDeliver')).toHaveLength(2);
    expect(fake.callsTo('/v1.0/card/instances/deliver')[0].body).toMatchObject({ outTrackId: 'mq1_new_request_abc', openSpaceId: 'dtv1.card//IM_ROBOT.0451;IM_ROBOT.0441' });
    const upd = { kind: 'card_update' as const, cardId: 1, taskId: 'mq1_new_request_abc', card: { ...CARD, buttons: [], closedNote: '已由李四受理' }, replaceName: '已由李四受理' };
    expect(await sender.send(msg(['0451', '0441'], upd))).toMatchObject({ ok: true });
    expect(fake.callsTo('/v1.0/card/instances', 'PUT')).toHaveLength(1);
    expect(fake.cards.get('mq1_new_request_abc')!.cardData).toMatchObject({ closed: 'true', closed_note: '已由李四受理', btn1_show: 'false', select_show: 'false' });
  });

  it('without a template, sends an ActionCard whose buttons send the text command, and updates by text', async () => {
    const { sender } = make({ template: false });
    await sender.send(msg(['0451', '0441'], { kind: 'card', cardId: 1, taskId: 'mq1_x', card: CARD }));
    const ac = fake.callsTo('/v1.0/robot/oToMessages/batchSend')[0].body;
    expect(ac.msgKey).toBe('sampleActionCard2');
    const p = JSON.parse(ac.msgParam);
    expect([p.actionTitle1, p.actionTitle2]).toEqual(['受理', '转办']);
    expect(p.actionURL1).toBe(`dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent('受理 20261126-001')}`);
    expect(p.actionURL2).toBe(`dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent('转办 20261126-001')}`);
    expect(p.text).toContain('「受理 20261126-001」');
    await sender.send(msg(['0441'], { kind: 'card_update', cardId: 1, taskId: 'mq1_x', card: CARD, replaceName: '已由李四受理' }));
    const upd = fake.callsTo('/v1.0/robot/oToMessages/batchSend')[1].body;
    expect(JSON.parse(upd.msgParam).content).toBe('新的群众诉求（20261126-001）：已由李四受理');
    expect(fake.callsTo('/v1.0/card/instances/createAndDeliver')).toHaveLength(0);
  });

  it('sends to a group by conversation id, and pictures through media/upload', async () => {
    const { sender } = make();
    await sender.send(msg(['1001'], text('收到'), { channel: 'group', via: { conversationId: 'cidG==' } }));
    expect(fake.callsTo('/v1.0/robot/groupMessages/send')[0].body).toMatchObject({ openConversationId: 'cidG==', msgKey: 'sampleText' });
    await sender.send(msg(['0420'], { kind: 'image', pngBase64: Buffer.from('png').toString('base64') }));
    expect(fake.callsTo('/media/upload')).toHaveLength(1);
    const img = fake.callsTo('/v1.0/robot/oToMessages/batchSend')[0].body;
    expect(img.msgKey).toBe('sampleImageMsg');
    expect(JSON.parse(img.msgParam).photoURL).toMatch(/^@media/);
  });
});
