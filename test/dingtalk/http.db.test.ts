import { dingtalkCardSign, dingtalkSign } from '../../bot/dingtalk/sign';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { CARD_SECRET, cardTap, DingtalkHarness, robotMedia, robotText, signedFor, signedHeaders, startDingtalk } from '../helpers/dingtalk';
import { FAKE_APP } from '../helpers/fake-dingtalk';

/**
 * HTTP mode (DINGTALK_MODE=http): POST /dingtalk/robot and /dingtalk/card, signed with the
 * `timestamp` and `sign` headers. A bad or stale signature, or a body that is not what the route
 * takes, gets a 4xx, changes nothing, and is logged once with the reason.
 */
describe.each(dialects())('DingTalk HTTP mode (%s)', (dialect) => {
  let t: DingtalkHarness;
  const now = () => t.h.clock.now().getTime();
  const post = (path: string, body: unknown, headers: Record<string, string> = signedFor(path, now())) =>
    t.h.fetch(path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const deliveries = async () => Number((await t.h.app.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM inbound_delivery'))[0].n);
  const rejections = () => t.h.logs().filter((l) => l.msg === 'dingtalk callback rejected');

  beforeEach(async () => {
    t = await startDingtalk({ databaseUrl: await freshDatabaseUrl(dialect), mode: 'http' });
  });
  afterEach(async () => {
    await t.close();
  });
  afterAll(dropCreatedDatabases);

  it('takes a signed 1:1 message, trims the leading space, and answers 200', async () => {
    const res = await post('/dingtalk/robot', robotText({ from: '1001', content: '村口路灯坏了三天了', createAt: now() }));
    expect(res.status).toBe(200);
    await t.h.app.settle();
    const { requests } = await t.h.api('/requests');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ text: '村口路灯坏了三天了', village: 'guangou' });
    expect(t.fake.callsTo('/v1.0/card/instances/createAndDeliver')[0].body.callbackType).toBe('HTTP');
  });

  it.each([
    ['no signature headers', { 'content-type': 'application/json' }],
    ['a sign made with another secret', { 'content-type': 'application/json', timestamp: 'NOW', sign: 'SIGNOTHER' }],
    ['a stale timestamp', { 'content-type': 'application/json', timestamp: 'OLD', sign: 'SIGNOLD' }],
    ['a sign for another timestamp', { 'content-type': 'application/json', timestamp: 'NOW', sign: 'SIGNOLD' }],
  ])('refuses %s with 401, stores nothing, logs one line', async (_name, raw) => {
    const ts = String(now());
    const old = String(now() - 3_600_001);
    const headers = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [
        k,
        v.replace('NOW', ts).replace('SIGNOLD', dingtalkSign(old, FAKE_APP.secret)).replace('SIGNOTHER', dingtalkSign(ts, 'not-the-secret')).replace('OLD', old),
      ]),
    );
    // The card route takes the same pair under its own names (x-ddpaas-signature-*), made with the card apiSecret.
    const cardSign = (v: string) => v.replace(dingtalkSign(old, FAKE_APP.secret), dingtalkCardSign(old, CARD_SECRET)).replace(dingtalkSign(ts, 'not-the-secret'), dingtalkCardSign(ts, 'not-the-secret'));
    const cardHeaders = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k === 'timestamp' ? 'x-ddpaas-signature-timestamp' : k === 'sign' ? 'x-ddpaas-signature' : k, cardSign(v)]),
    );
    for (const path of ['/dingtalk/robot', '/dingtalk/card']) {
      const res = await post(path, path.endsWith('robot') ? robotText({ from: '1001', content: '你好' }) : cardTap({ from: '0451', taskId: 'x', action: 'accept' }), path.endsWith('robot') ? headers : cardHeaders);
      expect(res.status).toBe(401);
    }
    expect(await deliveries()).toBe(0);
    expect(rejections()).toHaveLength(2);
    expect(rejections()[0]).toMatchObject({ status: 401, route: '/dingtalk/robot' });
    expect(String(rejections()[0].reason)).toMatch(/sign|timestamp/);
  });

  it('refuses a signed body that is not a robot message, and one over 1 MB', async () => {
    expect((await post('/dingtalk/robot', 'not json')).status).toBe(400);
    expect((await post('/dingtalk/robot', { hello: 'world' })).status).toBe(400);
    expect((await post('/dingtalk/card', { outTrackId: 'x' })).status).toBe(400);
    const big = await post('/dingtalk/robot', JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }));
    expect(big.status).toBe(413);
    expect(await deliveries()).toBe(0);
  });

  it('answers a tap at once with the tapper\'s card data, and the 受理 takes effect once', async () => {
    await post('/dingtalk/robot', robotText({ from: '1001', content: '自来水停了', createAt: now() }));
    await t.h.app.settle();
    const card = t.fake.callsTo('/v1.0/card/instances/createAndDeliver')[0].body;
    const tap = cardTap({ from: '0441', taskId: card.outTrackId, action: 'accept', rev: card.cardData.cardParamMap.rev });
    const started = Date.now();
    const [a, b] = await Promise.all([post('/dingtalk/card', tap), post('/dingtalk/card', tap)]);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await a.json()).toMatchObject({ cardUpdateOptions: { updatePrivateDataByKey: true }, userPrivateData: { cardParamMap: { action_note_rev: card.cardData.cardParamMap.rev } } });
    await t.h.app.settle();
    const { requests } = await t.h.api('/requests');
    expect(requests[0].owner).toEqual({ id: 'luo', name: '罗先运' });
    expect(await deliveries()).toBe(2);
    expect(t.fake.callsTo('/v1.0/card/instances', 'PUT')).toHaveLength(1);
  });

  it('shows the 农事村办 matter\'s 时限 chosen on the card, and a 受理 without touching it applies that 时限', async () => {
    await post('/dingtalk/robot', robotText({ from: '1001', content: '我想申请低保，家里老人常年生病', createAt: now() }));
    await t.h.app.settle();
    const card = t.fake.callsTo('/v1.0/card/instances/createAndDeliver')[0].body;
    const data = card.cardData.cardParamMap;
    expect(data.select_key).toBe('tier');
    expect(data.select_default).toBe('beyond:20');
    expect(JSON.parse(data.select_options)).toContainEqual({ value: 'beyond:20', text: expect.stringContaining('农村低保') });
    // The tap carries the template's private select_value: empty when the cadre left the select alone.
    await post('/dingtalk/card', cardTap({ from: '0451', taskId: card.outTrackId, action: 'accept', rev: data.rev, select: { key: 'tier', value: '' } }));
    await t.h.app.settle();
    const { requests } = await t.h.api('/requests');
    expect(requests[0]).toMatchObject({ owner: { id: 'li' }, tier: 'beyond' });
  });

  it('keeps pictures, voice and files as attachments with their download codes', async () => {
    await post('/dingtalk/robot', robotText({ from: '1001', content: '路灯坏了', createAt: now() }));
    for (const type of ['picture', 'audio', 'file'] as const) await post('/dingtalk/robot', robotMedia({ from: '1001', type }));
    await t.h.app.settle();
    const { requests } = await t.h.api('/requests');
    expect(requests).toHaveLength(1);
    const rows = await t.h.app.db.query<{ kind: string; media_id: string }>('SELECT kind, media_id FROM attachment ORDER BY id');
    expect(rows.map((r) => [r.kind, r.media_id])).toEqual([
      ['image', 'dl-picture-1'],
      ['voice', 'dl-audio-1'],
      ['file', 'dl-file-1'],
    ]);
  });

  it('answers a group @-message in the group, by its conversation id', async () => {
    await post('/dingtalk/robot', robotText({ from: '1001', content: '桥面塌了', group: 'cidGroupGuanGou==', createAt: now() }));
    await t.h.app.settle();
    const sent = t.fake.callsTo('/v1.0/robot/groupMessages/send');
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toMatchObject({ openConversationId: 'cidGroupGuanGou==', robotCode: FAKE_APP.robot, msgKey: 'sampleText' });
    expect(JSON.parse(sent[0].body.msgParam).content).toMatch(/^您反映的问题已收到/);
  });

  it('maps a cadre\'s staff id to the person and an unknown staff id to a new villager', async () => {
    await post('/dingtalk/robot', robotText({ from: '0451', content: '你好', createAt: now() }));
    await post('/dingtalk/robot', robotText({ from: 'newStaff9', content: '我家门口的水沟堵了', createAt: now() }));
    await t.h.app.settle();
    const { requests } = await t.h.api('/requests');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ village: null, level: 'township' });
    const batch = t.fake.callsTo('/v1.0/robot/oToMessages/batchSend').map((c) => c.body.userIds.join('|'));
    expect(batch).toContain('0451');
    expect(batch).toContain('newStaff9');
  });

  it('is not mounted in stream mode', async () => {
    const s = await startDingtalk({ databaseUrl: await freshDatabaseUrl(dialect) });
    try {
      const res = await s.h.fetch('/dingtalk/robot', { method: 'POST', headers: signedHeaders(s.h.clock.now().getTime()), body: '{}' });
      expect(res.status).toBe(404);
    } finally {
      await s.close();
    }
  });
});
