import fs from 'node:fs';
import path from 'node:path';
import { run, UsageError } from '../../src/cli/main';
import { Db } from '../../src/db/db';
import { openDatabase } from '../../src/db/data-source';
import { importHouseholds, loadHouseholds } from '../../src/db/households';
import { parseOrg } from '../../src/domain/org';
import { importOrg } from '../../src/services/org-import';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { tempDir } from '../helpers/tmp';

/** docs/interface.md#year: `npx minqing households import FILE` — idempotent by 村 + 户主 + 组; added, updated, unchanged, refused. */
const EXAMPLE = JSON.parse(fs.readFileSync('org.example.json', 'utf8'));
const T0 = Date.parse('2026-11-20T09:00:00+08:00');
const dir = tempDir('minqing-households-');
const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};

describe.each(dialects())('households import (%s)', (dialect) => {
  let url: string;
  let db: Db;
  const saved = process.env.DATABASE_URL;
  beforeEach(async () => {
    url = await freshDatabaseUrl(dialect);
    db = new Db(await openDatabase(url), url);
    await importOrg(db, parseOrg(EXAMPLE), T0);
    process.env.DATABASE_URL = url;
  });
  afterEach(async () => {
    await db.close();
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });
  afterAll(dropCreatedDatabases);

  const cli = async (...args: string[]) => {
    const lines: string[] = [];
    const code = await run(['households', ...args], (s) => lines.push(s));
    return { code, lines };
  };

  it('adds, then leaves unchanged, then updates only what changed — a CSV with a BOM', async () => {
    const csv = '\uFEFF户主,村,组,联系电话,人口,备注\r\n张三,关沟村,3组,13800000011,4,\r\n马桂兰,guangou,1组,,2,独居老人\r\n王秀英,白垭,,,3,\r\n';
    const first = await cli('import', file('a.csv', csv));
    expect(first.code).toBe(0);
    expect(first.lines).toEqual([
      '新增 / added      第2行 关沟村 3组 张三',
      '新增 / added      第3行 关沟村 1组 马桂兰',
      '新增 / added      第4行 白垭村 王秀英',
      '民情档案已导入 / households imported: 新增 added 3, 更新 updated 0, 未变 unchanged 0, 拒绝 refused 0',
    ]);
    const again = await cli('import', file('a.csv', csv));
    expect(again.lines.slice(0, 3).every((l) => l.startsWith('未变 / unchanged'))).toBe(true);
    expect(again.lines[3]).toContain('新增 added 0, 更新 updated 0, 未变 unchanged 3');

    const changed = await cli('import', file('b.csv', '户主,村,组,人口\n张三,关沟村,三组,5\n'));
    expect(changed.lines).toEqual(['更新 / updated    第2行 关沟村 3组 张三（人口）', '民情档案已导入 / households imported: 新增 added 0, 更新 updated 1, 未变 unchanged 0, 拒绝 refused 0']);
    const zhang = (await loadHouseholds(db, { villageId: 'guangou' })).find((h) => h.head === '张三')!;
    expect(zhang).toMatchObject({ group: '3', phone: '13800000011', members: 5 }); // no 联系电话 column: the phone stays
    expect(await loadHouseholds(db)).toHaveLength(3);
  });

  it('imports the good rows of a file with bad ones, names each bad row, and exits 1', async () => {
    const r = await cli('import', file('bad.csv', '户主,村,组\n张三,关沟村,3组\n,关沟村,1组\n李五,石门村,2组\n'));
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      '新增 / added      第2行 关沟村 3组 张三',
      '拒绝 / refused    第3行 缺少户主 / missing 户主',
      '拒绝 / refused    第4行 未知的村“石门村” / unknown village "石门村"',
      '民情档案已导入 / households imported: 新增 added 1, 更新 updated 0, 未变 unchanged 0, 拒绝 refused 2',
    ]);
    expect((await loadHouseholds(db)).map((h) => h.head)).toEqual(['张三']);
  });

  it('reads an XLSX (first sheet; phone numbers and counts typed as numbers)', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('民情档案');
    ws.addRow(['户主', '村', '组', '联系电话', '人口', '备注', '状态']);
    ws.addRow(['袁志弟', '关沟村', 2, 13800000021, 5, '在外务工', '在册']);
    ws.addRow(['张大山', '财梁村', '第一村民小组', '0839-5663022', 1, null, '迁出']);
    const p = path.join(dir, 'a.xlsx');
    await wb.xlsx.writeFile(p);
    const r = await cli('import', p);
    expect(r.code).toBe(0);
    expect(await loadHouseholds(db)).toEqual([
      { id: expect.any(Number), villageId: 'guangou', head: '袁志弟', group: '2', phone: '13800000021', members: 5, note: '在外务工', active: true },
      { id: expect.any(Number), villageId: 'cailiang', head: '张大山', group: '1', phone: '08395663022', members: 1, note: null, active: false },
    ]);
    expect((await loadHouseholds(db, { activeOnly: true })).map((h) => h.head)).toEqual(['袁志弟']);
  });

  it('keeps two households of one head in different 组 apart', async () => {
    const r = await importHouseholds(db, [
      { row: 2, villageId: 'guangou', head: '张三', group: '3' },
      { row: 3, villageId: 'guangou', head: '张三', group: '5' },
      { row: 4, villageId: 'baiya', head: '张三', group: '3' },
    ], T0);
    expect(r.added).toHaveLength(3);
    expect((await importHouseholds(db, [{ row: 2, villageId: 'guangou', head: '张三', group: '5', note: '新' }], T0 + 1)).updated).toEqual([
      { input: { row: 2, villageId: 'guangou', head: '张三', group: '5', note: '新' }, changed: ['备注'] },
    ]);
  });

  it('refuses bad arguments and unreadable files with a one-line Chinese/English error (exit 2)', async () => {
    await expect(cli()).rejects.toThrow(UsageError);
    await expect(cli('import')).rejects.toThrow(/用法 \/ usage: minqing households import FILE/);
    await expect(cli('import', path.join(dir, 'none.csv'))).rejects.toThrow(/找不到文件 \/ no such file/);
    await expect(cli('import', file('a.txt.json', '{}'))).rejects.toThrow(/CSV 或 XLSX/);
    await expect(cli('import', file('nohead.csv', '姓名,住址\n张三,关沟\n'))).rejects.toThrow(/户主.*村/);
    await expect(cli('import', file('broken.xlsx', 'not a zip'))).rejects.toThrow(/XLSX/);
  });
});
