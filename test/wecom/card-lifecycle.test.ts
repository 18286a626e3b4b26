import { WecomAdapter } from '../../bot/wecom/adapter';
import { CODE_MARGIN_MS, codeKey, parseBook } from '../../bot/wecom/codes';
import { tapReplyText, updateButtonXml } from '../../bot/wecom/reply';
import { closedCard, newRequestCard, refreshCard, takenCard, type CardContent, type RequestView } from '../../cards/content';
import { T } from '../../src/domain/texts';
import { memoryLogger } from '../../src/log';
import type { AdapterContext, OutboundMessage, OutboundPayload } from '../../src/platform/types';
import { FakeWecom } from '../helpers/fake-wecom';
import { TEST_WECOM } from '../helpers/wecom';

/**
 * The life of a WeCom template card (docs/interface.md#wecom-cards): the codes it can be updated with
 * (24 h from the send, 72 h from a tap, each once), whole-card updates, the text once no code is
 * left, the duplicate check on every send, and the outbox's signal cancelling a send.
 */
const H = 3600_000;

const view: RequestView = {
  id: 1,
  code: '20261126-001',
  villageName: '关沟村',
  reporterName: '袁志弟',
  text: '村口路灯坏了三天了',
  receivedAt: '11月26日 10:00',
  deadline: null,
  ownerName: null,
  statusLabel: '待受理',
  url: 'http://localhost/h5/requests/20261126-001?t=x',
};
const tiers = [{ id: 'general', text: '一般事项（1个工作日）' }];

describe('WeCom card lifecycle', () => {
  let fake: FakeWecom;
  let adapter: WecomAdapter;
  let now: number;
  let kv: Map<string, string>;
  let ctx: AdapterContext;
  let seq = 0;
  const TASK = 'mq1_new_request_abc123';

  const msg = (payload: OutboundPayload, to = ['LiSi', 'LuoXianYun'], signal?: AbortSignal): OutboundMessage => ({
    id: ++seq, platform: 'wecom', channel: 'app', to, payload, attempt: 0, ...(signal ? { signal } : {}),
  });
  const card = (): CardContent => newRequestCard(view, tiers);
  const sendCard = () => adapter.send(msg({ kind: 'card', cardId: 1, taskId: TASK, card: card() }), ctx);
  const update = (c: CardContent = takenCard(refreshCard(card(), { ...view, ownerName: '李四', statusLabel: '办理中' }), '李四')) =>
    adapter.send(msg({ kind: 'card_update', cardId: 1, taskId: TASK, card: c, replaceName: c.closedNote ?? '' }), ctx);
  const tap = (code: string, o: { at?: number; passive?: boolean } = {}) =>
    adapter.noteCardAction(
      { type: 'card_action', platform: 'wecom', senderId: 'LiSi', taskId: TASK, action: 'accept', extra: { responseCode: code, ...(o.passive ? { passive: '1' } : {}) }, sentAt: o.at ?? now },
      ctx,
    );
  const book = () => parseBook(kv.get(codeKey(TASK)) ?? null);
  const updates = () => fake.callsTo('/cgi-bin/message/update_template_card').map((c) => c.body);
  const texts = () => fake.callsTo('/cgi-bin/message/send').filter((c) => c.body.msgtype === 'text').map((c) => c.body);

  beforeEach(async () => {
    fake = await new FakeWecom().start();
    now = Date.parse('2026-11-26T02:00:00Z');
    kv = new Map();
    const { log } = memoryLogger();
    adapter = new WecomAdapter({
      config: {
        corpId: TEST_WECOM.WECOM_CORP_ID, agentId: 1000002, secret: TEST_WECOM.WECOM_SECRET, token: TEST_WECOM.WECOM_TOKEN,
        encodingAesKey: TEST_WECOM.WECOM_ENCODING_AES_KEY, timestampToleranceS: 0, apiBase: fake.base, oauthBase: fake.base,
      },
      log,
      now: () => now,
      knows: () => true,
    });
    ctx = {
      ingest: async () => 'stored',
      kv: { get: async (k) => kv.get(k) ?? null, set: async (k, v) => void kv.set(k, v) },
      signatures: { claim: async () => true },
      log,
      now: () => now,
    };
  });
  afterEach(() => fake.stop());

  it('keeps each code with its time and origin, spends the one ending soonest, each once', async () => {
    expect(await sendCard()).toMatchObject({ ok: true });
    now += 2 * H;
    const tapCode = fake.issueCode();
    await tap(tapCode);
    expect(book().codes).toEqual([
      { code: 'rc1', at: now - 2 * H, from: 'send' },
      { code: tapCode, at: now, from: 'tap' },
    ]);

    // The send's code ends at 24 h, the tap's at 74 h: the send's goes first, the tap's stays for later.
    expect(await update()).toMatchObject({ ok: true, result: { update: 'card' } });
    expect(updates()[0].response_code).toBe('rc1');
    expect(book().codes.map((c) => c.code)).toEqual([tapCode]);
    expect(await update()).toMatchObject({ ok: true, result: { update: 'card' } });
    expect(updates()[1].response_code).toBe(tapCode);
    expect(book().codes).toEqual([]);
  });

  it('drops codes past their time (send 24 h, tap 72 h, less a margin) and spends the still valid one', async () => {
    await sendCard();
    const tapCode = fake.issueCode();
    await tap(tapCode, { at: now - H });
    now += 24 * H - CODE_MARGIN_MS + 1;
    expect(await update()).toMatchObject({ ok: true, result: { update: 'card' } });
    expect(updates().map((u) => u.response_code)).toEqual([tapCode]);
  });

  it('says what changed in a text to the same people once no code is valid, instead of failing', async () => {
    await sendCard();
    await tap(fake.issueCode());
    now += 72 * H;
    const out = await update();
    expect(out).toMatchObject({ ok: true, result: { update: 'text' } });
    expect(updates()).toEqual([]);
    expect(texts()).toEqual([expect.objectContaining({ touser: 'LiSi|LuoXianYun', text: { content: '【民情直通车】20261126-001「新的群众诉求」已由李四受理。' } })]);
    expect(T.cardUpdateText('20261126-001', '新的群众诉求', '已由李四受理')).toBe(texts()[0].text.content);
  });

  it('takes the next code when WeCom says a code is used (42022) or invalid, and spends it for good', async () => {
    await sendCard();
    const tapCode = fake.issueCode();
    await tap(tapCode);
    fake.script('/cgi-bin/message/update_template_card', { json: { errcode: 42022, errmsg: 'code has been used' } });
    expect(await update()).toMatchObject({ ok: true, result: { update: 'card' } });
    expect(updates().map((u) => u.response_code)).toEqual(['rc1', tapCode]);
    expect(book().codes).toEqual([]);

    // Both refused: a text, not a failed row.
    await tap('never-issued-1');
    await tap('never-issued-2');
    expect(await update()).toMatchObject({ ok: true, result: { update: 'text' } });
    expect(updates().slice(2).map((u) => u.response_code)).toEqual(['never-issued-1', 'never-issued-2']);
  });

  it('spends a code a passive reply may have used only after the others', async () => {
    await sendCard();
    const passive = fake.issueCode();
    const later = fake.issueCode();
    await tap(passive, { passive: true });
    now += 1000;
    await tap(later, { at: now });
    await update();
    await update();
    await update();
    expect(updates().map((u) => u.response_code)).toEqual(['rc1', later, passive]);
  });

  it('updates the whole card (状态, 首问责任人, the note as a grey button) and keeps its task id', async () => {
    await sendCard();
    await update();
    const u = updates()[0];
    expect(u).toMatchObject({ userids: ['LiSi', 'LuoXianYun'], agentid: 1000002, response_code: 'rc1' });
    expect(u.button).toBeUndefined();
    expect(u.template_card).toMatchObject({
      card_type: 'button_interaction',
      task_id: TASK,
      main_title: { title: '新的群众诉求', desc: '关沟村 · 办理中' },
      replace_text: '已由李四受理',
      button_list: [{ text: '已由李四受理', style: 2, key: 'noop' }],
    });
    expect(u.template_card.horizontal_content_list).toContainEqual({ keyname: '首问责任人', value: '李四' });
    expect(u.template_card.button_selection).toBeUndefined();
  });

  it('falls back to the button text, with the same code, when WeCom refuses the whole card', async () => {
    await sendCard();
    fake.script('/cgi-bin/message/update_template_card', { json: { errcode: 40058, errmsg: 'invalid template_card.horizontal_content_list' } });
    expect(await update()).toMatchObject({ ok: true, result: { update: 'button' } });
    const [whole, button] = updates();
    expect(whole.template_card).toBeDefined();
    expect(button).toEqual({ userids: ['LiSi', 'LuoXianYun'], agentid: 1000002, response_code: 'rc1', button: { replace_name: '已由李四受理' } });
  });

  it('leaves a code alone when WeCom is busy: the outbox tries again later', async () => {
    await sendCard();
    fake.script('/cgi-bin/message/update_template_card', { json: { errcode: -1, errmsg: 'system busy' } });
    expect(await update()).toMatchObject({ ok: false, retryable: true });
    expect(book().codes.map((c) => c.code)).toEqual(['rc1']);
  });

  it('asks WeCom to drop a repeated message/send (enable_duplicate_check) — texts, cards, images and the fallback text', async () => {
    await adapter.send(msg({ kind: 'text', text: '您好' }), ctx);
    await sendCard();
    await adapter.send(msg({ kind: 'image', pngBase64: Buffer.from('png').toString('base64') }), ctx);
    await update(closedCard(card(), '已办结'));
    await update(closedCard(card(), '已办结'));
    const sends = fake.callsTo('/cgi-bin/message/send').map((c) => c.body);
    expect(sends.map((b) => b.msgtype)).toEqual(['text', 'template_card', 'image', 'text']);
    for (const b of sends) expect(b).toMatchObject({ enable_duplicate_check: 1, duplicate_check_interval: 1800 });
  });

  it('gives up a send at once when the outbox aborts it (OutboundMessage.signal)', async () => {
    await adapter.send(msg({ kind: 'text', text: '先取令牌' }), ctx);
    fake.script('/cgi-bin/message/send', { hang: true });
    const ac = new AbortController();
    const pending = adapter.send(msg({ kind: 'text', text: '您好' }, ['LiSi'], ac.signal), ctx);
    while (fake.callsTo('/cgi-bin/message/send').length < 2) await new Promise((r) => setImmediate(r));
    ac.abort();
    expect(await pending).toMatchObject({ ok: false, retryable: true });
  });

  it('cancels a chart upload too', async () => {
    await adapter.send(msg({ kind: 'text', text: '先取令牌' }), ctx);
    fake.script('/cgi-bin/media/upload', { hang: true });
    const ac = new AbortController();
    const pending = adapter.send(msg({ kind: 'image', pngBase64: Buffer.from('png').toString('base64') }, ['LiSi'], ac.signal), ctx);
    while (!fake.callsTo('/cgi-bin/media/upload').length) await new Promise((r) => setImmediate(r));
    ac.abort();
    expect(await pending).toMatchObject({ ok: false, retryable: true });
    expect(fake.callsTo('/cgi-bin/message/send')).toHaveLength(1);
  });
});

describe('refreshCard', () => {
  it('brings 状态 and the request fields up to date and keeps the card own fields and buttons', () => {
    const sent = newRequestCard(view, tiers, { duplicateOf: '20261120-004' });
    const now = refreshCard(sent, { ...view, statusLabel: '办理中', ownerName: '李四', deadline: '11月27日 17:30' });
    expect(now.subtitle).toBe('关沟村 · 办理中');
    expect(now.fields).toEqual([
      { label: '编号', value: '20261126-001' },
      { label: '反映人', value: '袁志弟' },
      { label: '收到', value: '11月26日 10:00' },
      { label: '办结时限', value: '11月27日 17:30' },
      { label: '首问责任人', value: '李四' },
      { label: '疑似重复', value: '20261120-004' },
    ]);
    expect(now.buttons).toEqual(sent.buttons);
    expect(now.url).toBe(sent.url);
  });
});

describe('the passive reply to a tap', () => {
  it('shows the final state for taps that finish the card, 处理中 for those that close it, nothing for those that ask first', () => {
    expect(tapReplyText('satisfied')).toBe('已评价：满意');
    expect(tapReplyText('unsatisfied')).toBe('已评价：不满意');
    expect(tapReplyText('phoned')).toBe('已电话告知');
    for (const k of ['accept', 'approve', 'deny', 'approve_deadline', 'deny_deadline', 'handover', 'merge_dup']) expect(tapReplyText(k)).toBe('已收到，处理中…');
    for (const k of ['forward', 'resolve', 'escalate', 'reject', 'notify', 'fulfil', 'noop', 'constructor']) expect(tapReplyText(k)).toBeNull();
  });

  it('is the update_button message of 被动回复消息格式, CDATA kept whole', () => {
    expect(updateButtonXml({ toUser: 'LiSi', corpId: 'wwcorp', createTime: 1764122400, replaceName: 'a]]>b' })).toBe(
      '<xml><ToUserName><![CDATA[LiSi]]></ToUserName><FromUserName><![CDATA[wwcorp]]></FromUserName><CreateTime>1764122400</CreateTime>' +
        '<MsgType><![CDATA[update_button]]></MsgType><Button><ReplaceName><![CDATA[a]]]]><![CDATA[>b]]></ReplaceName></Button></xml>',
    );
  });
});

describe('the stored codes', () => {
  it('reads the old single-code value as a send code, and garbage as none', () => {
    expect(parseBook(JSON.stringify({ code: 'rc9', at: 5 }))).toEqual({ codes: [{ code: 'rc9', at: 5, from: 'send' }] });
    expect(parseBook(JSON.stringify({ code: null, at: 5 }))).toEqual({ codes: [] });
    expect(parseBook('{not json')).toEqual({ codes: [] });
    expect(parseBook(JSON.stringify({ codes: [{ code: 'x', at: 1, from: 'elsewhere' }, { code: 'y', at: 2, from: 'tap' }] }))).toEqual({ codes: [{ code: 'y', at: 2, from: 'tap' }] });
  });
});
