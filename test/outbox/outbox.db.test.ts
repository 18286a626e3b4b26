import { OutboxRow } from '../../src/db/entities';
import { enqueue } from '../../src/outbox/outbox';
import { paceWaitMs } from '../../src/outbox/pacer';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { FakeWecom } from '../helpers/fake-wecom';
import { Harness, startHarness } from '../helpers/harness';
import { seal, textXml } from '../helpers/wecom';

/**
 * The outbox against the fake WeCom API over real HTTP: token caching and refresh, retries with
 * backoff on the clock (never real seconds), failures that are kept and listed, restarts, pacing.
 */
const OUTBOX = { backoffMs: [5_000, 30_000] };
const SEND = '/cgi-bin/message/send';

describe.each(dialects())('outbox (%s)', (dialect) => {
  let h: Harness;
  let fake: FakeWecom;
  const now = () => h.clock.now().getTime();
  const rows = () => h.app.db.ds.getRepository(OutboxRow).find({ order: { id: 'ASC' } });
  const sends = () => fake.callsTo(SEND);
  const texts = (to?: string) => sends().filter((c) => !to || c.body.touser === to).map((c) => c.body.text?.content);

  /** Enqueues one text message per entry (each its own row), as a rule's transaction would. */
  async function put(...msgs: [to: string, text: string][]): Promise<void> {
    for (const [to, text] of msgs) {
      await h.app.db.tx((r) => enqueue(r, h.app.deps.platforms, { to: { platform: 'wecom', channel: 'app', userId: to }, payload: { kind: 'text', text } }, now()));
    }
  }

  beforeEach(async () => {
    fake = await new FakeWecom().start();
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'wecom', wecom: fake, overrides: { outbox: OUTBOX } });
  });
  afterEach(async () => {
    await h.close();
    await fake.stop();
  });
  afterAll(dropCreatedDatabases);

  it('fetches the access token once for many sends, and again only when its lifetime is over', async () => {
    await put(['LiSi', '一'], ['ZhaoPing', '二'], ['LuoXianYun', '三'], ['WangJianGuo', '四'], ['ChenLi', '五']);
    await h.app.settle();
    await put(['LiSi', '六'], ['ZhaoPing', '七']);
    await h.app.settle();
    expect(sends()).toHaveLength(7);
    expect(fake.tokenFetches).toBe(1);
    expect(new Set(sends().map((c) => c.query.access_token))).toEqual(new Set(['tok1']));

    h.clock.advance(2 * 3600_000);
    await put(['LiSi', '八']);
    await h.app.settle();
    expect(fake.tokenFetches).toBe(2);
    expect(sends().at(-1)!.query.access_token).toBe('tok2');
  });

  it('refreshes an expired token (42001) once and sends the message in the same attempt', async () => {
    await put(['LiSi', '预热']);
    await h.app.settle();
    fake.expireTokens();
    await put(['LiSi', '过期之后']);
    await h.app.settle();
    expect(fake.tokenFetches).toBe(2);
    expect(texts('LiSi')).toEqual(['预热', '过期之后', '过期之后']);
    const last = (await rows()).at(-1)!;
    expect(last).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('makes concurrent sends that all notice the expiry at once share a single refresh', async () => {
    await put(['LiSi', '预热']);
    await h.app.settle();
    fake.expireTokens();
    fake.barrier(SEND, 4); // the four sends are all in flight before any answer comes back
    await put(['LiSi', 'a'], ['ZhaoPing', 'b'], ['LuoXianYun', 'c'], ['WangJianGuo', 'd']);
    await h.app.settle();
    const rejected = sends().filter((c) => c.query.access_token === 'tok1' && c.body.text.content !== '预热');
    expect(rejected).toHaveLength(4); // all four noticed the expiry at once
    expect(fake.tokenFetches).toBe(2);
    expect((await rows()).map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
  });

  it.each([
    ['errcode -1 (system busy)', { json: { errcode: -1, errmsg: 'system busy' } }, /-1/],
    ['errcode 45009 (frequency limit)', { json: { errcode: 45009, errmsg: 'api freq out of limit' } }, /45009/],
    ['HTTP 500', { status: 500 }, /HTTP 500/],
    ['a timeout', { hang: true as const }, /timed out/],
  ])('retries %s after the backoff, and then sends', async (_name, answer, error) => {
    if ('hang' in answer) {
      // A short send timeout, for this test only (real milliseconds: the fake never answers).
      const url = h.app.config.databaseUrl;
      await h.close();
      h = await startHarness({ databaseUrl: url, platform: 'wecom', wecom: fake, overrides: { outbox: { ...OUTBOX, sendTimeoutMs: 300 } } });
    }
    fake.script(SEND, answer);
    await put(['YuanZhiDi', '您的诉求已受理']);
    await h.app.settle();
    let [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: now() + 5_000 });
    expect(row.lastError).toMatch(error);
    expect(h.logs().filter((l) => l.msg === 'send failed; will retry')).toHaveLength(1);

    h.clock.advance(4_999);
    await h.app.settle();
    expect(sends()).toHaveLength(1);

    h.clock.advance(1);
    await h.app.settle();
    [row] = await rows();
    expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(texts('YuanZhiDi')).toEqual(['您的诉求已受理', '您的诉求已受理']);
  });

  it.each([
    ['gettoken answers HTTP 500', '/cgi-bin/gettoken', { status: 500 }],
    ['gettoken answers -1', '/cgi-bin/gettoken', { json: { errcode: -1, errmsg: 'system busy' } }],
    ['the fresh token is refused too (40014)', SEND, { json: { errcode: 40014, errmsg: 'invalid access_token' } }],
  ])('retries when %s, rather than failing the message', async (_name, path, answer) => {
    fake.script(path, answer, path === SEND ? 2 : 1);
    await put(['YuanZhiDi', '回执']);
    await h.app.settle();
    expect((await rows())[0]).toMatchObject({ status: 'pending', attempts: 1 });
    h.clock.advance(5_000);
    await h.app.settle();
    expect((await rows())[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(texts('YuanZhiDi').at(-1)).toBe('回执');
  });

  it('marks a message failed after the last attempt, logs it at error and lists it in the API', async () => {
    fake.script(SEND, { json: { errcode: -1, errmsg: 'system busy' } }, 3);
    await put(['YuanZhiDi', '回执']);
    await h.app.settle();
    h.clock.advance(5_000);
    await h.app.settle();
    h.clock.advance(30_000);
    await h.app.settle();
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(sends()).toHaveLength(3);

    h.clock.advance(3600_000);
    await h.app.settle();
    expect(sends()).toHaveLength(3);

    const errors = h.logs().filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'outbound message failed for good', outboxId: row.id, recipient: 'YuanZhiDi', attempts: 3 });
    const { messages } = await h.api('/outbox?status=failed');
    expect(messages).toEqual([expect.objectContaining({ id: row.id, recipient: 'YuanZhiDi', status: 'failed', attempts: 3, lastError: expect.stringMatching(/-1/) })]);
  });

  it('fails a permanent error (40003 invalid userid) at once, without retrying', async () => {
    fake.script(SEND, { json: { errcode: 40003, errmsg: 'invalid userid' } });
    await put(['NoSuchUser', '你好']);
    await h.app.settle();
    h.clock.advance(3600_000);
    await h.app.settle();
    expect(sends()).toHaveLength(1);
    expect((await rows())[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await h.api('/outbox?status=failed')).messages).toHaveLength(1);
  });

  it('fails a message whose recipients are all invalid, and sends one where only some are', async () => {
    fake.members = new Set(['LiSi', 'LuoXianYun']);
    await put(['GoneAway', '你好']);
    await h.app.db.tx((r) =>
      enqueue(r, h.app.deps.platforms, { to: ['LiSi', 'GoneToo'].map((u) => ({ platform: 'wecom' as const, channel: 'app' as const, userId: u })), payload: { kind: 'text', text: '群发' } }, now()),
    );
    await h.app.settle();
    h.clock.advance(3600_000);
    await h.app.settle();
    const [all, some] = await rows();
    expect(all).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringMatching(/all recipients invalid/) });
    expect(some).toMatchObject({ status: 'sent', recipient: 'LiSi|GoneToo' });
    expect(h.logs().some((l) => l.msg === 'some recipients are not WeCom members')).toBe(true);
    expect(sends()).toHaveLength(2);
  });

  it('counts members without an interface licence (unlicenseduser) as not reached', async () => {
    fake.script(SEND, { json: { errcode: 0, errmsg: 'ok', invaliduser: '', unlicenseduser: 'LiSi', msgid: 'm1' } });
    fake.script(SEND, { json: { errcode: 0, errmsg: 'ok', invaliduser: '', unlicenseduser: 'LiSi', msgid: 'm2' } });
    await put(['LiSi', '无许可']);
    await h.app.db.tx((r) =>
      enqueue(r, h.app.deps.platforms, { to: ['LiSi', 'ZhaoPing'].map((u) => ({ platform: 'wecom' as const, channel: 'app' as const, userId: u })), payload: { kind: 'text', text: '群发' } }, now()),
    );
    await h.app.settle();
    const [alone, both] = await rows();
    expect(alone).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/unlicensed: LiSi/) });
    expect(both).toMatchObject({ status: 'sent', result: expect.objectContaining({ invaliduser: 'LiSi' }) });
  });

  it('uploads an image with the token handling of every other call (42001 → one refresh)', async () => {
    await put(['LiSi', '预热']);
    await h.app.settle();
    fake.expireTokens();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');
    await h.app.db.tx((r) => enqueue(r, h.app.deps.platforms, { to: { platform: 'wecom', channel: 'app', userId: 'WangJianGuo' }, payload: { kind: 'image', pngBase64: png } }, now()));
    await h.app.settle();
    const uploads = fake.callsTo('/cgi-bin/media/upload');
    expect(uploads.map((c) => c.query.access_token)).toEqual(['tok1', 'tok2']);
    expect(uploads[1].query.type).toBe('image');
    expect(fake.tokenFetches).toBe(2);
    expect(sends().at(-1)!.body).toMatchObject({ touser: 'WangJianGuo', msgtype: 'image', image: { media_id: expect.stringMatching(/^media/) } });
    expect((await rows()).at(-1)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('sends messages to one recipient in order, even when an earlier one has to be retried', async () => {
    // The first message to 袁志弟 fails (whichever of the concurrent sends reaches WeCom first).
    fake.script(SEND, { json: { errcode: -1, errmsg: 'system busy' }, only: (c) => c.body.touser === 'YuanZhiDi' });
    await put(['YuanZhiDi', '第一条'], ['YuanZhiDi', '第二条'], ['LiSi', '别人的'], ['YuanZhiDi', '第三条']);
    await h.app.settle();
    expect(texts('YuanZhiDi')).toEqual(['第一条']);
    expect(texts('LiSi')).toEqual(['别人的']); // others are not held up
    h.clock.advance(5_000);
    await h.app.settle();
    expect(texts('YuanZhiDi')).toEqual(['第一条', '第一条', '第二条', '第三条']);
  });

  it('paces one member to 30 messages a minute: the 31st waits, uncounted, until the window frees', async () => {
    await put(...Array.from({ length: 32 }, (_, i) => ['LiSi', `第${i + 1}条`] as [string, string]), ['ZhaoPing', '不受影响']);
    await h.app.settle();
    expect(texts('LiSi')).toHaveLength(30);
    expect(texts('ZhaoPing')).toEqual(['不受影响']);
    const waiting = (await rows()).filter((r) => r.status === 'pending');
    expect(waiting.map((r) => [r.attempts, r.nextAttemptAt])).toEqual([
      [0, now() + 60_000],
      [0, now()],
    ]);

    h.clock.advance(59_999);
    await h.app.settle();
    expect(texts('LiSi')).toHaveLength(30);
    h.clock.advance(1);
    await h.app.settle();
    expect(texts('LiSi')).toEqual(Array.from({ length: 32 }, (_, i) => `第${i + 1}条`));
    expect((await rows()).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('sends what was pending when the app stopped exactly once after a restart, including a row left mid-send', async () => {
    const url = h.app.config.databaseUrl;
    const { query, body } = seal(textXml({ from: 'YuanZhiDi', content: '村口路灯坏了', createTime: Math.floor(now() / 1000) }), { timestamp: Math.floor(now() / 1000) });
    expect((await h.fetch(`/wecom/callback?${query}`, { method: 'POST', body })).status).toBe(200);
    await h.app.inbound.drain(); // the rules ran and enqueued; nothing was sent
    const pending = await rows();
    expect(pending.length).toBeGreaterThanOrEqual(2);
    expect(sends()).toHaveLength(0);
    // As if the process died while sending the first one.
    await h.app.db.query(`UPDATE outbox_message SET status = 'sending', locked_until = ? WHERE id = ?`, [now() + 60_000, pending[0].id]);
    await h.close();

    h = await startHarness({ databaseUrl: url, platform: 'wecom', wecom: fake, overrides: { outbox: OUTBOX } });
    await h.app.settle();
    await h.app.settle();
    expect(sends()).toHaveLength(pending.length - 1);
    h.clock.advance(60_001);
    await h.app.settle();
    expect(sends()).toHaveLength(pending.length);
    expect((await rows()).every((r) => r.status === 'sent')).toBe(true);
    expect(texts('YuanZhiDi')).toHaveLength(1);
  });
});

describe('pacing windows', () => {
  it('holds a member to 1000 messages an hour as well as 30 a minute', () => {
    const limits = { perMinute: 30, perHour: 1000 };
    const t0 = 1_000_000_000;
    const times = Array.from({ length: 1000 }, (_, i) => t0 + i * 2_100); // 1000 sends, ~28 a minute
    const at = t0 + 999 * 2_100 + 2_100;
    expect(paceWaitMs(times, at, limits)).toBe(t0 + 3600_000 - at);
    expect(paceWaitMs([], at, limits)).toBe(0);
    expect(paceWaitMs(times, t0 + 3600_000, limits)).toBe(0);
  });
});
