import { KvRow } from '../../src/db/entities';
import { enqueue } from '../../src/outbox/outbox';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { FakeWecom } from '../helpers/fake-wecom';
import { Harness, startHarness } from '../helpers/harness';
import { kfEventXml, seal } from '../helpers/wecom';

/**
 * 微信客服: most villagers are ordinary WeChat users. A kf_msg_or_event callback makes us read
 * kf/sync_msg from the stored cursor; each customer message becomes a request; replies go out
 * through kf/send_msg. Nothing is read twice or skipped, across callbacks and restarts.
 */
const KF = 'wkMinqingKf0000001';
const SYNC = '/cgi-bin/kf/sync_msg';

describe.each(dialects())('微信客服 (%s)', (dialect) => {
  let h: Harness;
  let fake: FakeWecom;
  let seq = 0;
  const ts = () => Math.floor(h.clock.now().getTime() / 1000);
  const start = async (databaseUrl: string) => (h = await startHarness({ databaseUrl, platform: 'wecom', wecom: fake }));

  const kfText = (from: string, content: string, extra: Record<string, unknown> = {}) => ({
    msgid: `kfmsg${++seq}`,
    open_kfid: KF,
    external_userid: from,
    send_time: ts(),
    origin: 3,
    msgtype: 'text',
    text: { content },
    ...extra,
  });
  const say = (...msgs: Record<string, unknown>[]) => fake.kfMessages.set(KF, [...(fake.kfMessages.get(KF) ?? []), ...msgs]);
  const callback = (token: string) => {
    const { query, body } = seal(kfEventXml({ token, openKfId: KF, createTime: ts() }), { timestamp: ts() });
    return h.fetch(`/wecom/callback?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
  };
  async function nudge(token = `synctoken${++seq}`): Promise<void> {
    const res = await callback(token);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await h.app.settle();
  }
  const kfReplies = (to: string) => fake.callsTo('/cgi-bin/kf/send_msg').filter((c) => c.body.touser === to).map((c) => c.body);
  const cards = () =>
    fake.callsTo('/cgi-bin/message/send').filter((c) => c.body.msgtype === 'template_card').map((c) => String(c.body.touser).split('|').sort().join('|'));
  const requests = async () => (await h.api('/requests')).requests.reverse();
  const cursor = async () => (await h.app.db.ds.getRepository(KvRow).findOneBy({ key: `wecom.kf.cursor.${KF}` }))?.value;

  beforeEach(async () => {
    fake = await new FakeWecom().start();
    await start(await freshDatabaseUrl(dialect));
  });
  afterEach(async () => {
    await h.close();
    await fake.stop();
  });
  afterAll(dropCreatedDatabases);

  it('reads kf/sync_msg with the callback token, and an unknown WeChat user is asked their village once', async () => {
    const U = 'wmVillagerNumberOne';
    say(kfText(U, '村口路灯坏了三天了'));
    await nudge('ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR');

    const [sync] = fake.callsTo(SYNC);
    expect(sync.body).toMatchObject({ token: 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR', open_kfid: KF });
    expect(sync.body.cursor).toBeUndefined();
    expect(sync.query.access_token).toBe('tok1');

    const [req] = await requests();
    expect(req).toMatchObject({ status: 'pending', village: null, text: '村口路灯坏了三天了', channel: 'kf' });
    expect(cards()).toEqual(['SunMin|ZhaoPing']); // no village yet: the township office
    const [receipt] = kfReplies(U);
    expect(receipt).toMatchObject({ open_kfid: KF, msgtype: 'text' });
    expect(receipt.text.content).toContain(req.code);
    expect(receipt.text.content).toContain('请回复您所在的村名');

    h.clock.advance(30_000);
    say(kfText(U, '关沟村'));
    await nudge();
    expect(kfReplies(U).at(-1)!.text.content).toBe('好的，已记下您是关沟村村民。');
    expect(await requests()).toHaveLength(1);

    h.clock.advance(10 * 60_000);
    say(kfText(U, '自来水也停了'));
    await nudge();
    const second = (await requests())[1];
    expect(second).toMatchObject({ village: 'guangou', text: '自来水也停了' });
    expect(cards().at(-1)).toBe('LiSi|LuoXianYun');
    expect(kfReplies(U).at(-1)!.text.content).not.toContain('村名');
  });

  it('asks only once: a villager who never names their village is not asked again', async () => {
    const U = 'wmVillagerNumberTwo';
    say(kfText(U, '低保的事想问一下'));
    await nudge();
    h.clock.advance(10 * 60_000);
    say(kfText(U, '还有医保的事'));
    await nudge();
    const reqs = await requests();
    expect(reqs.map((r: any) => r.village)).toEqual([null, null]);
    expect(cards()).toEqual(['SunMin|ZhaoPing', 'SunMin|ZhaoPing']);
    const asks = kfReplies(U).filter((b) => b.text.content.includes('请回复您所在的村名'));
    expect(asks).toHaveLength(1);
    expect(kfReplies(U)[1].text.content).toContain(reqs[1].code);
  });

  it('keeps the cursor: a second callback reads only new messages, and after a restart nothing is read twice or skipped', async () => {
    say(kfText('wmA', '甲反映的问题'), kfText('wmB', '乙反映的问题'));
    await nudge();
    expect(await cursor()).toBe('2');

    say(kfText('wmC', '丙反映的问题'));
    await nudge();
    expect(fake.callsTo(SYNC).at(-1)!.body.cursor).toBe('2');
    expect((await requests()).map((r: any) => r.text)).toEqual(['甲反映的问题', '乙反映的问题', '丙反映的问题']);

    const url = h.app.config.databaseUrl;
    await h.close();
    say(kfText('wmD', '丁反映的问题'));
    await start(url);
    await nudge();
    expect(fake.callsTo(SYNC).at(-1)!.body.cursor).toBe('3');
    expect((await requests()).map((r: any) => r.text)).toEqual(['甲反映的问题', '乙反映的问题', '丙反映的问题', '丁反映的问题']);
    for (const u of ['wmA', 'wmB', 'wmC', 'wmD']) expect(kfReplies(u)).toHaveLength(1);
  });

  it('loses nothing it acknowledged: a callback the process died while handling is taken up after a restart', async () => {
    say(kfText('wmCrash', '停电了'));
    const res = await callback('crashtoken');
    expect(res.status).toBe(200);
    // As if the process died right after claiming the delivery.
    await h.app.db.query(`UPDATE inbound_delivery SET status = 'processing', locked_until = ?`, [h.clock.now().getTime() + 120_000]);
    const url = h.app.config.databaseUrl;
    await h.close();
    await start(url);
    await h.app.settle();
    expect(fake.callsTo(SYNC)).toHaveLength(0);
    h.clock.advance(120_001);
    await h.app.settle();
    expect(fake.callsTo(SYNC)).toHaveLength(1);
    expect((await requests()).map((r: any) => r.text)).toEqual(['停电了']);
  });

  it('follows has_more across pages and stores the cursor of the last one', async () => {
    fake.kfPageSize = 2;
    say(...['wm1', 'wm2', 'wm3', 'wm4', 'wm5'].map((u) => kfText(u, `${u} 的问题`)));
    await nudge();
    expect(fake.callsTo(SYNC).map((c) => c.body.cursor)).toEqual([undefined, '2', '4']);
    expect(await requests()).toHaveLength(5);
    expect(await cursor()).toBe('5');
  });

  it('takes the same kf message delivered twice once, and the same callback delivered twice once', async () => {
    const m = kfText('wmTwice', '同一条消息');
    say(m, m);
    const token = 'sametoken';
    const answers = await Promise.all([callback(token), callback(token), callback(token)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await h.app.settle();
    expect(fake.callsTo(SYNC)).toHaveLength(1);
    expect(await requests()).toHaveLength(1);
    expect(kfReplies('wmTwice')).toHaveLength(1);

    say(m); // WeCom hands it out again later (e.g. a cursor it reset)
    await nudge();
    expect(await requests()).toHaveLength(1);
  });

  it('keeps apart two messages whose long msgids differ only at the end', async () => {
    const long = 'x'.repeat(250);
    say(kfText('wmLong1', '第一条', { msgid: `${long}1` }), kfText('wmLong2', '第二条', { msgid: `${long}2` }));
    await nudge();
    expect(await requests()).toHaveLength(2);
  });

  it('skips what the customer did not write: servicer messages and system events', async () => {
    say(
      kfText('wmQuiet', '客服人员发的', { origin: 5, servicer_userid: 'ZhaoPing' }),
      { msgid: `kfmsg${++seq}`, open_kfid: KF, send_time: ts(), origin: 4, msgtype: 'event', event: { event_type: 'enter_session', external_userid: 'wmQuiet' } },
    );
    await nudge();
    expect(await requests()).toHaveLength(0);
    expect(await cursor()).toBe('2');
  });

  it('goes on without the callback token when WeCom says it expired (95007)', async () => {
    fake.script(SYNC, { json: { errcode: 95007, errmsg: 'invalid msg token' } });
    say(kfText('wmLate', '晚到的问题'));
    await nudge();
    const calls = fake.callsTo(SYNC);
    expect(calls).toHaveLength(2);
    expect(calls[1].body.token).toBeUndefined();
    expect(await requests()).toHaveLength(1);
  });

  it('sends each 微信客服 recipient its own kf/send_msg, even when enqueued together', async () => {
    const to = ['wmOne', 'wmTwo'].map((u) => ({ platform: 'wecom' as const, channel: 'kf' as const, userId: u, via: { openKfId: KF } }));
    await h.app.db.tx((r) => enqueue(r, h.app.deps.platforms, { to, payload: { kind: 'text', text: '停水通知' } }, h.clock.now().getTime()));
    await h.app.settle();
    expect(kfReplies('wmOne')).toEqual([expect.objectContaining({ open_kfid: KF, text: { content: '停水通知' } })]);
    expect(kfReplies('wmTwo')).toEqual([expect.objectContaining({ open_kfid: KF, text: { content: '停水通知' } })]);
  });
});
