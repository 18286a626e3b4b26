import type { Browser } from 'playwright-core';
import { describeBrowser, launchChromium, pageErrors } from '../helpers/browser';
import { freshDatabaseUrl } from '../helpers/db';
import { Harness, startHarness } from '../helpers/harness';

/**
 * The ten-minute walk-through reaches the pages (README): on /sandbox, as 李四, 打开页面 opens 我的待办
 * as 李四 (the sandbox login), and a card's 详情 opens the request's page as whoever is chosen.
 */
describeBrowser('sandbox opens the pages', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl('sqlite'), platform: 'sandbox' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('opens 我的待办 and a card\'s 详情 as the chosen person', async () => {
    await h.fetch('/sandbox/api/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: 'v1', text: '村口路灯坏了三天了' }) });
    await h.app.settle();
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors = pageErrors(page);
    await page.goto(`${h.base}/sandbox`);
    await page.locator('#who-list .idn[data-id="li"]').tap();
    const [todo] = await Promise.all([context.waitForEvent('page'), page.locator('#open-pages').tap()]);
    await todo.locator('h1', { hasText: '我的待办' }).waitFor();
    expect(await todo.locator('main').textContent()).toContain('李四，您好');
    const [detail] = await Promise.all([context.waitForEvent('page'), page.locator('.card a.link', { hasText: '详情' }).first().tap()]);
    await detail.locator('summary', { hasText: /^受理$/ }).waitFor();
    expect(await detail.locator('.verbatim').first().textContent()).toBe('村口路灯坏了三天了');
    expect(await detail.evaluate<number>('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(375);
    expect(errors).toEqual([]);
    await context.close();
  });
});
