'use strict';
/**
 * The likely-duplicate lookup of intake (docs/interface.md#duplicates) at 1,000,000 requests in 300
 * villages — the same requests as test/bench/digest.js — timed as processing one message pays for it:
 * the indexed query for the village's open requests of the last 30 days
 * (`DuplicateRepo.openInVillageSince`, index (village_id, status, received_at)) and the scoring of them
 * (`likelyDuplicates`). Plain JS over dist/ (`npm run bench` builds first).
 *
 *   node test/bench/duplicates-scale.js      SQLite, and MariaDB/MySQL too when TEST_MYSQL_URL is set
 *
 * SQLite: digest.js's cached database is copied once (SQLite's backup API, a consistent snapshot) to a
 * file of this benchmark's own, so migrating it never touches the digest's. Target: ≤ 10 ms p95.
 *
 * Environment: BENCH_DUP_LOOKUPS (2000), BENCH_MEDIA_RESULTS (test/bench/MEDIA.md; "-" for nowhere).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const digest = require('./digest');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const env = process.env;
const LOOKUPS = Number(env.BENCH_DUP_LOOKUPS || 2000);
const TARGET_P95_MS = 10;
const WINDOW = 30 * digest.DAY;
const AT = '2026-11-30T10:00:00+08:00';
/** What villagers write, of the seeds' kinds of matters (the stored texts are digest.js's six). */
const TEXTS = [
  '村口路灯坏了三天了', '三组停水两天了，水管可能冻裂了', '低保申请递上去一个月没消息', '邻居占了我家宅基地，说了也不听',
  '河边垃圾堆成山没人清，夏天臭得很', '村道塌方了车过不去', '合作社收购价格不合理', '村务公开栏很久没更新了',
  '我家房子漏雨成了危房', '孩子上学的校车停了', '卫生院看病排不上号', '自来水停了两天',
];

async function openApp(url) {
  const { createApp } = require(path.join(DIST, 'src/main'));
  const { parseConfig } = require(path.join(DIST, 'src/config'));
  const { FixedClock } = require(path.join(DIST, 'src/clock'));
  const { createLogger } = require(path.join(DIST, 'src/log'));
  const config = parseConfig({ DATABASE_URL: url, ORG_FILE: digest.orgFile(), PORT: '0', LOG_LEVEL: 'silent', MEDIA_DIR: path.join(os.tmpdir(), 'minqing-bench-dups-media') });
  return createApp(config, { clock: new FixedClock(AT), log: createLogger('silent'), startWorkers: false });
}

async function sqliteUrl() {
  const src = digest.sqliteCacheFile();
  if (!fs.existsSync(src)) await digest.prepare('sqlite');
  const dest = path.join(os.tmpdir(), `minqing-bench-dups-${path.basename(src)}`);
  if (!fs.existsSync(dest)) {
    process.stderr.write(`[duplicates bench] copying ${path.basename(src)} for this benchmark…\n`);
    const Database = require('better-sqlite3');
    const db = new Database(src, { readonly: true, fileMustExist: true });
    await db.backup(`${dest}.part`);
    db.close();
    fs.renameSync(`${dest}.part`, dest);
  }
  return `sqlite:${dest}`;
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f2 = (x) => x.toFixed(x < 1 ? 3 : 2);

async function measure(dialect, url) {
  const t0 = Date.now();
  const app = await openApp(url);
  const migratedMs = Date.now() - t0;
  const { likelyDuplicates } = require(path.join(DIST, 'src/domain/duplicates'));
  const repo = app.db.read.duplicates;
  const now = Date.parse(AT);
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  // Warm the caches the way a running server has them warm.
  for (let i = 0; i < 200; i++) await repo.openInVillageSince(`v${i % digest.VILLAGES}`, now - WINDOW, -1, 200);
  const total = [];
  const query = [];
  const score = [];
  let candidates = 0;
  let named = 0;
  for (let i = 0; i < LOOKUPS; i++) {
    const village = `v${Math.floor(rnd() * digest.VILLAGES)}`;
    const text = TEXTS[Math.floor(rnd() * TEXTS.length)];
    const a = process.hrtime.bigint();
    const rows = await repo.openInVillageSince(village, now - WINDOW, -1, 200);
    const b = process.hrtime.bigint();
    const found = likelyDuplicates(text, rows, undefined, 1);
    const c = process.hrtime.bigint();
    query.push(Number(b - a) / 1e6);
    score.push(Number(c - b) / 1e6);
    total.push(Number(c - a) / 1e6);
    candidates += rows.length;
    if (found.length) named++;
  }
  const sql = `SELECT id, code, received_at, text FROM request WHERE village_id = 'v1' AND status IN ('pending', 'accepted') AND received_at >= ${now - WINDOW} AND merged_into IS NULL AND id <> -1 LIMIT 1000`;
  const plan = dialect === 'sqlite' ? (await app.db.query(`EXPLAIN QUERY PLAN ${sql}`)).map((r) => r.detail).join('; ') : (await app.db.query(`EXPLAIN ${sql}`)).map((r) => `${r.type} ${r.key ?? ''} rows=${r.rows} ${r.Extra ?? ''}`.trim()).join('; ');
  const [{ n }] = await app.db.query('SELECT COUNT(*) AS n FROM request');
  await app.close();
  return { dialect, rows: Number(n), migratedMs, lookups: LOOKUPS, meanCandidates: candidates / LOOKUPS, named, plan, total, query, score };
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return '';
  }
}

async function main() {
  const results = [await measure('sqlite', await sqliteUrl())];
  if (env.TEST_MYSQL_URL) {
    const { url } = await digest.prepare('mysql');
    results.push(await measure('mysql', url));
  }
  let ok = true;
  const lines = results.map((r) => {
    const p95 = pct(r.total, 95);
    if (p95 > TARGET_P95_MS) ok = false;
    return `| ${r.dialect} | ${r.rows.toLocaleString('en-US')} | ${r.meanCandidates.toFixed(1)} | ${f2(pct(r.query, 50))} / ${f2(pct(r.query, 95))} | ${f2(pct(r.score, 50))} / ${f2(pct(r.score, 95))} | ${f2(pct(r.total, 50))} / **${f2(p95)}** ${p95 <= TARGET_P95_MS ? '✔' : '✘'} / ${f2(pct(r.total, 99))} / ${f2(Math.max(...r.total))} | ${r.named}/${r.lookups} |`;
  });
  const section = [
    '<!-- duplicates: written by test/bench/duplicates-scale.js -->',
    '## The duplicate lookup at 1,000,000 requests',
    '',
    `${new Date().toISOString()} · commit ${gitCommit()} · Node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model?.trim() ?? 'cpu'}. The requests of test/bench/digest.js (${digest.ROWS.toLocaleString('en-US')} in ${digest.VILLAGES} villages over two years to 2026-11-30); ${LOOKUPS.toLocaleString('en-US')} lookups, each a random village and a villager's text: the query for that village's open requests of the last 30 days (at most 200, newest first) and the scoring of every one of them — what intake adds to processing a message. Target: ≤ ${TARGET_P95_MS} ms p95.`,
    '',
    '| database | requests | candidates per lookup (mean) | query ms p50 / p95 | scoring ms p50 / p95 | lookup ms p50 / **p95** / p99 / max | lookups that named one |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...lines,
    '',
    ...results.map((r) => `- ${r.dialect} plan: ${r.plan}`),
    '<!-- /duplicates -->',
  ].join('\n');
  process.stdout.write(`\n${section}\n`);
  const out = env.BENCH_MEDIA_RESULTS || path.join(__dirname, 'MEDIA.md');
  if (out !== '-') {
    const head = '# Benchmark: media downloads and the duplicate lookup\n\nGenerated by `npm run bench`: the downloads by test/bench/run.js, the duplicate lookup by test/bench/duplicates-scale.js; rerun them rather than editing this file.\n';
    let text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : head;
    const re = /<!-- duplicates: [^]*?<!-- \/duplicates -->/;
    text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`;
    fs.writeFileSync(out, text);
  }
  if (!ok) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
