import type { Db } from '../db/db';
import { Directory, NO_PLATFORMS } from '../domain/directory';
import { diaryCsv, diaryExport } from '../services/diary-export';
import { loadDirectory } from '../services/org-import';

type Usage = new (message: string) => Error;

/** `minqing diary export PERSON [--csv]` (docs/interface.md#year): a person's whole 民情日记, archived or not, as JSON (or CSV). */
export async function diaryCommand(args: string[], out: (s: string) => void, withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>, UsageError: Usage): Promise<number> {
  const [sub, personId, ...rest] = args;
  const csv = rest.length === 1 && rest[0] === '--csv';
  if (sub !== 'export' || !personId || (rest.length && !csv)) throw new UsageError('用法 / usage: minqing diary export PERSON_ID [--csv]');
  return withDb(async (db) => {
    const dir = new Directory(NO_PLATFORMS);
    await loadDirectory(db, dir);
    const x = await diaryExport(db, dir, personId);
    if (!x) throw new UsageError(`组织架构中没有这个人 / no such person: ${personId}`);
    out(csv ? diaryCsv(x).replace(/\r\n$/, '') : JSON.stringify(x, null, 2));
    return 0;
  });
}
