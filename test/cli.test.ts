import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { run, UsageError } from '../src/cli/main';
import { Db } from '../src/db/db';
import { openDatabase } from '../src/db/data-source';
import { freshDatabaseUrl } from './helpers/db';
import { tempDir } from './helpers/tmp';

/** docs/interface.md#commands: `npx minqing …` — one ISO line and exit 0, or a one-line 中文/English error and exit 2. */
const ROOT = path.resolve(__dirname, '..');
const MAIN = path.join(ROOT, 'dist/src/cli/main.js');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], o: { npx?: boolean; env?: Record<string, string> } = {}): Promise<Ran> {
  const [cmd, argv] = o.npx ? ['npx', ['--no-install', 'minqing', ...args]] : [process.execPath, [MAIN, ...args]];
  // A clean environment: nothing from the developer's shell, and no .env (cwd is the repository, which has none in git).
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...o.env };
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, argv, { cwd: ROOT, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

const ISO_LINE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00\n$/;
const ONE_LINE_ZH_EN = /^(?=[^\n]*[\u4e00-\u9fff])(?=[^\n]*[A-Za-z]{3,})[^\n]+\n$/;

beforeAll(() => {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe', timeout: 170_000 }).toString();
}, 180_000);

describe('npx minqing deadline', () => {
  it('prints the deadline as one ISO-8601 line ending +08:00 and exits 0, through npx', async () => {
    const r = await cli(['deadline', '--tier', 'general', '--from', '2026-11-26T10:00:00+08:00'], { npx: true });
    expect(r).toEqual({ code: 0, stdout: '2026-11-27T17:30:00+08:00\n', stderr: '' });
  }, 60_000);

  it.each([
    [['--tier', 'township', '--from', '2026-11-26T10:00:00+08:00'], '2026-12-01T17:30:00+08:00'],
    [['--tier', 'general', '--from', '2026-09-19T09:00:00+08:00'], '2026-09-20T17:30:00+08:00'], // 调休: Sunday 20 Sep works
    [['--tier', 'general', '--from', '2026-09-30T16:00:00+08:00'], '2026-10-08T17:30:00+08:00'], // 国庆 1–7 Oct
    [['--tier=complaint', '--from=2026-11-26T10:00:00+08:00'], '2026-12-03T17:30:00+08:00'],
    [['--tier', 'beyond', '--from', '2026-11-26', '--promised', '2026-12-18'], '2026-12-18T17:30:00+08:00'],
  ])('deadline %j → %s', async (args, want) => {
    const r = await cli(['deadline', ...args]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(ISO_LINE);
    expect(r.stdout.trim()).toBe(want);
  });

  it('reads CALENDAR_FILE for years the package does not know, and names it when it is broken', async () => {
    const dir = tempDir('minqing-cal-');
    const file = path.join(dir, 'calendar.json');
    fs.writeFileSync(file, JSON.stringify({ holidays: ['2027-01-01'], workdays: ['2027-01-02'] }));
    const args = ['deadline', '--tier', 'general', '--from', '2026-12-31T10:00:00+08:00'];
    expect((await cli(args)).stdout).toBe('2027-01-01T17:30:00+08:00\n');
    expect(await cli(args, { env: { CALENDAR_FILE: file } })).toEqual({ code: 0, stdout: '2027-01-02T17:30:00+08:00\n', stderr: '' });
    fs.writeFileSync(file, JSON.stringify({ holidays: ['2027-13-01'] }));
    const broken = await cli(args, { env: { CALENDAR_FILE: file } });
    expect(broken.code).not.toBe(0);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain('CALENDAR_FILE');
  });

  it('answers the same whatever the machine\'s TZ', async () => {
    const args = ['deadline', '--tier', 'general', '--from', '2026-11-26T23:30:00+08:00'];
    const here = await cli(args);
    for (const TZ of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
      expect(await cli(args, { env: { TZ } })).toEqual(here);
    }
    expect(here.stdout).toBe('2026-11-27T17:30:00+08:00\n');
  });

  it.each([
    [[]],
    [['frobnicate']],
    [['deadline']],
    [['deadline', '--tier', 'someday', '--from', '2026-11-26']],
    [['deadline', '--tier', 'general']],
    [['deadline', '--tier', 'general', '--from', 'yesterday']],
    [['deadline', '--tier', 'general', '--from']],
    [['deadline', '--tier', 'beyond', '--from', '2026-11-26']],
    [['deadline', '--tier', 'general', '--from', '2026-11-26', '--fast']],
    [['deadline', 'general']],
    [['org']],
    [['org', 'import']],
    [['org', 'import', 'no-such-org-file.json']],
  ])('exits 2 with a one-line Chinese+English error on stderr for %j', async (args) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(ONE_LINE_ZH_EN);
  });

  it('fails on an org file with errors: exit 1, the problems on stderr, nothing on stdout', async () => {
    const url = await freshDatabaseUrl('sqlite');
    const bad = path.join(path.dirname(url.slice('sqlite:'.length)), 'bad-org.json');
    fs.writeFileSync(bad, JSON.stringify({ township: { name: '县河镇' }, people: [], villages: [{ id: 'v', name: '村', cadres: ['ghost'] }] }));
    const r = await cli(['org', 'import', bad], { env: { DATABASE_URL: url } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('出错了 / failed: 组织架构文件有误 / invalid');
    expect(r.stderr).toContain('no person with id "ghost"');
  });

  it('prints the usage on help, and exits 0', async () => {
    const r = await cli(['help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('minqing deadline --tier TIER --from ISO');
  });
});

describe('run(["org", "import", FILE])', () => {
  const saved = process.env.DATABASE_URL;
  afterAll(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });

  it('loads the org file into DATABASE_URL, and a second run changes nothing', async () => {
    const url = await freshDatabaseUrl('sqlite');
    process.env.DATABASE_URL = url;
    const out: string[] = [];
    expect(await run(['org', 'import', 'org.example.json'], (s) => out.push(s))).toBe(0);
    expect(await run(['org', 'import', 'org.example.json'], (s) => out.push(s))).toBe(0);
    expect(out).toEqual([
      '已导入 县河镇 / imported: people +14 ~0 -0, villages +3 ~0 -0, villagers +4 ~0 -0',
      '已导入 县河镇 / imported: people +0 ~0 -0, villages +0 ~0 -0, villagers +0 ~0 -0',
    ]);
    const db = new Db(await openDatabase(url), url);
    try {
      const [{ n }] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM person WHERE active = 1');
      expect(Number(n)).toBe(14);
    } finally {
      await db.close();
    }
  });

  it('refuses bad arguments with a UsageError, and a bad file with its problems', async () => {
    process.env.DATABASE_URL = await freshDatabaseUrl('sqlite');
    await expect(run(['org', 'import'])).rejects.toThrow(UsageError);
    await expect(run(['org', 'export', 'x.json'])).rejects.toThrow(UsageError);
    const bad = path.join(path.dirname(process.env.DATABASE_URL.slice('sqlite:'.length)), 'org.json');
    fs.writeFileSync(bad, JSON.stringify({ township: { name: '县河镇' }, people: [{ id: 'x', name: '某', roles: ['boss'] }], villages: [] }));
    await expect(run(['org', 'import', bad])).rejects.toThrow(/组织架构文件有误 \/ invalid .*\n.*people\.0\.roles\.0/);
  });
});

describe('npx minqing jobs run retention --dry-run', () => {
  it('prints no message on stdout and what it would purge on stderr, and deletes nothing', async () => {
    const db = path.join(tempDir('minqing-cli-retention-'), 'db.sqlite');
    const env = { DATABASE_URL: `sqlite:${db}`, LOG_LEVEL: 'error' };
    const r = await cli(['jobs', 'run', 'retention', '--at', '2026-11-26T03:30:00+08:00', '--dry-run'], { env });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toBe(
      'retention (dry run): done — would purge: 0 deliveries done/ignored > 30 d, 0 failed > 180 d; 0 payloads of sent messages > 30 d; 0 sandbox messages > 30 d; 0 job runs > 180 d; 0 expired callback signatures\n',
    );
  }, 60_000);
});
