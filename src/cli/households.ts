import fs from 'node:fs';
import { Db } from '../db/db';
import { importHouseholds } from '../db/households';
import { Directory, NO_PLATFORMS } from '../domain/directory';
import { groupLabel, HouseholdFileError, HouseholdInput, parseHouseholdRows } from '../domain/households';
import { loadDirectory } from '../services/org-import';
import { readTable, TableFileError } from './table';

type Usage = new (message: string) => Error;

/**
 * `minqing households import FILE` (docs/interface.md#year): the 民情档案 from a CSV or XLSX with the columns
 * 户主, 村, 组, 联系电话, 人口, 备注 (and optionally 状态: 迁出 / 注销 take a household off the register).
 * Prints one line per household — added, updated (with what changed), unchanged — and one per refused
 * row with its row number and reason, then a summary. Exit 0 when every row went in, 1 when some
 * were refused (the others are imported; fix the rows and run it again), 2 on bad arguments or a file
 * that cannot be read.
 */
export async function householdsCommand(args: string[], out: (s: string) => void, withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>, now: () => number, UsageError: Usage): Promise<number> {
  if (args[0] !== 'import' || !args[1] || args.length > 2) throw new UsageError('用法 / usage: minqing households import FILE');
  const file = args[1];
  if (!fs.existsSync(file)) throw new UsageError(`找不到文件 / no such file: ${file}`);
  let rows: string[][];
  try {
    rows = await readTable(file);
  } catch (e) {
    if (e instanceof TableFileError) throw new UsageError(e.message);
    throw e;
  }
  return withDb(async (db) => {
    const dir = new Directory(NO_PLATFORMS);
    await loadDirectory(db, dir);
    const villages = dir.activeVillages();
    if (!villages.length) throw new UsageError('数据库里还没有村，请先导入组织架构 / no villages yet: run minqing org import first');
    let parsed: ReturnType<typeof parseHouseholdRows>;
    try {
      parsed = parseHouseholdRows(rows, villages);
    } catch (e) {
      if (e instanceof HouseholdFileError) throw new UsageError(e.message);
      throw e;
    }
    const result = await importHouseholds(db, parsed.ok, now());
    const name = (h: HouseholdInput) => `${dir.village(h.villageId)?.name ?? h.villageId} ${groupLabel(h.group)}${h.group ? ' ' : ''}${h.head}`;
    const lines: [number, string][] = [
      ...result.added.map((h): [number, string] => [h.row, `新增 / added      第${h.row}行 ${name(h)}`]),
      ...result.updated.map(({ input: h, changed }): [number, string] => [h.row, `更新 / updated    第${h.row}行 ${name(h)}（${changed.join('、')}）`]),
      ...result.unchanged.map((h): [number, string] => [h.row, `未变 / unchanged  第${h.row}行 ${name(h)}`]),
      ...parsed.refused.map((r): [number, string] => [r.row, `拒绝 / refused    第${r.row}行 ${r.reason}`]),
    ];
    for (const [, line] of lines.sort((a, b) => a[0] - b[0])) out(line);
    out(
      `民情档案已导入 / households imported: 新增 added ${result.added.length}, 更新 updated ${result.updated.length}, ` +
        `未变 unchanged ${result.unchanged.length}, 拒绝 refused ${parsed.refused.length}`,
    );
    return parsed.refused.length ? 1 : 0;
  });
}
