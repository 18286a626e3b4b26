import fs from 'node:fs';
import path from 'node:path';
import { freshDatabaseUrl } from './helpers/db';
import { removeTempDirs, tempDir } from './helpers/tmp';

/** Tests clean up after themselves: each file's temp directories (SQLite files, org files …) go when it ends. */
describe('tests: temp directories', () => {
  it('the SQLite files of freshDatabaseUrl and every tempDir are removed by the cleanup each test file runs', async () => {
    const sqlite = path.dirname((await freshDatabaseUrl('sqlite')).slice('sqlite:'.length));
    const other = tempDir('minqing-check-');
    fs.writeFileSync(path.join(other, 'x.json'), '{}');
    expect([fs.existsSync(sqlite), fs.existsSync(other)]).toEqual([true, true]);
    removeTempDirs();
    expect([fs.existsSync(sqlite), fs.existsSync(other)]).toEqual([false, false]);
  });

  it('runs after every test file (jest setupFilesAfterEnv)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { jest: { setupFilesAfterEnv: string[] } };
    expect(pkg.jest.setupFilesAfterEnv).toContain('<rootDir>/test/helpers/cleanup.ts');
    expect(fs.readFileSync(path.join(__dirname, 'helpers', 'cleanup.ts'), 'utf8')).toContain('afterAll(() => removeTempDirs())');
  });
});
