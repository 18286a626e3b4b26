import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cjkFont } from '../../src/jobs/reports/chart';
import { describeBrowser, launchChromium, pageErrors } from '../helpers/browser';
import { freshDatabaseUrl } from '../helpers/db';
import { pdfPages } from '../helpers/pdf-text';
import { ReportsApp, startReports, VIEWER_COOKIE } from '../helpers/reports-app';
import { Row, seedLedger } from '../helpers/reports-data';

/**
 * The leaders' and clerks' pages in Chromium on a 375 px phone: nothing scrolls sideways, no page
 * error, the trend drawn by echarts, a secretary's dashboard holding only their village, a cadre
 * refused it; the ledger printed to PDF on A4 landscape with its header row on every page, and its
 * XLSX downloaded from the page and opened with exceljs. The machine may have no CJK font, so the
 * pages get the bundled one (@embedpdf/fonts-sc) as a web font — the PDF's text can then be read.
 */
const WIDTH = 375;
const LONG = 80;

describeBrowser('report pages in a browser', () => {
  let r: ReportsApp;
  let browser: Browser;
  const font = fs.readFileSync(cjkFont());

  beforeAll(async () => {
    r = await startReports({ databaseUrl: await freshDatabaseUrl('sqlite'), platform: 'sandbox' });
    const day = Date.parse('2026-11-02T09:00:00+08:00');
    const extra: Row[] = Array.from({ length: LONG }, (_, i) => ({
      id: 100 + i,
      code: `SQ${100 + i}`,
      status: 'closed',
      village_id: i % 2 ? 'guangou' : 'baiya',
      owner_id: i % 2 ? 'li' : 'liuming',
      text: `第${i + 1}件：村里的路灯、水管和垃圾问题需要处理，群众反映多次，请尽快安排`,
      received_at: day + i * 3600_000,
      accepted_at: day + i * 3600_000 + 600_000,
      deadline: day + i * 3600_000 + 86400_000,
      resolved_at: day + i * 3600_000 + 7200_000,
      closed_at: day + i * 3600_000 + 86400_000,
      satisfaction: 'satisfied',
      close_reason: 'satisfied',
      result: '已办结，群众满意',
      category: 5,
    }));
    await seedLedger(r.h.app.db, extra);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await r?.close();
  });

  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });

  /** A phone's page as `viewer`, with the CJK web font, collecting its errors. */
  async function open(viewer: string, path: string): Promise<{ page: Page; errors: string[]; status: number }> {
    const context = await browser.newContext({
      viewport: { width: WIDTH, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      acceptDownloads: true,
    });
    contexts.push(context);
    // Who is looking travels in a cookie, as a session does (a download's request carries cookies, not extra headers).
    await context.addCookies([{ name: VIEWER_COOKIE, value: viewer, url: r.base }]);
    await context.route('**/test-cjk.otf', (route) => route.fulfill({ body: font, contentType: 'font/otf' }));
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors = pageErrors(page);
    const res = await page.goto(`${r.base}${path}`);
    await page.addStyleTag({ content: '@font-face{font-family:"Noto Sans SC";src:url(/test-cjk.otf)}' });
    await page.evaluate('document.fonts.ready');
    return { page, errors, status: res!.status() };
  }

  /** Nothing scrolls sideways: not the page, and not a scroller inside it. */
  async function expectNoSidewaysScroll(page: Page, what: string) {
    expect([what, await page.evaluate<number>('document.scrollingElement.scrollWidth')]).toEqual([what, WIDTH]);
    const inner = await page.evaluate<string[]>(`[...document.querySelectorAll('*')]
      .filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
      .map((e) => e.tagName.toLowerCase() + ' ' + e.scrollWidth + '>' + e.clientWidth)`);
    expect([what, inner]).toEqual([what, []]);
  }

  it('fits every page in 375 px, with nothing scrolling sideways and no page error', async () => {
    const pages: [string, string, number][] = [
      ['person:wang', '/h5/dashboard', 200],
      ['person:wang', '/h5/dashboard?month=2026-11', 200],
      ['person:li', '/h5/dashboard', 200],
      ['person:wang', '/h5/ledger?month=all', 200],
      ['person:li', '/h5/ledger?status=open', 200],
      ['person:li', '/h5/diary/li', 200],
      ['person:li', '/h5/print/card/SQ001', 200],
      ['person:wang', '/h5/print/refusal/SQ003', 200],
      ['person:wang', '/h5/print/supervision/1', 200],
      ['person:zhangsan', '/h5/dashboard', 403],
    ];
    for (const [viewer, path, status] of pages) {
      const { page, errors, status: got } = await open(viewer, path);
      expect([path, got]).toEqual([path, status]);
      if (path.startsWith('/h5/dashboard') && status === 200) await page.locator('#trend[data-state="drawn"]').waitFor();
      await expectNoSidewaysScroll(page, `${viewer} ${path}`);
      // A refusal's own status is the one error a refused page reports.
      expect([path, errors.filter((e) => status === 200 || !e.includes(`status of ${status}`))]).toEqual([path, []]);
      await page.close();
    }
  });

  it('draws the 12-week trend with echarts served by the app', async () => {
    const { page, errors } = await open('person:wang', '/h5/dashboard');
    const requests: string[] = [];
    page.on('request', (q) => requests.push(q.url()));
    await page.reload();
    const chart = page.locator('#trend[data-state="drawn"]');
    await chart.waitFor();
    expect(await chart.getAttribute('data-weeks')).toBe('12');
    expect(await page.locator('#trend canvas').count()).toBeGreaterThan(0);
    const box = (await page.locator('#trend canvas').first().boundingBox())!;
    expect(box.width).toBeGreaterThan(300);
    expect(box.width).toBeLessThanOrEqual(WIDTH);
    expect(box.height).toBeGreaterThan(200);
    expect(requests.some((u) => u.endsWith('/h5/reports/assets/echarts.simple.min.js'))).toBe(true);
    expect(requests.filter((u) => !u.startsWith(r.base))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows a village secretary only their village, and refuses a cadre', async () => {
    const { page } = await open('person:li', '/h5/dashboard');
    await page.locator('#trend[data-state="drawn"]').waitFor();
    const text = (await page.locator('main').textContent())!;
    expect(text).toContain('关沟村民情看板');
    expect(text).toContain('SQ001');
    for (const other of ['白垭村', '财梁村', 'SQ004', '何晓燕']) expect([other, text.includes(other)]).toEqual([other, false]);
    const cadre = await open('person:zhangsan', '/h5/dashboard');
    expect(cadre.status).toBe(403);
    expect(await cadre.page.locator('h1').textContent()).toBe('无权查看');
    expect(await cadre.page.locator('main').textContent()).toContain('民情看板只供镇领导和村党组织书记查看');
  });

  it('prints the ledger on A4 landscape, the header row on every page, no buttons or filters', async () => {
    const { page } = await open('person:wang', '/h5/ledger');
    const pdf = await page.pdf({ preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
    expect(boxes.length).toBeGreaterThanOrEqual(2);
    for (const b of boxes) expect(b).toEqual([842, 595]); // A4 landscape, in points
    const texts = pdfPages(pdf);
    expect(texts.length).toBe(boxes.length);
    expect(texts[0]).toContain('县河镇销号台账');
    const header = '编号收到时间村反映人事由分类首问责任人承办人办结时限状态办结时间是否超期办理结果群众评价否定报备督办单';
    texts.forEach((t, i) => expect([i + 1, t.includes(header)]).toEqual([i + 1, true]));
    // Rows carry on from page to page, in order; none is lost.
    const codes = texts.map((t) => [...t.matchAll(/SQ\d{3}/g)].map((m) => m[0]));
    expect(codes[1].length).toBeGreaterThan(0);
    expect(codes.flat()).toEqual([...Array.from({ length: LONG }, (_, i) => `SQ${100 + i}`), 'SQ002', 'SQ003', 'SQ001', 'SQ004', 'SQ006', 'SQ005']);
    const all = texts.join('');
    expect(all).toContain('打印时间:2026-11-26 10:00'); // NFKC makes the full-width colon plain
    for (const chrome of ['下载 Excel', '筛选', '打印', '受理卡']) expect([chrome, all.replace('打印时间', '').includes(chrome)]).toEqual([chrome, false]);
  });

  it('downloads the ledger’s XLSX from the page, for the same filter, ready to print', async () => {
    const { page } = await open('person:wang', '/h5/ledger?village=guangou');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a', { hasText: '下载 Excel' }).click()]);
    expect(download.suggestedFilename()).toBe('minqing-ledger-2026-11.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await download.path());
    const ws = wb.getWorksheet('销号台账')!;
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' });
    expect(ws.getCell('E2').alignment).toMatchObject({ wrapText: true });
    const villages = new Set<string>();
    ws.eachRow((row, n) => n > 1 && villages.add(row.getCell(3).text));
    expect([...villages]).toEqual(['关沟村']);
    expect(ws.rowCount - 1).toBe(LONG / 2 + 2); // 40 of the long list, SQ001 and SQ002
  });

  it('prints a 代办事项受理卡 on one A4 page with the 申办人签字 box', async () => {
    const { page } = await open('person:li', '/h5/print/card/SQ001');
    const pdf = await page.pdf({ preferCSSPageSize: true });
    const texts = pdfPages(pdf);
    expect(texts).toHaveLength(1);
    expect([...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => Math.round(Number(m[1])))).toEqual([595]);
    expect(texts[0]).toContain('代办事项受理卡');
    expect(texts[0]).toContain('申办人签字');
    expect(texts[0]).toContain('村口路灯坏了三天了');
    expect(texts[0]).not.toContain('打印');
  });
});
