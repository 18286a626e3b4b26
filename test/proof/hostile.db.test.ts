import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FsMediaStore } from '../../src/media/store';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { cardSignedHeaders, cardTap, dingtalkEnv, robotText, signedHeaders } from '../helpers/dingtalk';
import { FakeDingtalk } from '../helpers/fake-dingtalk';
import { ADMIN, Harness, startHarness } from '../helpers/harness';
import { cardEventXml, seal, testCrypto, TEST_WECOM, textXml } from '../helpers/wecom';
import { SHORT_ZH } from '../lifecycle/sandbox';

/**
 * A hostile-input corpus over HTTP (docs/interface.md#security-and-retention): forged, replayed and
 * stale signatures, a wrong receive-id, an entity bomb, deep nesting, 2 MB, bytes that are not UTF-8,
 * repeated parameters, HTML and SQL in text, path tricks in media ids and API paths, a cadre of one
 * village on another's request, a villager guessing codes, CSRF on the sandbox, strangers and cards
 * never issued. Each gets a 4xx or a short polite Chinese refusal, changes no row of the township's
 * records (requests, timeline, cards, handlers, 督办单, people), and the server stays healthy; text
 * that is merely odd (HTML, SQL, a path as a media id) is stored verbatim and inert. The table is
 * printed at the end (and written to test/bench/HOSTILE.md with HOSTILE_MD=1).
 */

/** The township's records, as rows: nothing an attack may change. */
const RECORDS = ['request', 'request_event', 'request_handler', 'card', 'card_recipient', 'attachment', 'supervision', 'deadline_change', 'diary_entry', 'pending_input', 'person', 'village', 'villager'];

interface Row {
  kind: string;
  route: string;
  answer: string;
  stored: number;
  changed: string;
  healthy: boolean;
}

describe.each(dialects())('proof: a hostile-input corpus (%s)', (dialect) => {
  const table: Row[] = [];
  let h: Harness;
  let dt: FakeDingtalk;
  const now = () => h.clock.now().getTime();
  const ts = () => Math.floor(now() / 1000);

  const records = async (x: Harness) => {
    const out: Record<string, unknown[]> = {};
    for (const t of RECORDS) {
      const rows = await x.app.db.query<Record<string, unknown>>(`SELECT * FROM ${t} ORDER BY 1`);
      // Bookkeeping, not a record: the platform a person was last heard on (where to reach them).
      out[t] = rows.map(({ last_platform: _lp, ...rest }) => rest);
    }
    return JSON.stringify(out);
  };
  const deliveries = async (x: Harness) => Number((await x.app.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM inbound_delivery'))[0].n);
  const wecomTexts = (to: string) => h.wecom!.callsTo('/cgi-bin/message/send').filter((c) => c.body.touser === to && c.body.msgtype === 'text').map((c) => c.body.text.content as string);

  /**
   * Runs one attack on `x`: the answer must be `want` (a status, or 'polite': a 200 and one short
   * Chinese line to `politeTo`), no record may change (unless `verbatim`), nothing is stored when
   * refused with a 4xx, and /healthz answers 200 afterwards.
   */
  async function attack(
    x: Harness,
    kind: string,
    route: string,
    go: () => Promise<Response>,
    want: number | 'polite',
    o: { politeTo?: () => string[]; verbatim?: () => Promise<void> } = {},
  ): Promise<void> {
    const before = await records(x);
    const stored = await deliveries(x);
    const heard = o.politeTo?.().length ?? 0;
    const res = await go();
    await res.arrayBuffer();
    await x.app.settle();
    const after = await records(x);
    const storedNow = (await deliveries(x)) - stored;
    let answer = String(res.status);
    if (want === 'polite') {
      expect({ kind, status: res.status }).toEqual({ kind, status: 200 });
      const said = o.politeTo!().slice(heard);
      expect({ kind, said: said.length }).toEqual({ kind, said: 1 });
      expect(said[0]).toMatch(SHORT_ZH);
      answer = `200 + 「${said[0]}」`;
    } else {
      expect({ kind, status: res.status }).toEqual({ kind, status: want });
      if (want >= 400) expect({ kind, stored: storedNow }).toEqual({ kind, stored: 0 });
    }
    if (o.verbatim) await o.verbatim();
    else if (after !== before) {
      const [b, a] = [JSON.parse(before), JSON.parse(after)] as Record<string, unknown[]>[];
      const diff = RECORDS.filter((t) => JSON.stringify(b[t]) !== JSON.stringify(a[t])).map((t) => ({ t, before: b[t].filter((x) => !a[t].some((y) => JSON.stringify(y) === JSON.stringify(x))), after: a[t].filter((y) => !b[t].some((x) => JSON.stringify(y) === JSON.stringify(x))) }));
      expect({ kind, diff }).toEqual({ kind, diff: [] });
    }
    const healthy = (await x.fetch('/healthz')).status === 200;
    expect(healthy).toBe(true);
    table.push({ kind, route, answer, stored: storedNow, changed: o.verbatim ? 'stored verbatim, inert' : '0 rows', healthy });
    h.clock.advance(1000);
  }

  beforeAll(async () => {
    dt = await new FakeDingtalk().start();
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'wecom', env: dingtalkEnv(dt, { mode: 'http' }) });
  });
  afterAll(async () => {
    await h?.close();
    await dt?.stop();
    await dropCreatedDatabases();
    const lines = [
      `Hostile-input corpus (${dialect}): ${table.length} attacks — each a 4xx or a short polite refusal with no record changed, or (odd text) stored verbatim and inert; the server healthy after each.`,
      '',
      '| # | attack | route | answer | stored | records | healthy |',
      '|---|---|---|---|---|---|---|',
      ...table.map((r, i) => `| ${i + 1} | ${r.kind} | \`${r.route}\` | ${r.answer.replace(/\|/g, '\\|')} | ${r.stored} | ${r.changed} | ${r.healthy ? 'yes' : 'NO'} |`),
    ];
    process.stdout.write(`\n${lines.join('\n')}\n\n`);
    if (process.env.HOSTILE_MD === '1' && dialect === 'sqlite') {
      const md = ['# Hostile input', '', 'Written by `HOSTILE_MD=1 npx jest test/proof/hostile.db.test.ts` (the test runs in `npm test` and on MariaDB in `.ci/run`).', '', ...lines, ''];
      fs.writeFileSync(path.join(__dirname, '..', 'bench', 'HOSTILE.md'), md.join('\n'));
    }
  });

  const postWecom = (query: string, body: string | Buffer) => h.fetch(`/wecom/callback?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
  const sealed = (plain: string, o: Parameters<typeof seal>[1] = {}) => seal(plain, { timestamp: ts(), ...o });
  const say = async (from: string, content: string) => {
    const { query, body } = sealed(textXml({ from, content, createTime: ts() }));
    const res = await postWecom(query, body);
    await res.arrayBuffer();
    await h.app.settle();
  };
  const tap = (from: string, taskId: string, key: string) => {
    const { query, body } = sealed(cardEventXml({ from, taskId, key, responseCode: h.wecom!.issueCode(), createTime: ts() }));
    return postWecom(query, body);
  };
  const cardTo = (user: string, title: string) =>
    h.wecom!.callsTo('/cgi-bin/message/send').filter((c) => c.body.msgtype === 'template_card' && String(c.body.touser).split('|').includes(user) && c.body.template_card.main_title.title === title).at(-1)!.body.template_card;

  it('WeCom, DingTalk and the API: every attack refused, nothing changed, the server healthy', async () => {
    // A request of 关沟村, owned by 李四: what the attackers go for.
    const first = sealed(textXml({ from: 'YuanZhiDi', content: '村口路灯坏了三天了', createTime: ts() }));
    const res = await postWecom(first.query, first.body);
    expect(res.status).toBe(200);
    await h.app.settle();
    const [r] = (await h.api('/requests')).requests;
    const accepted = await tap('LiSi', cardTo('LiSi', '新的群众诉求').task_id, 'accept');
    expect(accepted.status).toBe(200);
    await h.app.settle();
    const owner = cardTo('LiSi', '您负责的群众诉求');
    // WeCom sends a delivery again when it did not hear back in time: within the timestamp window it is a duplicate.
    await attack(h, 'a delivery replayed (the same MsgId, in the window)', 'POST /wecom/callback', () => postWecom(first.query, first.body), 200);
    h.clock.advance(10 * 60_000);
    await attack(h, 'the same delivery replayed 10 minutes later', 'POST /wecom/callback', () => postWecom(first.query, first.body), 401);

    // WeCom callback.
    const good = () => sealed(textXml({ from: 'YuanZhiDi', content: '伪造的消息', createTime: ts() }));
    await attack(h, 'forged signature', 'POST /wecom/callback', () => { const s = good(); return postWecom(s.query.replace(/msg_signature=[0-9a-f]+/, `msg_signature=${'0'.repeat(40)}`), s.body); }, 401);
    await attack(h, 'signature over another ciphertext', 'POST /wecom/callback', () => { const a = sealed(textXml({ from: 'YuanZhiDi', content: '甲', createTime: ts() }), { nonce: 'n1' }); const b = sealed(textXml({ from: 'YuanZhiDi', content: '乙', createTime: ts() }), { nonce: 'n1' }); return postWecom(a.query, b.body); }, 401);
    await attack(h, 'stale timestamp (6 min old)', 'POST /wecom/callback', () => { const s = sealed(textXml({ from: 'YuanZhiDi', content: '旧消息', createTime: ts() }), { timestamp: ts() - 360 }); return postWecom(s.query, s.body); }, 401);
    await attack(h, 'wrong receive-id (another corp)', 'POST /wecom/callback', () => { const s = sealed(textXml({ from: 'YuanZhiDi', content: '别的企业', createTime: ts() }), { receiveId: 'wwothercorp000001' }); return postWecom(s.query, s.body); }, 403);
    const bomb = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>';
    await attack(h, 'XML entity bomb (signed, sealed inside)', 'POST /wecom/callback', () => { const s = sealed(`${bomb}<xml><ToUserName>${TEST_WECOM.WECOM_CORP_ID}</ToUserName><FromUserName>YuanZhiDi</FromUserName><MsgType>text</MsgType><Content>&c;</Content><MsgId>9</MsgId></xml>`); return postWecom(s.query, s.body); }, 400);
    await attack(h, 'deep nesting (20,000 levels, signed)', 'POST /wecom/callback', () => { const s = sealed(`<xml><ToUserName>${TEST_WECOM.WECOM_CORP_ID}</ToUserName><FromUserName>YuanZhiDi</FromUserName><MsgType>text</MsgType><Content>x</Content><MsgId>10</MsgId>${'<a>'.repeat(20000)}${'</a>'.repeat(20000)}</xml>`); return postWecom(s.query, s.body); }, 400);
    await attack(h, '2 MB body', 'POST /wecom/callback', () => postWecom(sealed('<xml/>').query, `<xml><Encrypt>${'A'.repeat(2 * 1024 * 1024)}</Encrypt></xml>`), 413);
    await attack(h, 'invalid UTF-8 (the envelope)', 'POST /wecom/callback', () => postWecom(sealed('<xml/>').query, Buffer.from([0x3c, 0x78, 0xff, 0xfe, 0xc3, 0x28])), 400);
    await attack(h, 'invalid UTF-8 (signed, sealed inside)', 'POST /wecom/callback', () => {
      const plain = Buffer.concat([Buffer.from(`<xml><ToUserName>${TEST_WECOM.WECOM_CORP_ID}</ToUserName><FromUserName>YuanZhiDi</FromUserName><MsgType>text</MsgType><Content>`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('</Content><MsgId>11</MsgId></xml>')]);
      const { encrypt, signature } = testCrypto().seal(plain as unknown as string, String(ts()), 'n2');
      return postWecom(new URLSearchParams({ msg_signature: signature, timestamp: String(ts()), nonce: 'n2' }).toString(), `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`);
    }, 400);
    await attack(h, 'repeated query parameter', 'POST /wecom/callback', () => { const s = good(); return postWecom(`${s.query}&nonce=again`, s.body); }, 400);
    await attack(h, 'URL verification with a forged signature', 'GET /wecom/callback', () => { const { encrypt } = testCrypto().seal('echo', String(ts()), 'n'); return h.fetch(`/wecom/callback?${new URLSearchParams({ msg_signature: 'f'.repeat(40), timestamp: String(ts()), nonce: 'n', echostr: encrypt })}`); }, 401);
    await attack(h, 'a stranger of the corp taps a card', 'POST /wecom/callback (card)', () => tap('SomeoneElse', owner.task_id, 'resolve'), 200);
    await attack(h, 'a tap on a card never issued', 'POST /wecom/callback (card)', () => tap('LiSi', 'mq1_owner_000000000000', 'resolve'), 200);
    await attack(h, 'a cadre of another village taps the owner\'s card', 'POST /wecom/callback (card)', () => tap('LiuMing', owner.task_id, 'resolve'), 'polite', { politeTo: () => wecomTexts('LiuMing') });
    await attack(h, 'a cadre of another village types 办结 on it', 'POST /wecom/callback', () => { const s = sealed(textXml({ from: 'LiuMing', content: `办结 ${r.code} 修好了`, createTime: ts() })); return postWecom(s.query, s.body); }, 'polite', { politeTo: () => wecomTexts('LiuMing') });
    await attack(h, 'a cadre of another village merges it into theirs', 'POST /wecom/callback', () => { const s = sealed(textXml({ from: 'LiuMing', content: `合并 ${r.code} 20261126-099`, createTime: ts() })); return postWecom(s.query, s.body); }, 'polite', { politeTo: () => wecomTexts('LiuMing') });
    for (const guess of [r.code, '20261126-002', '20261125-001']) {
      await attack(h, `a villager guessing codes: 查询 ${guess}`, 'POST /wecom/callback', () => { const s = sealed(textXml({ from: 'WangXiuYing', content: `查询 ${guess}`, createTime: ts() })); return postWecom(s.query, s.body); }, 'polite', { politeTo: () => wecomTexts('WangXiuYing') });
    }
    await attack(h, 'a villager rating someone else\'s request', 'POST /wecom/callback', () => { const s = sealed(textXml({ from: 'WangXiuYing', content: `评价 1 ${r.code}`, createTime: ts() })); return postWecom(s.query, s.body); }, 'polite', { politeTo: () => wecomTexts('WangXiuYing') });

    // DingTalk HTTP mode.
    const robot = (content: string, msgId: string) => robotText({ from: '1002', content, msgId, createAt: now() });
    const postDt = (p: string, body: unknown, headers: Record<string, string>) => h.fetch(p, { method: 'POST', headers, body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) });
    await attack(h, 'DingTalk: a sign made with another secret', 'POST /dingtalk/robot', () => postDt('/dingtalk/robot', robot('伪造', 'mF1'), signedHeaders(now(), 'not-the-app-secret')), 401);
    await attack(h, 'DingTalk: a stale timestamp (over an hour)', 'POST /dingtalk/robot', () => postDt('/dingtalk/robot', robot('旧', 'mF2'), signedHeaders(now() - 3_600_001)), 401);
    const pair = signedHeaders(now() + 7);
    expect((await postDt('/dingtalk/robot', robot('真的消息', 'mReal'), pair)).status).toBe(200);
    await h.app.settle();
    h.clock.advance(10 * 60_000);
    await attack(h, 'DingTalk: a captured signature replayed with another body', 'POST /dingtalk/robot', () => postDt('/dingtalk/robot', robot('我要投诉', 'mOther'), pair), 401);
    await attack(h, 'DingTalk: invalid UTF-8 in a signed body', 'POST /dingtalk/robot', () => postDt('/dingtalk/robot', Buffer.concat([Buffer.from('{"msgId":"mU","text":{"content":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]), signedHeaders(now() + 11)), 400);
    // A card we issued (for 王秀英's message: 刘明 was last heard on WeCom, so it went there).
    const issued = cardTo('LiuMing', '新的群众诉求').task_id as string;
    const tapBody = cardTap({ from: '0461', taskId: issued, action: 'accept' });
    await attack(h, 'DingTalk card: the robot\'s signature instead of the apiSecret\'s', 'POST /dingtalk/card', () => postDt('/dingtalk/card', tapBody, signedHeaders(now())), 401);
    await attack(h, 'DingTalk card: signed with another apiSecret', 'POST /dingtalk/card', () => postDt('/dingtalk/card', tapBody, cardSignedHeaders(now(), 'another-secret-16chars')), 401);
    const cardPair = cardSignedHeaders(now() + 13);
    expect((await postDt('/dingtalk/card', cardTap({ from: '0441', taskId: issued, action: 'forward' }), cardPair)).status).toBe(200);
    await h.app.settle();
    await attack(h, 'DingTalk card: a captured signature replayed with another tap', 'POST /dingtalk/card', () => postDt('/dingtalk/card', tapBody, cardPair), 401);

    // The API.
    const api = (p: string, auth = `Bearer ${ADMIN}`) => h.fetch(`/api/v1${p}`, { headers: { authorization: auth } });
    await attack(h, 'API without a token', 'GET /api/v1/requests', () => h.fetch('/api/v1/requests'), 401);
    await attack(h, 'API with a wrong token', 'GET /api/v1/requests', () => api('/requests', 'Bearer not-the-admin-token'), 401);
    await attack(h, 'API limit=-1', 'GET /api/v1/requests', () => api('/requests?limit=-1'), 400);
    await attack(h, 'API repeated status', 'GET /api/v1/requests', () => api('/requests?status=pending&status=closed'), 400);
    await attack(h, 'API path tricks (../, encoded)', 'GET /api/v1/requests/:id', () => api('/requests/..%2F..%2Fpackage.json'), 404);
    await attack(h, 'API SQL in the id', 'GET /api/v1/requests/:id', () => api(`/requests/${encodeURIComponent("1' OR '1'='1")}`), 404);
    await attack(h, 'API 补录 with invalid UTF-8', 'POST /api/v1/requests', () => h.fetch('/api/v1/requests', { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]) }), 400);

    // Odd but harmless: stored as written, shown as data, never as markup or SQL.
    const html = `<img src=x onerror=alert(1)><script>alert('x')</script>'); DROP TABLE request;-- ${ts()}`;
    await attack(h, 'HTML and SQL in a villager\'s text', 'POST /wecom/callback', () => { const s = sealed(textXml({ from: 'MaGuiLan', content: html, createTime: ts() })); return postWecom(s.query, s.body); }, 200, {
      verbatim: async () => {
        const res = await api('/requests');
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        const mine = ((await res.json()) as any).requests.find((x: any) => x.text === html);
        expect(mine).toBeTruthy();
        // …and the table it talks of is still there.
        expect((await h.app.db.query('SELECT COUNT(*) AS n FROM request')).length).toBe(1);
      },
    });
    const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minqing-hostile-media-'));
    try {
      await attack(h, 'path tricks in a media id', 'POST /wecom/callback', () => {
        const plain = `<xml><ToUserName>${TEST_WECOM.WECOM_CORP_ID}</ToUserName><FromUserName>ZhangDaShan</FromUserName><CreateTime>${ts()}</CreateTime><MsgType>image</MsgType><MediaId><![CDATA[../../../../etc/passwd]]></MediaId><PicUrl><![CDATA[file:///etc/passwd]]></PicUrl><MsgId>12</MsgId></xml>`;
        const s = sealed(plain);
        return postWecom(s.query, s.body);
      }, 200, {
        verbatim: async () => {
          const rows = await h.app.db.query<{ media_id: string }>('SELECT media_id FROM attachment');
          expect(rows.map((x) => x.media_id)).toContain('../../../../etc/passwd');
          // The media store answers only to a sha256: a path never becomes a file name.
          const store = new FsMediaStore(mediaDir);
          expect(await store.open('../../../../etc/passwd')).toBeNull();
          expect(fs.readdirSync(mediaDir)).toEqual([]);
        },
      });
    } finally {
      fs.rmSync(mediaDir, { recursive: true, force: true });
    }

    // Still serving: a villager's message becomes a request.
    h.clock.advance(10 * 60_000);
    await say('ZhangDaShan', '桥栏杆断了');
    expect((await h.api('/requests')).requests.some((x: any) => x.text === '桥栏杆断了')).toBe(true);
  });

  it('the sandbox: CSRF and odd text', async () => {
    const sb = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox' });
    try {
      const send = (headers: Record<string, string>, body: unknown = { as: 'v1', text: '村口路灯坏了' }) =>
        sb.fetch('/sandbox/api/send', { method: 'POST', headers, body: JSON.stringify(body) });
      await attack(sb, 'CSRF: a form post (urlencoded)', 'POST /sandbox/api/send', () => send({ 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' }), 415);
      await attack(sb, 'CSRF: text/plain from another page', 'POST /sandbox/api/send', () => send({ 'content-type': 'text/plain', origin: 'http://evil.example' }), 415);
      await attack(sb, 'CSRF: JSON from another origin', 'POST /sandbox/api/tap', () => sb.fetch('/sandbox/api/tap', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' }, body: JSON.stringify({ as: 'li', taskId: 'x', action: 'accept' }) }), 403);
      await attack(sb, 'CSRF: Sec-Fetch-Site cross-site', 'POST /sandbox/api/send', () => send({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }), 403);
      await attack(sb, 'sandbox: invalid UTF-8', 'POST /sandbox/api/send', () => sb.fetch('/sandbox/api/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]) }), 400);
      const html = `<b onmouseover=alert(1)>hi</b>"; DELETE FROM request; --`;
      await attack(sb, 'HTML and SQL in a sandbox message', 'POST /sandbox/api/send', () => send({ 'content-type': 'application/json', origin: sb.base }, { as: 'v1', text: html, clientId: 'odd1' }), 200, {
        verbatim: async () => {
          const res = await sb.fetch('/sandbox/api/inbox?as=v1');
          expect(res.headers.get('content-type')).toMatch(/^application\/json/);
          const inbox = (await res.json()) as { messages: { direction: string; payload: { text: string } }[] };
          expect(inbox.messages.find((m) => m.direction === 'in')!.payload.text).toBe(html);
          expect((await sb.api<{ requests: { text: string }[] }>('/requests')).requests[0].text).toBe(html);
        },
      });
      // The page puts people's words in with textContent, never as markup.
      const js = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'web', 'sandbox', 'sandbox.js'), 'utf8');
      expect(js).not.toMatch(/innerHTML|insertAdjacentHTML|outerHTML|document\.write/);
    } finally {
      await sb.close();
    }
    expect(table.length).toBeGreaterThanOrEqual(20);
  });
});
