import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchChromium, pageErrors } from '../helpers/browser';
import { freshDatabaseUrl } from '../helpers/db';
import { FakeWecom } from '../helpers/fake-wecom';
import { Harness, startHarness } from '../helpers/harness';
import { freePort, linkIn } from '../helpers/pages';
import { seal, textXml } from '../helpers/wecom';

/**
 * The pages in Chromium on a 375 px phone (docs/interface.md#pages): a cadre inside WeCom logs in
 * through the fake OAuth server, takes a request and hands it on with the WeCom contact picker
 * (stubbed at the `ww` boundary), resolves it; the villager opens their link and signs 办结 with a
 * finger; nothing ever scrolls sideways.
 */
const WIDTH = 375;
const WECOM_UA = 'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36 wxwork/4.1.20 MicroMessenger/7.0.1';

/** What the page sees of @wecom/jssdk: `ww.register` (its signature factory is called) and the contact picker. */
const WW_STUB = `window.__ww = { registered: null, signature: null };
window.ww = {
  register(o) { window.__ww.registered = o; o.getConfigSignature(location.href.split('#')[0]).then((s) => { window.__ww.signature = s; }); },
  selectEnterpriseContact(o) { window.__ww.picked = o; return Promise.resolve({ result: { userList: [{ id: 'LuoXianYun', name: '罗先运' }] } }); },
};`;

describeBrowser('pages in a browser', () => {
  let h: Harness;
  let wecom: FakeWecom;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const ts = () => Math.floor(h.clock.now().getTime() / 1000);

  beforeAll(async () => {
    wecom = await new FakeWecom().start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness({ databaseUrl: await freshDatabaseUrl('sqlite'), platform: 'wecom', wecom, port, env: { PUBLIC_BASE_URL: base, WECOM_OAUTH_BASE: wecom.base } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await wecom?.stop();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });

  async function phone(userAgent?: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', userAgent });
    contexts.push(context);
    await context.route('**/h5/wecom/jssdk.js', (r) => r.fulfill({ contentType: 'text/javascript', body: WW_STUB }));
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return { page, errors: pageErrors(page) };
  }
  /** Nothing scrolls sideways, with every action's form open. */
  async function expectNoSidewaysScroll(page: Page) {
    await page.evaluate(`document.querySelectorAll('details').forEach((d) => { d.open = true; })`);
    expect(await page.evaluate<number>('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(WIDTH);
    const inner = await page.evaluate<string[]>(`[...document.querySelectorAll('*')]
      .filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
      .map((e) => e.tagName.toLowerCase() + ' ' + e.scrollWidth + '>' + e.clientWidth)`);
    expect(inner).toEqual([]);
    await page.evaluate(`document.querySelectorAll('details').forEach((d) => { d.open = false; })`);
  }
  async function newRequest(text: string) {
    const { query, body } = seal(textXml({ from: 'YuanZhiDi', content: text, createTime: ts() }), { timestamp: ts() });
    await h.fetch(`/wecom/callback?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
    await h.app.settle();
    return ((await h.api('/requests')).requests[0] as { code: string }).code;
  }
  const open = async (page: Page, label: string) => {
    await page.locator('details.action > summary', { hasText: new RegExp(`^${label}$`) }).click();
    return page.locator('details.action[open] form');
  };

  it('logs a cadre in inside WeCom, 受理, 转办 through the contact picker, 办结 — and the villager signs on their link', async () => {
    const code = await newRequest('村口路灯坏了三天了，晚上看不见路');
    wecom.loginAs = { userid: 'LiSi' };
    const { page, errors } = await phone(WECOM_UA);
    await page.goto(`${base}/h5/requests/${code}`);
    // authorize → code → getuserinfo → back on the page first asked for (the client's #wechat_redirect stays on).
    expect(page.url().split('#')[0]).toBe(`${base}/h5/requests/${code}`);
    expect(wecom.callsTo('/connect/oauth2/authorize')).toHaveLength(1);
    expect(wecom.callsTo('/cgi-bin/auth/getuserinfo')).toHaveLength(1);
    await page.locator('h1', { hasText: `事项 ${code}` }).waitFor();
    expect(await page.locator('.verbatim').first().textContent()).toBe('村口路灯坏了三天了，晚上看不见路');
    await expectNoSidewaysScroll(page);
    // ww.register got the server's signature for this very page.
    await page.waitForFunction('window.__ww && window.__ww.signature');
    expect(await page.evaluate<string>('window.__ww.signature.signature')).toMatch(/^[0-9a-f]{40}$/);
    expect(await page.evaluate<string>('window.__ww.registered.corpId')).toBe('wwminqingtest0001');

    const accept = await open(page, '受理');
    await accept.locator('select[name=tier]').selectOption('township');
    await accept.locator('button[type=submit]').click();
    await page.locator('.note', { hasText: '已完成“受理”' }).waitFor();
    await h.app.settle();
    expect((await h.api(`/requests/${code}`)).owner.id).toBe('li');
    // 罗先运's copy of the new-request card now reads 已由李四受理.
    const updates = wecom.callsTo('/cgi-bin/message/update_template_card').map((c) => JSON.stringify(c.body));
    expect(updates.some((u) => u.includes('已由李四受理'))).toBe(true);

    const fwd = await open(page, '转办');
    await fwd.locator('button.contact-pick').click();
    await fwd.locator('.picked', { hasText: '罗先运' }).waitFor();
    await fwd.locator('button[type=submit]').click();
    await page.locator('.note', { hasText: '已转罗先运办理' }).waitFor();
    await h.app.settle();
    expect((await h.api(`/requests/${code}`)).handlers.map((x: { id: string }) => x.id)).toEqual(['luo']);

    const resolve = await open(page, '办结');
    await resolve.locator('textarea[name=result]').fill('已更换路灯灯泡，晚上可以照明了。');
    await resolve.locator('button[type=submit]').click();
    await page.locator('.note', { hasText: '已办结' }).waitFor();
    await h.app.settle();
    await expectNoSidewaysScroll(page);
    expect(errors).toEqual([]);

    // The villager, on their own phone, from the link in their receipt.
    const link = linkIn(wecom.callsTo('/cgi-bin/message/send').find((c) => c.body.touser === 'YuanZhiDi' && c.body.msgtype === 'text')!.body.text.content)!;
    const v = await phone();
    await v.page.goto(link);
    expect(v.page.url()).toBe(`${base}/h5/requests/${code}`);
    await v.page.locator('.verbatim', { hasText: '已更换路灯灯泡' }).waitFor();
    await expectNoSidewaysScroll(v.page);
    const pad = v.page.locator('canvas.pad');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await v.page.mouse.move(box.x + 20, box.y + 60);
    await v.page.mouse.down();
    for (let i = 1; i <= 12; i++) await v.page.mouse.move(box.x + 20 + i * 20, box.y + 60 + (i % 2 ? 30 : -10));
    await v.page.mouse.up();
    await v.page.locator('button.sign-save').click();
    await v.page.locator('.note', { hasText: '签字已保存' }).waitFor();
    await v.page.locator('img.signature').waitFor();
    const sig = await h.app.db.read.pages.latestSignature((await h.api(`/requests/${code}`)).id);
    expect(sig).toMatchObject({ signer: expect.stringMatching(/^villager:\d+$/), takenBy: expect.stringMatching(/^villager:\d+$/) });
    expect(Buffer.from(sig!.png, 'base64').subarray(1, 4).toString()).toBe('PNG');
    // 满意 from the same page closes it.
    const rate = await open(v.page, '评价');
    await rate.locator('button[name=satisfied][value="1"]').click();
    await v.page.locator('.note', { hasText: '感谢您的评价' }).waitFor();
    expect((await h.api(`/requests/${code}`)).status).toBe('closed');
    await v.page.goto(`${base}/h5/mine`);
    await v.page.locator('a', { hasText: code }).waitFor();
    await expectNoSidewaysScroll(v.page);
    expect(v.errors).toEqual([]);
  });

  it('shows 我的待办 overdue first, and the login and refusal pages, all without sideways scrolling', async () => {
    const late = await newRequest('白天也要修一下水渠');
    wecom.loginAs = { userid: 'LiSi' };
    const { page, errors } = await phone(WECOM_UA);
    await page.goto(`${base}/h5/requests/${late}`);
    const accept = await open(page, '受理');
    await accept.locator('button[type=submit]').click();
    await page.locator('.note').waitFor();
    h.clock.set('2026-11-26T11:00:00+08:00'); // not a follow-up (those come within 2 minutes)
    const fresh = await newRequest('桥上的栏杆松了');
    h.clock.set('2026-11-28T10:00:00+08:00');
    await page.goto(`${base}/h5/todo`);
    const heads = await page.locator('section.card h2').allTextContents();
    expect(heads[0]).toMatch(/^已超期/);
    expect(heads.some((x) => x.startsWith('新的群众诉求'))).toBe(true);
    expect(await page.locator('section.card').first().textContent()).toContain(late);
    expect(await page.locator('body').textContent()).toContain(fresh);
    await expectNoSidewaysScroll(page);
    // Someone else's village: a 403 page that says what to do.
    wecom.loginAs = { userid: 'LiuMing' };
    const other = await phone(WECOM_UA);
    const res = await other.page.goto(`${base}/h5/requests/${late}`);
    expect(res!.status()).toBe(403);
    expect(await other.page.locator('p').first().textContent()).toContain('不负责这件事项所在的村');
    await expectNoSidewaysScroll(other.page);
    expect(errors).toEqual([]);
  });

  it('lets a reviewer read a diary on the phone and sign it off there: recorded, the keeper told', async () => {
    h.clock.set('2026-11-30T10:00:00+08:00');
    wecom.loginAs = { userid: 'LiSi' };
    const { page, errors } = await phone(WECOM_UA);
    await page.goto(`${base}/h5/diary/zhangsan`);
    await page.locator('h1', { hasText: '张三的民情日记' }).waitFor();
    const form = page.locator('form.rp-review-form[data-kind="review"]');
    expect(await form.locator('label').textContent()).toBe('签署2026年第3季度审阅意见');
    await expectNoSidewaysScroll(page);
    await form.locator('textarea').fill('记录详实，注意跟踪办理结果');
    await form.locator('button[type=submit]').click();
    await page.locator('#review-said', { hasText: '已记录：您审阅了张三2026年第3季度的民情日记' }).waitFor();
    expect(page.url()).toBe(`${base}/h5/diary/zhangsan?period=2026-Q3#review`);
    expect(await page.locator('li[data-review="li"]').textContent()).toContain('李四审阅2026年第3季度：记录详实，注意跟踪办理结果');
    await expectNoSidewaysScroll(page);
    await h.app.settle();
    const told = wecom.callsTo('/cgi-bin/message/send').filter((c) => c.body.touser === 'ZhangSan').map((c) => c.body.text?.content);
    expect(told).toContain('李四审阅了您2026年第3季度的民情日记：记录详实，注意跟踪办理结果');
    // The printed book carries the recorded sign-off, not the form.
    await page.emulateMedia({ media: 'print' });
    expect(await form.isVisible()).toBe(false);
    expect(await page.locator('li[data-review="li"]').isVisible()).toBe(true);
    // The same POST without the page's token changes nothing.
    const forged = await page.request.post(`${base}/h5/diary/zhangsan/review`, { form: { text: '伪造' } });
    expect(forged.status()).toBe(403);
    expect((await h.app.db.read.diaryReviews.ofPerson('zhangsan')).map((r) => r.text)).toEqual(['记录详实，注意跟踪办理结果']);
    expect(errors).toEqual([]);
  });
});
