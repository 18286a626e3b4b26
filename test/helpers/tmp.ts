import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dirs: string[] = [];

/** A fresh directory under the system's temp dir, removed when the test file is done (test/helpers/cleanup.ts). */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Removes every directory `tempDir` made in this test file. */
export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
