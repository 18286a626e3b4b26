import ExcelJS from 'exceljs';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from './helpers/db';
import { ADMIN, Harness, startHarness } from './helpers/harness';

/** 销号台账 (docs/interface.md#api GET /api/v1/ledger.csv and .xlsx). */
describe.each(dialects())('the ledger (%s)', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox' });
  });
  afterEach(() => h.close());
  afterAll(dropCreatedDatabases);

  const get = (path: string) => h.fetch(path, { headers: { authorization: `Bearer ${ADMIN}` } });
  const walkIn = (body: Record<string, unknown>) =>
    h.fetch('/api/v1/requests', { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('lists every request with owner, deadline and status, as CSV Excel opens and as xlsx', async () => {
    expect((await walkIn({ village: 'guangou', text: '=HYPERLINK("x") 村口路灯坏了', channel: 'visit', receivedAt: '2026-11-24T09:00:00+08:00', reporterName: '袁志弟', takenBy: 'luo' })).status).toBe(201);
    expect((await walkIn({ village: 'baiya', text: '低保申请材料, 需要什么', channel: 'phone', receivedAt: '2026-11-25T10:00:00+08:00', reporterName: '王秀英', takenBy: 'he' })).status).toBe(201);
    await h.app.settle();

    const csv = await get('/api/v1/ledger.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('编号,收到时间,村,反映人,事由,分类,渠道,首问责任人,承办人,层级,时限类别,办结时限,状态,受理时间,办结时间,销号时间,是否超期,办理结果,群众评价,否定报备,督办单');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('关沟村,袁志弟');
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"") 村口路灯坏了"`);
    expect(lines[1]).toContain('罗先运');
    expect(lines[1]).toContain('2026-11-25 17:30');
    expect(lines[2]).toContain('"低保申请材料, 需要什么"');
    expect(lines[2]).toContain('电话');

    const only = await (await get('/api/v1/ledger.csv?village=baiya')).text();
    expect(only.trim().split('\r\n')).toHaveLength(2);

    const xlsx = await get('/api/v1/ledger.xlsx');
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const ws = wb.getWorksheet('销号台账')!;
    expect(ws.rowCount).toBe(3);
    expect(ws.getRow(2).getCell(1).value).toMatch(/^20261124-\d{3}$/);
    expect(ws.getRow(3).getCell(8).value).toBe('何晓燕');
  });

  it('needs the admin token and refuses a bad filter', async () => {
    expect((await h.fetch('/api/v1/ledger.csv')).status).toBe(401);
    expect((await get('/api/v1/ledger.csv?status=nonsense')).status).toBe(400);
    expect((await get('/api/v1/ledger.csv?since=yesterday')).status).toBe(400);
  });
});
