import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchChromium, pageErrors } from '../helpers/browser';
import { freshDatabaseUrl } from '../helpers/db';
import { Harness, startHarness } from '../helpers/harness';

/**
 * The /sandbox page in Chromium on a 375 px phone, as a newcomer uses it: be the villager 袁志弟 and
 * report a broken street lamp, switch to 李四 (关沟村's duty on Thursday 2026-11-26) and tap 受理
 * on the card, switch back and read who took it and by when. The header names the township of the
 * org file (here renamed, so the name cannot come from anywhere else), and the page never scrolls
 * sideways.
 */
const WIDTH = 375;
const TOWNSHIP = '清水河镇';

describeBrowser('sandbox page in a browser', () => {
  let h: Harness;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let tmp: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minqing-page-'));
    const org = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../org.example.json'), 'utf8'));
    org.township.name = TOWNSHIP;
    const orgFile = path.join(tmp, 'org.json');
    fs.writeFileSync(orgFile, JSON.stringify(org));
    h = await startHarness({ databaseUrl: await freshDatabaseUrl('sqlite'), platform: 'sandbox', env: { ORG_FILE: orgFile } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: WIDTH, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    errors = pageErrors(page);
  });
  afterEach(async () => {
    await context.close();
  });

  /** Nothing scrolls sideways: not the page, and not a scroller inside it (the chat log is one). */
  const expectNoSidewaysScroll = async () => {
    expect(await page.evaluate<number>('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(WIDTH);
    const inner = await page.evaluate<string[]>(`[...document.querySelectorAll('*')]
      .filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
      .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + e.scrollWidth + '>' + e.clientWidth)`);
    expect(inner).toEqual([]);
  };
  /** Opens the identity list (a drawer on a phone) and becomes the person with this sandbox id. */
  const actAs = async (id: string) => {
    if (!(await page.locator('aside#who.open').count())) await page.locator('#who-open').tap();
    await page.locator(`#who-list .idn[data-id="${id}"]`).tap();
    await page.locator('aside#who.open').waitFor({ state: 'detached' });
  };
  /** Does `act`, waits for the page's POST to `api` to be answered, then lets the app process it. */
  const andSettle = async (api: string, act: () => Promise<void>) => {
    const answered = page.waitForResponse((r) => r.url().endsWith(`/sandbox/api/${api}`) && r.request().method() === 'POST');
    await act();
    expect((await answered).status()).toBe(200);
    await h.app.settle();
  };

  it('names the township of the org file in its header and title', async () => {
    await page.goto(`${h.base}/sandbox`);
    await page.locator('#title', { hasText: `${TOWNSHIP} · 民情直通车` }).waitFor();
    expect(await page.locator('#title').textContent()).toBe(`${TOWNSHIP} · 民情直通车`);
    expect(await page.title()).toBe(`${TOWNSHIP} · 民情直通车 · 沙盒`);
    // On a phone the page opens on the identity list, grouped as a clerk would.
    await page.locator('aside#who.open').waitFor();
    expect(await page.locator('#who-list .grp h3').allTextContents()).toEqual(['村民', '村干部', '驻村干部', '镇民情处理站', '县民情中心', '镇领导']);
    await expectNoSidewaysScroll();
    expect(errors).toEqual([]);
  });

  it('a villager reports, the cadre on duty taps 受理 on the card, the villager reads who took it', async () => {
    await page.goto(`${h.base}/sandbox`);
    const yuan = await page.locator('#who-list .idn', { hasText: '袁志弟' }).getAttribute('data-id');
    expect(yuan).toMatch(/^v\d+$/);

    await actAs(yuan!);
    expect(await page.locator('#me-name').textContent()).toBe('袁志弟');
    await page.locator('#text').fill('村口路灯坏了三天了');
    await andSettle('send', () => page.locator('#send').tap());
    const [req] = (await h.api('/requests')).requests;
    expect(req).toMatchObject({ text: '村口路灯坏了三天了', channel: 'sandbox', village: 'guangou' });
    await page.locator('.msg.mine .bubble', { hasText: '村口路灯坏了三天了' }).waitFor();
    await page.locator('.msg.theirs .bubble', { hasText: `编号 ${req.code}` }).waitFor();
    expect(await page.locator('#text').inputValue()).toBe('');
    await expectNoSidewaysScroll();

    await actAs('li');
    expect(await page.locator('#me-name').textContent()).toBe('李四');
    const card = page.locator('.card', { has: page.locator('.card-h', { hasText: '新的群众诉求' }) });
    await card.waitFor();
    expect(await card.locator('.quote').textContent()).toBe('村口路灯坏了三天了');
    expect(await card.locator('.btns button').allTextContents()).toEqual(['受理', '转办']);
    await expectNoSidewaysScroll();
    await andSettle('tap', () => card.getByRole('button', { name: '受理', exact: true }).tap());
    await card.locator('.closed', { hasText: '已由李四受理' }).waitFor();
    expect(await card.locator('.btns').count()).toBe(0);
    // The owner's own card follows, with what they can do next.
    const mine = page.locator('.card', { has: page.locator('.card-h', { hasText: '您负责的群众诉求' }) });
    await mine.waitFor();
    expect(await mine.locator('.btns button').allTextContents()).toContain('办结');
    expect(await h.api(`/requests/${req.id}`)).toMatchObject({ status: 'accepted', owner: { id: 'li' } });

    await actAs(yuan!);
    const told = page.locator('.msg.theirs .bubble', { hasText: `（编号 ${req.code}）已由李四受理` });
    await told.waitFor();
    expect(await told.textContent()).toContain('承诺办结时限：11月27日 17:30');
    await expectNoSidewaysScroll();
    expect(errors).toEqual([]);
  }, 60_000);
});
