import { jsapiSignature } from '../../bot/wecom/pages';
import { sign } from '../../src/web/tokens';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { FakeWecom } from '../helpers/fake-wecom';
import { Harness, startHarness } from '../helpers/harness';
import { csrfIn, freePort, Jar, linkIn } from '../helpers/pages';
import { seal, textXml } from '../helpers/wecom';

/**
 * The pages over real HTTP with WeCom on (docs/interface.md#pages): the OAuth2 login through a fake
 * authorize page and getuserinfo, a villager's signed link, acting from the page, and every bad input
 * of issue 10 — each its status, a Chinese page, one log line and nothing changed.
 */
describe.each(dialects())('pages with WeCom (%s)', (dialect) => {
  let h: Harness;
  let wecom: FakeWecom;
  let base: string;
  const ts = () => Math.floor(h.clock.now().getTime() / 1000);

  beforeEach(async () => {
    wecom = await new FakeWecom().start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'wecom', wecom, port, env: { PUBLIC_BASE_URL: base, WECOM_OAUTH_BASE: wecom.base } });
  });
  afterEach(async () => {
    await h.close();
    await wecom.stop();
  });
  afterAll(dropCreatedDatabases);

  async function newRequest(from = 'YuanZhiDi', text = '村口路灯坏了三天了') {
    const { query, body } = seal(textXml({ from, content: text, createTime: ts() }), { timestamp: ts() });
    expect((await h.fetch(`/wecom/callback?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } })).status).toBe(200);
    await h.app.settle();
    const { requests } = await h.api('/requests');
    return requests[0] as { id: number; code: string; status: string; url: string };
  }
  const receiptTo = (user: string) => wecom.callsTo('/cgi-bin/message/send').filter((c) => c.body.touser === user && c.body.msgtype === 'text').map((c) => String(c.body.text.content));
  /** Logs in through WeCom OAuth as `userid` (the fake authorize page's tap); returns the jar and the page landed on. */
  async function login(userid: string, path = '/h5/todo') {
    wecom.loginAs = { userid };
    const jar = new Jar();
    const res = await jar.follow(`${base}${path}`, base);
    return { jar, res };
  }
  const logged = (msg: string) => h.logs().filter((l) => l.msg === msg);

  it('logs a cadre in through OAuth2 snsapi_base: authorize → code → getuserinfo → the page first asked for', async () => {
    const req = await newRequest();
    const jar = new Jar();
    const first = await jar.fetch(`${base}/h5/requests/${req.code}`);
    expect(first.status).toBe(302);
    const to = new URL(first.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(`${wecom.base}/connect/oauth2/authorize`);
    expect(to.hash).toBe('#wechat_redirect');
    expect(Object.fromEntries(to.searchParams)).toMatchObject({ appid: 'wwminqingtest0001', redirect_uri: `${base}/h5/auth/wecom`, response_type: 'code', scope: 'snsapi_base', agentid: '1000002' });
    expect(to.searchParams.get('state')).toMatch(/^[a-zA-Z0-9]{16,128}$/);
    const page = await jar.follow(to.toString(), base);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('村口路灯坏了三天了');
    expect(html).toContain('<summary>受理</summary>');
    const info = wecom.callsTo('/cgi-bin/auth/getuserinfo');
    expect(info).toHaveLength(1);
    expect(info[0].query.code).toMatch(/^login/);
    // The session cookie is HttpOnly and SameSite=Lax.
    const again = await jar.fetch(`${base}/h5/todo`);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain(req.code);
  });

  it('acts from the page: 受理 makes the cadre the owner, the other copies of the card say so, the villager is told', async () => {
    const req = await newRequest();
    const { jar, res } = await login('LiSi', `/h5/requests/${req.code}`);
    const csrf = csrfIn(await res.text());
    const post = await jar.fetch(`${base}/h5/requests/${req.code}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, op: 'accept', tier: 'township' }) });
    expect(post.status).toBe(303);
    await h.app.settle();
    const after = await (await h.api(`/requests/${req.code}`));
    expect(after).toMatchObject({ status: 'accepted', owner: { id: 'li' }, tier: 'township' });
    expect(after.events.find((e: { type: string }) => e.type === 'accepted').channel).toBe('h5');
    expect(wecom.callsTo('/cgi-bin/message/update_template_card').length).toBeGreaterThan(0);
    expect(receiptTo('YuanZhiDi').some((t) => t.includes('已由李四受理'))).toBe(true);
    // Nothing was said to 李四's chat for the page action; the page shows it.
    const shown = await (await jar.fetch(`${base}/h5/requests/${req.code}`)).text();
    expect(shown).toContain('已完成“受理”');
    expect(shown).toContain('<summary>办结</summary>');
  });

  it('gives the villager a signed 7-day link in the receipt that opens their request without a login, and cards the plain page', async () => {
    const req = await newRequest();
    expect(req.url).toBe(`${base}/h5/requests/${req.code}`);
    const card = wecom.callsTo('/cgi-bin/message/send').find((c) => c.body.msgtype === 'template_card')!.body;
    expect(card.touser).toBe('LiSi|LuoXianYun');
    expect(card.template_card.card_action).toEqual({ type: 1, url: req.url });
    const link = linkIn(receiptTo('YuanZhiDi')[0])!;
    expect(link).toMatch(new RegExp(`^${base}/h5/requests/${req.code}\\?t=`));
    const jar = new Jar();
    const open = await jar.fetch(link);
    expect(open.status).toBe(302);
    expect(open.headers.get('location')).toBe(`/h5/requests/${req.code}`);
    const cookie = open.headers.getSetCookie().find((c) => c.startsWith('mq_s='))!;
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=lax/i);
    const page = await jar.fetch(`${base}/h5/requests/${req.code}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('村口路灯坏了三天了');
    expect((await jar.fetch(`${base}/h5/mine`)).status).toBe(200);
  });

  it('refuses a forged, an expired and another request\'s link (403), and an unknown code (404), changing nothing', async () => {
    const a = await newRequest();
    const b = await newRequest('WangXiuYing', '白垭村的水管爆了');
    const link = linkIn(receiptTo('YuanZhiDi')[0])!;
    const token = new URL(link).searchParams.get('t')!;
    const forged = `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const before = h.logs().length;
    const cases: [string, number, string][] = [
      [`/h5/requests/${a.code}?t=${forged}`, 403, '链接无效'],
      [`/h5/requests/${b.code}?t=${token}`, 403, '不是这件事项的'],
    ];
    for (const [path, status, words] of cases) {
      const r = await new Jar().fetch(`${base}${path}`);
      expect(r.status).toBe(status);
      expect(r.headers.get('content-type')).toContain('text/html');
      expect(await r.text()).toContain(words);
      expect(r.headers.getSetCookie().some((c) => c.startsWith('mq_s='))).toBe(false);
    }
    // An unknown code, to someone logged in.
    const li = await login('LiSi', '/h5/requests/20991231-999');
    expect(li.res.status).toBe(404);
    expect(await li.res.text()).toContain('没有找到编号');
    h.clock.set('2026-12-04T10:00:00+08:00');
    const old = await new Jar().fetch(link);
    expect(old.status).toBe(403);
    expect(await old.text()).toContain('已过期');
    expect(h.logs().slice(before).filter((l) => l.msg === 'page refused')).toHaveLength(4);
    // A villager's session opens only their own requests.
    h.clock.set('2026-11-26T10:05:00+08:00');
    const jar = new Jar();
    await jar.follow(linkIn(receiptTo('YuanZhiDi')[0])!, base);
    const other = await jar.fetch(`${base}/h5/requests/${b.code}`);
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('只能查看本人反映的事项');
    expect((await h.api(`/requests/${b.code}`)).status).toBe('pending');
  });

  it('refuses a wrong OAuth state, a code WeCom refuses and someone not on the list (403)', async () => {
    const jar = new Jar();
    const first = await jar.fetch(`${base}/h5/todo`);
    const state = new URL(first.headers.get('location')!).searchParams.get('state')!;
    const code = wecom.issueLoginCode({ userid: 'LiSi' });
    const wrong = await jar.fetch(`${base}/h5/auth/wecom?code=${code}&state=${state === 'x'.repeat(32) ? 'y' : 'x'}${'0'.repeat(31)}`);
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain('登录已失效');
    expect(wecom.callsTo('/cgi-bin/auth/getuserinfo')).toHaveLength(0);
    const refused = await jar.fetch(`${base}/h5/auth/wecom?code=nosuchcode&state=${state}`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('没有确认您的身份');
    wecom.loginAs = { openid: 'oSomeWeChatUser' };
    const stranger = await new Jar().follow(`${base}/h5/todo`, base);
    expect(stranger.status).toBe(403);
    expect(await stranger.text()).toContain('不在本镇民情直通车的人员名单中');
    expect(jar.cookies.has('mq_s')).toBe(false);
  });

  it('refuses another village\'s request (403), and a cadre without the right or a POST without CSRF changes nothing', async () => {
    const req = await newRequest();
    const far = await login('LiuMing', `/h5/requests/${req.code}`);
    expect(far.res.status).toBe(403);
    expect(await far.res.text()).toContain('不负责这件事项所在的村');
    // 张三 is a 关沟村 cadre (may look) but got no card today: 受理 is refused by the rights matrix.
    const { jar, res } = await login('ZhangSan', `/h5/requests/${req.code}`);
    const html = await res.text();
    expect(html).not.toContain('<summary>受理</summary>');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const sneaky = await jar.fetch(`${base}/h5/requests/${req.code}`, { method: 'POST', headers: form, body: new URLSearchParams({ _csrf: csrfIn(html), op: 'accept' }) });
    expect(sneaky.status).toBe(303);
    expect(await (await jar.fetch(`${base}/h5/requests/${req.code}`)).text()).toContain('不是该事项的经办人');
    const li = await login('LiSi', `/h5/requests/${req.code}`);
    const noCsrf = await li.jar.fetch(`${base}/h5/requests/${req.code}`, { method: 'POST', headers: form, body: new URLSearchParams({ op: 'accept' }) });
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.text()).toContain('页面已过期');
    const otherCsrf = await li.jar.fetch(`${base}/h5/requests/${req.code}`, { method: 'POST', headers: form, body: new URLSearchParams({ _csrf: csrfIn(html), op: 'accept' }) });
    expect(otherCsrf.status).toBe(403);
    expect((await h.api(`/requests/${req.code}`)).status).toBe('pending');
    expect(logged('page refused').map((l) => l.reason)).toEqual(expect.arrayContaining(['POST without a valid CSRF token', expect.stringMatching(/no authority/)]));
    // No session at all: a POST is 401 (never a redirect to a login).
    expect((await new Jar().fetch(`${base}/h5/requests/${req.code}`, { method: 'POST', headers: form, body: 'op=accept' })).status).toBe(401);
  });

  it('signs JS-SDK URLs under PUBLIC_BASE_URL only, with tickets fetched once and shared', async () => {
    const url = `${base}/h5/requests/20261126-001?x=1`;
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => h.fetch(`/h5/wecom/jsapi-signature?url=${encodeURIComponent(`${url}#frag`)}`)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const s = (await answers[0].json()) as Record<string, string | number>;
    expect(s).toMatchObject({ corpId: 'wwminqingtest0001', agentId: '1000002' });
    // The two tickets, as stored for every instance (fetched together, in either order).
    const corp = (await h.app.db.read.pages.ticket('wecom.jsapi.wwminqingtest0001.1000002'))!.value!;
    const agent = (await h.app.db.read.pages.ticket('wecom.agent_config.wwminqingtest0001.1000002'))!.value!;
    expect([corp, agent].map((t) => t.replace(/\d+$/, ''))).toEqual(['corp-ticket-', 'agent-ticket-']);
    expect(s.signature).toBe(jsapiSignature(corp, String(s.nonceStr), s.timestamp, url));
    expect(s.agentSignature).toBe(jsapiSignature(agent, String(s.nonceStr), s.timestamp, url));
    expect(s.timestamp).toBe(ts());
    expect(wecom.callsTo('/cgi-bin/get_jsapi_ticket')).toHaveLength(1);
    expect(wecom.callsTo('/cgi-bin/ticket/get')).toHaveLength(1);
    for (const bad of ['https://evil.example.com/h5/requests/x', `${base.replace('127.0.0.1', 'localhost')}/h5/`, 'not a url', '']) {
      const r = await h.fetch(`/h5/wecom/jsapi-signature?url=${encodeURIComponent(bad)}`);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { message: string } }).error.message).toContain('只能为本系统的页面签名');
    }
    expect(logged('jsapi signature refused: url outside PUBLIC_BASE_URL')).toHaveLength(4);
    // The SDK itself is served from here.
    const sdk = await h.fetch('/h5/wecom/jssdk.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(sdk.status).toBe(200);
    expect(await sdk.text()).toContain('selectEnterpriseContact');
  });

  it('keeps a session signed: a cookie made with another secret is no session', async () => {
    const forged = sign('not-the-secret-at-all', 'session', { w: 'person:wang', n: 'x', exp: Date.parse('2030-01-01') });
    const r = await fetch(`${base}/h5/todo`, { headers: { cookie: `mq_s=${forged}` }, redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toContain('/connect/oauth2/authorize');
  });
});
