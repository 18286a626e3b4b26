import ExcelJS from 'exceljs';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { ReportsApp, startReports } from '../helpers/reports-app';
import { seedLedger } from '../helpers/reports-data';

/**
 * The leaders' and clerks' pages over HTTP, on a small known ledger (test/helpers/reports-data.ts):
 * who may see what, the remits, the filters, the downloads and the printed forms. Thursday
 * 2026-11-26 10:00; the default dashboard week is 11-16…11-22.
 */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe.each(dialects())('report pages (%s)', (dialect) => {
  let r: ReportsApp;
  let yuan: number;
  const signed = new Set<number>();

  beforeAll(async () => {
    r = await startReports({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox', reports: { signature: async (id) => (signed.has(id) ? PNG : null) } });
    ({ yuan } = await seedLedger(r.h.app.db));
  });
  afterAll(async () => {
    await r?.close();
    await dropCreatedDatabases();
  });

  const page = async (path: string, viewer: string | null) => {
    const res = await r.get(path, viewer);
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };
  const codes = (html: string) => [...html.matchAll(/<tr data-code="([^"]+)"/g)].map((m) => m[1]);
  const figure = (html: string, key: string) => {
    const m = new RegExp(`data-figure="${key}" data-n="(\\d+)"(?: data-d="(\\d+)")?`).exec(html);
    return m ? { n: Number(m[1]), d: m[2] === undefined ? undefined : Number(m[2]) } : null;
  };

  describe('dashboard', () => {
    it('shows a leader the whole township: the late villages first, then last week’s figures', async () => {
      const p = await page('/h5/dashboard', 'person:wang');
      expect(p.status).toBe(200);
      expect(p.text).toContain('民情看板');
      expect(p.text).toContain('当前超期 2 件');
      expect(p.text.indexOf('id="late"')).toBeLessThan(p.text.indexOf('data-figure="received"'));
      // SQ001 (11-17), SQ003 (11-16), SQ004 (11-19) were received in the week 11-16…11-22.
      expect(figure(p.text, 'received')).toEqual({ n: 3 });
      expect(figure(p.text, 'overdue')).toEqual({ n: 2 });
      expect(figure(p.text, 'refusals')).toEqual({ n: 1, d: 1 });
      // The most overdue item of each late village, with its owner and how late.
      expect(p.text).toMatch(/SQ001<\/a> 村口路灯坏了三天了<br><small>首问责任人：李四 · 时限 11月18日 17:30 · <b class="rp-bad">超期 5 个工作日<\/b>/);
      expect(p.text).toContain('SQ004');
      expect(p.text).toContain('data-table="village"');
      // 督办单: #1 open and late, #2 done this week? (done 11-24: not in the week 11-16…11-22)
      expect(p.text).toContain('未落实 1 张（其中已超期 1 张），本期已落实 0 张。');
    });

    it('shows a village secretary only their village', async () => {
      const p = await page('/h5/dashboard', 'person:li');
      expect(p.status).toBe(200);
      expect(p.text).toContain('关沟村民情看板');
      expect(figure(p.text, 'received')).toEqual({ n: 1 });
      expect(p.text).toContain('当前超期 1 件');
      expect(p.text).toContain('SQ001');
      expect(p.text).not.toContain('SQ004');
      expect(p.text).not.toContain('白垭村');
      expect(p.text).not.toContain('data-table="village"');
    });

    it('takes a month or another week, and refuses a week that has not come', async () => {
      const nov = await page('/h5/dashboard?month=2026-11', 'person:wang');
      expect(nov.status).toBe(200);
      expect(figure(nov.text, 'received')).toEqual({ n: 6 });
      expect(nov.text).toContain('较上月');
      const oct = await page('/h5/dashboard?week=2026-10-21', 'person:wang');
      expect(figure(oct.text, 'received')).toEqual({ n: 1 });
      expect(oct.text).toContain('data-period="week:2026-10-19"');
      const future = await page('/h5/dashboard?week=2026-12-07', 'person:wang');
      expect(future.status).toBe(400);
      expect(future.text).toContain('这一周还没有到');
      expect((await page('/h5/dashboard?month=2026-13', 'person:wang')).status).toBe(400);
    });

    it('refuses a cadre, the township office and a villager, in Chinese', async () => {
      for (const who of ['person:zhangsan', 'person:luo', 'person:zhao', `villager:${yuan}`]) {
        const p = await page('/h5/dashboard', who);
        expect([who, p.status]).toEqual([who, 403]);
        expect(p.type).toContain('text/html');
        expect(p.text).toMatch(/民情看板只供镇领导和村党组织书记查看|这个页面只供镇村干部查看/);
      }
      expect((await page('/h5/dashboard/trend.json', 'person:zhangsan')).status).toBe(403);
      const logged = r.h.logs().filter((l) => l.msg === 'page refused');
      expect(logged.length).toBeGreaterThanOrEqual(5);
    });

    it('gives the trend as twelve weeks ending with the chosen one', async () => {
      const res = await r.get('/h5/dashboard/trend.json', 'person:wang');
      expect(res.status).toBe(200);
      const { weeks } = (await res.json()) as { weeks: { label: string; received: number; resolved: number }[] };
      expect(weeks).toHaveLength(12);
      expect(weeks[11].label).toBe('11/16');
      expect(weeks[11].received).toBe(3);
      expect(weeks[10]).toMatchObject({ label: '11/09', received: 1, resolved: 1 });
      const li = (await (await r.get('/h5/dashboard/trend.json', 'person:li')).json()) as { weeks: { received: number }[] };
      expect(li.weeks[11].received).toBe(1);
    });

    it('keeps the weeks that have ended for five minutes, and reads the running week afresh', async () => {
      const trend = async (q = '') => ((await (await r.get(`/h5/dashboard/trend.json${q}`, 'person:wang')).json()) as { weeks: { label: string; received: number }[] }).weeks;
      const before = await trend('?week=2026-11-23');
      expect(before[11]).toMatchObject({ label: '11/23', received: 2 }); // SQ005, SQ006 so far this week
      expect(before[10]).toMatchObject({ label: '11/16', received: 3 });
      const db = r.h.app.db;
      const late = (id: number, code: string, at: string) =>
        db.query(`INSERT INTO request (id, code, status, village_id, tier, level, ${db.quote('text')}, channel, received_at, last_message_at, version) VALUES (?, ?, 'pending', 'guangou', 'general', 'village', '补录', 'visit', ?, ?, 1)`, [id, code, Date.parse(at), Date.parse(at)]);
      await late(50, 'SQ050', '2026-11-18T09:00:00+08:00'); // a week that has ended
      await late(51, 'SQ051', '2026-11-26T09:00:00+08:00'); // this week
      const kept = await trend('?week=2026-11-23');
      expect(kept[11].received).toBe(3);
      expect(kept[10].received).toBe(3);
      r.h.clock.advance(5 * 60_000 + 1);
      const fresh = await trend('?week=2026-11-23');
      expect(fresh[10].received).toBe(4);
      r.h.clock.set('2026-11-26T10:00:00+08:00');
      await db.query('DELETE FROM request WHERE id IN (50, 51)');
    });
  });

  describe('ledger', () => {
    it('lists the viewer’s whole remit, open and closed', async () => {
      expect(codes((await page('/h5/ledger?month=all', 'person:wang')).text)).toEqual(['SQ007', 'SQ002', 'SQ003', 'SQ001', 'SQ004', 'SQ006', 'SQ005']);
      expect(codes((await page('/h5/ledger?month=all', 'person:zhao')).text)).toHaveLength(7);
      expect(codes((await page('/h5/ledger?month=all', 'person:li')).text)).toEqual(['SQ007', 'SQ002', 'SQ001']);
      expect(codes((await page('/h5/ledger?month=all', 'person:luo')).text)).toEqual(['SQ007', 'SQ002', 'SQ001']);
      expect(codes((await page('/h5/ledger?month=all', 'person:he')).text)).toEqual(['SQ003', 'SQ004']);
    });

    it('filters by month (the current one by default), status, village and owner', async () => {
      expect(codes((await page('/h5/ledger', 'person:wang')).text)).toEqual(['SQ002', 'SQ003', 'SQ001', 'SQ004', 'SQ006', 'SQ005']);
      expect(codes((await page('/h5/ledger?month=2026-10', 'person:wang')).text)).toEqual(['SQ007']);
      expect(codes((await page('/h5/ledger?status=open', 'person:wang')).text)).toEqual(['SQ001', 'SQ004', 'SQ006', 'SQ005']);
      expect(codes((await page('/h5/ledger?status=closed,rejected&month=all', 'person:wang')).text)).toEqual(['SQ007', 'SQ002', 'SQ003']);
      expect(codes((await page('/h5/ledger?village=baiya', 'person:wang')).text)).toEqual(['SQ003', 'SQ004']);
      expect(codes((await page('/h5/ledger?owner=zhangsan&month=all', 'person:wang')).text)).toEqual(['SQ007', 'SQ002']);
      const p = await page('/h5/ledger?village=guangou&status=open', 'person:li');
      expect(codes(p.text)).toEqual(['SQ001']);
      expect(p.text).toContain('共 1 件');
      expect(p.text).toContain('/h5/ledger.xlsx?village=guangou&amp;status=open&amp;month=2026-11');
    });

    it('refuses another village, a bad filter and a villager', async () => {
      const other = await page('/h5/ledger?village=baiya', 'person:li');
      expect(other.status).toBe(403);
      expect(other.text).toContain('您只能查看本村的台账');
      expect((await page('/h5/ledger?status=lost', 'person:wang')).status).toBe(400);
      expect((await page('/h5/ledger?month=11月', 'person:wang')).status).toBe(400);
      expect((await page('/h5/ledger', `villager:${yuan}`)).status).toBe(403);
      expect((await page('/h5/ledger.csv', `villager:${yuan}`)).status).toBe(403);
      expect((await page('/h5/ledger.xlsx?village=baiya', 'person:li')).status).toBe(403);
    });

    it('downloads the same rows as CSV, every column', async () => {
      const res = await r.get('/h5/ledger.csv?status=open', 'person:wang');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain('minqing-ledger-2026-11.csv');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // so that Excel reads it as UTF-8
      const text = bytes.toString('utf8');
      const lines = text.trim().split('\r\n');
      expect(lines[0]).toContain('编号,收到时间,村,反映人,事由');
      expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['SQ001', 'SQ004', 'SQ006', 'SQ005']);
      const li = await (await r.get('/h5/ledger.csv?month=all', 'person:li')).text();
      expect(li).not.toContain('SQ004');
    });

    it('downloads an XLSX a clerk prints as it is: A4 landscape, one page wide, the header on every page, wrapped text', async () => {
      const res = await r.get('/h5/ledger.xlsx?month=all', 'person:wang');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('销号台账')!;
      expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' });
      expect(ws.getRow(1).getCell(1).value).toBe('编号');
      expect(ws.rowCount).toBe(8);
      expect(ws.getCell('E4').value).toBe('要求给我家再批一块宅基地');
      expect(ws.getCell('E4').alignment).toMatchObject({ wrapText: true });
      expect(ws.getColumn(5).width).toBeGreaterThanOrEqual(25);
      expect(ws.headerFooter.oddFooter).toContain('&P');
    });
  });

  describe('民情日记', () => {
    it('shows a cadre their own book: each matter’s 事由, 办理过程, 办理结果, then entries and visits', async () => {
      const p = await page('/h5/diary/li?period=2026-Q4', 'person:li');
      expect(p.status).toBe(200);
      expect(p.text).toContain('李四的民情日记');
      expect(p.text).toContain('2026年第4季度');
      expect(p.text).toMatch(
        /data-code="SQ001"[\s\S]*事由[\s\S]*村口路灯坏了三天了[\s\S]*办理过程[\s\S]*转办：给罗先运[\s\S]*进展：已联系供电所，等待配件[\s\S]*办理结果[\s\S]*尚未办结/,
      );
      expect(p.text).toContain('走村入户了解冬季用水情况');
      expect(p.text).toContain('走访户：袁志弟家');
      expect(p.text).toContain('经办事项 1 件 · 日记 1 篇 · 走访 1 户');
    });

    it('opens to the reviewer and to leaders, not to others', async () => {
      expect((await page('/h5/diary/zhangsan', 'person:li')).status).toBe(200);
      expect((await page('/h5/diary/li', 'person:wang')).status).toBe(200);
      const p = await page('/h5/diary/li', 'person:zhangsan');
      expect(p.status).toBe(403);
      expect(p.text).toContain('您只能查看本人和您负责审阅的干部的民情日记');
      expect((await page('/h5/diary/nobody', 'person:wang')).status).toBe(404);
      expect((await page('/h5/diary/li?period=Q4', 'person:wang')).status).toBe(400);
    });
  });

  describe('printed forms', () => {
    it('prints the 代办事项受理卡 with an empty 申办人签字 box, then with the signature', async () => {
      const p = await page('/h5/print/card/SQ001', 'person:li');
      expect(p.status).toBe(200);
      expect(p.text).toContain('代办事项受理卡');
      expect(p.text).toMatch(/申办人<\/th><td>袁志弟/);
      expect(p.text).toMatch(/承诺办结时限<\/th><td>2026-11-18 17:30/);
      expect(p.text).toContain('（待申办人签字）');
      expect((await r.get('/h5/print/card/SQ001/signature', 'person:li')).status).toBe(404);
      signed.add(1);
      const after = await page('/h5/print/card/SQ001', 'person:li');
      expect(after.text).toContain('<img class="rp-signature" src="/h5/print/card/SQ001/signature"');
      const img = await r.get('/h5/print/card/SQ001/signature', 'person:li');
      expect(img.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await img.arrayBuffer())).toEqual(PNG);
    });

    it('prints the 否定报备表 with its 依据, 理由, who filed and who approved', async () => {
      const p = await page('/h5/print/refusal/SQ003', 'person:wang');
      expect(p.status).toBe(200);
      expect(p.text).toMatch(/办理依据<\/th><td>《土地管理法》第六十二条/);
      expect(p.text).toMatch(/否定理由<\/th><td>该户已有宅基地一处/);
      expect(p.text).toMatch(/经办人<\/th><td>刘明/);
      expect(p.text).toMatch(/审批领导<\/th><td>王建国/);
      expect(p.text).toMatch(/审批意见<\/th><td>同意否定/);
      expect(p.text).toMatch(/审批时间<\/th><td>2026-11-17 09:00/);
      expect((await page('/h5/print/refusal/SQ001', 'person:wang')).status).toBe(404);
    });

    it('prints a 督办单 for its person, its issuer and leaders', async () => {
      const p = await page('/h5/print/supervision/1', 'person:li');
      expect(p.status).toBe(200);
      expect(p.text).toMatch(/督办要求<\/th><td>本周内修好路灯/);
      expect(p.text).toMatch(/落实情况<\/th><td>已超期/);
      expect((await page('/h5/print/supervision/2', 'person:chen')).text).toMatch(/落实情况<\/th><td>已落实：已抢通/);
      expect((await page('/h5/print/supervision/1', 'person:zhoufang')).status).toBe(403);
      expect((await page('/h5/print/supervision/99', 'person:wang')).status).toBe(404);
    });

    it('refuses a request outside the viewer’s remit and an unknown code', async () => {
      const p = await page('/h5/print/card/SQ001', 'person:liuming');
      expect(p.status).toBe(403);
      expect(p.text).toContain('这个事项不在您的工作范围内');
      expect((await page('/h5/print/card/SQ001', 'person:luo')).status).toBe(200);
      expect((await page('/h5/print/card/SQ999', 'person:wang')).status).toBe(404);
      expect((await page('/h5/print/card/SQ001', `villager:${yuan}`)).status).toBe(403);
    });
  });

  it('serves its scripts, styles and echarts from the app', async () => {
    for (const path of ['/h5/reports/assets/reports.css', '/h5/reports/assets/dashboard.js', '/h5/reports/assets/print.js', '/h5/reports/assets/echarts.simple.min.js']) {
      const res = await fetch(`${r.base}${path}`, { headers: { 'accept-encoding': 'gzip' } });
      expect([path, res.status]).toEqual([path, 200]);
    }
    expect((await fetch(`${r.base}/h5/reports/assets/index.js`)).status).toBe(404);
  });
});
