'use strict';
/**
 * The overdue scan and the weekly digest over 1,000,000 requests in 300 villages,
 * timed next to a plain indexed `SELECT COUNT(*)` over the same table, in the same run. Plain JS over
 * dist/ (run `npm run build` first; `npm run bench` does).
 *
 *   node test/bench/digest.js            SQLite, and MariaDB/MySQL too when TEST_MYSQL_URL is set
 *
 * Two years of requests ending on Monday 2026-11-30: older ones mostly closed (some refused, a few
 * left open and long overdue), the last month a live mix; `rated` and refusal events for the digest;
 * `reminder` rows for the stages already sent (the steady state the scan meets every 30 minutes).
 * The SQLite file is generated once (one transaction, one prepared statement) and cached under
 * os.tmpdir(); on MySQL a database `minqing_bench_digest_v1` is kept. Each measurement runs in a
 * fresh child process, so its RSS is the app's alone. Targets: scan ≤ 1 s, digest ≤ 2 s, RSS ≤ 200 MB.
 *
 * Environment: BENCH_DIGEST_ROWS (1000000), BENCH_DIGEST_VILLAGES (300), BENCH_DIGEST_RUNS (3),
 * BENCH_DIGEST_RESULTS (test/bench/DIGEST.md; "-" for nowhere), BENCH_DIGEST_FRESH=1 to regenerate.
 */
const { fork, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const env = process.env;
const ROWS = Number(env.BENCH_DIGEST_ROWS || 1_000_000);
const VILLAGES = Number(env.BENCH_DIGEST_VILLAGES || 300);
const RUNS = Number(env.BENCH_DIGEST_RUNS || 3);
const VERSION = 'v1';
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-30T07:30:00+08:00');
const SCAN_AT = '2026-11-30T10:00:00+08:00';
const TARGET = { scan: 1000, digest: 2000, rss: 200 };
const TEXTS = ['村口路灯坏了三天了', '自来水停了两天', '低保申请材料不知道怎么交', '邻居占了我家宅基地', '垃圾堆在河边没人清', '村道塌方了车过不去'];

function orgFile() {
  const people = [{ id: 'shuji', name: '王书记', roles: ['leader'] }, { id: 'zhenzhang', name: '陈镇长', roles: ['leader'] }, { id: 'office', name: '民情处理站', roles: ['township_office'] }];
  const villages = [];
  for (let v = 0; v < VILLAGES; v++) {
    people.push({ id: `r${v}`, name: `驻村${v}`, roles: ['resident_cadre'] }, { id: `s${v}`, name: `书记${v}`, roles: ['village_cadre'] }, { id: `c${v}`, name: `委员${v}`, roles: ['village_cadre'] });
    const duty = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [`s${v}`, `c${v}`]]));
    villages.push({ id: `v${v}`, name: `第${v + 1}村`, resident: [`r${v}`], cadres: [`s${v}`, `c${v}`], secretary: `s${v}`, duty });
  }
  const file = path.join(os.tmpdir(), `minqing-bench-digest-org-${VILLAGES}.json`);
  fs.writeFileSync(file, JSON.stringify({ township: { name: '压测镇' }, people, villages }));
  return file;
}

/** One request's row and events, from a seeded sequence: deterministic across runs. */
function* generate() {
  let seed = 42;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const span = 730 * DAY;
  for (let i = 0; i < ROWS; i++) {
    const receivedAt = NOW - span + Math.floor((i / ROWS) * span) + Math.floor(rnd() * 10) * MIN;
    const v = Math.floor(rnd() * VILLAGES);
    const age = NOW - receivedAt;
    const owner = [`s${v}`, `c${v}`, `r${v}`][Math.floor(rnd() * 3)];
    const acceptedAt = receivedAt + [10 * MIN, 50 * MIN, 3 * HOUR, 20 * HOUR][Math.floor(rnd() * 4)];
    const deadline = acceptedAt + [1, 3, 7][Math.floor(rnd() * 3)] * DAY;
    const row = { id: i + 1, code: `B${i + 1}`, village: `v${v}`, category: 1 + Math.floor(rnd() * 8), text: TEXTS[i % TEXTS.length], owner, receivedAt, acceptedAt, deadline, status: 'closed', resolvedAt: null, closedAt: null, satisfaction: null, closeReason: null };
    const events = [];
    const x = rnd();
    const recent = age < 30 * DAY;
    if ((recent && age < 3 * DAY && x < 0.1) || acceptedAt >= NOW) {
      Object.assign(row, { status: 'pending', owner: null, acceptedAt: null, deadline: null });
      yield { row, events };
      continue;
    }
    if (x < (recent ? 0.35 : 0.02)) row.status = x < 0.02 && rnd() < 0.2 ? 'rejection_pending' : 'accepted';
    else if (x < (recent ? 0.36 : 0.03)) row.status = 'rejected';
    if (row.status === 'rejected' || row.status === 'rejection_pending') events.push(['refusal_filed', acceptedAt + HOUR]);
    if (row.status === 'rejected') events.push(['refusal_approved', acceptedAt + DAY]);
    if (row.status === 'closed' || (recent && x > 0.8)) {
      row.resolvedAt = Math.min(NOW - MIN, acceptedAt + Math.floor(rnd() * 5 * DAY));
      if (row.resolvedAt < acceptedAt) row.resolvedAt = null;
    }
    if (row.resolvedAt && row.status === 'closed' && row.resolvedAt + DAY < NOW) {
      row.closedAt = row.resolvedAt + DAY;
      row.satisfaction = rnd() < 0.8 ? 'satisfied' : null;
      row.closeReason = row.satisfaction ? 'satisfied' : 'no_answer';
      if (row.satisfaction) events.push(['rated', row.closedAt, '{"value":"satisfied"}']);
    } else if (row.resolvedAt) row.status = 'resolved';
    else if (row.status === 'closed') row.status = 'accepted';
    yield { row, events };
  }
}

const REQUEST_COLS = ['id', 'code', 'status', 'village_id', 'category', 'tier', 'level', 'text', 'channel', 'owner_id', 'received_at', 'accepted_at', 'deadline', 'resolved_at', 'closed_at', 'satisfaction', 'last_message_at', 'version', 'close_reason'];
const requestValues = (r) => [r.id, r.code, r.status, r.village, r.category, 'general', 'village', r.text, 'wecom', r.owner, r.receivedAt, r.acceptedAt, r.deadline, r.resolvedAt, r.closedAt, r.satisfaction, r.receivedAt, 1, r.closeReason];
/** Stages already sent for everything past its deadline, and 未受理 notices for pending ones older than a day. */
function reminders(r) {
  if (r.status === 'pending') return NOW - r.receivedAt > DAY ? ['unaccepted'] : [];
  if (!['accepted', 'rejection_pending'].includes(r.status) || r.deadline > NOW || NOW - r.deadline > 31 * DAY) return [];
  return ['warn', 'overdue', 'overdue_leader'].map((s) => `${s}:${r.deadline}`);
}

async function openApp(url, at) {
  const { createApp } = require(path.join(DIST, 'src/main'));
  const { parseConfig } = require(path.join(DIST, 'src/config'));
  const { FixedClock } = require(path.join(DIST, 'src/clock'));
  const { createLogger } = require(path.join(DIST, 'src/log'));
  const config = parseConfig({ DATABASE_URL: url, ORG_FILE: orgFile(), PORT: '0', LOG_LEVEL: 'silent' });
  return createApp(config, { clock: new FixedClock(at), log: createLogger('silent'), startWorkers: false });
}

/** Fills an empty, migrated database. SQLite: one transaction, prepared statements; MySQL: 1000-row INSERTs. */
async function fill(app) {
  const t0 = Date.now();
  const db = app.db;
  if (db.dialect === 'sqlite') {
    const conn = db.ds.driver.databaseConnection;
    const insReq = conn.prepare(`INSERT INTO request (${REQUEST_COLS.join(',')}) VALUES (${REQUEST_COLS.map(() => '?').join(',')})`);
    const insEv = conn.prepare(`INSERT INTO request_event (request_id, at, type, actor, channel, data) VALUES (?, ?, ?, 'system', NULL, ?)`);
    const insRem = conn.prepare('INSERT INTO reminder (subject, stage, sent_at) VALUES (?, ?, ?)');
    conn.transaction(() => {
      for (const { row, events } of generate()) {
        insReq.run(...requestValues(row));
        for (const [type, at, data] of events) insEv.run(row.id, at, type, data || '{}');
        for (const s of reminders(row)) insRem.run(`request:${row.id}`, s, NOW);
      }
    })();
  } else {
    const batch = { req: [], ev: [], rem: [] };
    const flush = async () => {
      if (batch.req.length) await db.query(`INSERT INTO request (${REQUEST_COLS.join(',')}) VALUES ${batch.req.map(() => `(${REQUEST_COLS.map(() => '?').join(',')})`).join(',')}`, batch.req.flat());
      if (batch.ev.length) await db.query(`INSERT INTO request_event (request_id, at, type, actor, channel, data) VALUES ${batch.ev.map(() => "(?, ?, ?, 'system', NULL, ?)").join(',')}`, batch.ev.flat());
      if (batch.rem.length) await db.query(`INSERT INTO reminder (subject, stage, sent_at) VALUES ${batch.rem.map(() => '(?, ?, ?)').join(',')}`, batch.rem.flat());
      batch.req = []; batch.ev = []; batch.rem = [];
    };
    for (const { row, events } of generate()) {
      batch.req.push(requestValues(row));
      for (const [type, at, data] of events) batch.ev.push([row.id, at, type, data || '{}']);
      for (const s of reminders(row)) batch.rem.push([`request:${row.id}`, s, NOW]);
      if (batch.req.length >= 1000) await flush();
    }
    await flush();
  }
  await db.query("INSERT INTO kv_state (" + db.quote('key') + ", value, updated_at) VALUES ('bench.digest', ?, ?)", [`${VERSION}:${ROWS}:${VILLAGES}`, Date.now()]);
  return Date.now() - t0;
}

async function ready(app) {
  const rows = await app.db.query("SELECT value FROM kv_state WHERE " + app.db.quote('key') + " = 'bench.digest'").catch(() => []);
  return rows.length > 0 && rows[0].value === `${VERSION}:${ROWS}:${VILLAGES}`;
}

/** Child process: open the prepared database and time the three things. */
async function measure(url) {
  const app = await openApp(url, SCAN_AT);
  const rssAtRest = process.memoryUsage().rss / 1048576;
  const time = async (fn) => {
    const t = process.hrtime.bigint();
    const out = await fn();
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, out };
  };
  const weekFrom = NOW - 7 * DAY - 7.5 * HOUR;
  const res = { count: [], countWeek: [], scan: [], digest: [] };
  let rssAfterFirstDigest = 0;
  let scanSummary = '';
  let digestSummary = '';
  for (let i = 0; i < RUNS; i++) {
    res.count.push((await time(() => app.db.query('SELECT COUNT(*) AS n FROM request'))).ms);
    res.countWeek.push((await time(() => app.db.query('SELECT COUNT(*) AS n FROM request WHERE received_at >= ? AND received_at < ?', [weekFrom, weekFrom + 7 * DAY]))).ms);
    const scan = await time(() => app.runJob('deadline-watch', { at: new Date(SCAN_AT), dryRun: true }));
    res.scan.push(scan.ms);
    scanSummary = `${scan.out.summary} (${scan.out.planned.length} planned)`;
    const digest = await time(() => app.runJob('weekly-digest', { at: new Date(NOW), dryRun: true }));
    if (digest.out.status !== 'done') throw new Error(`weekly-digest ${digest.out.status}: ${digest.out.summary}`);
    res.digest.push(digest.ms);
    if (!rssAfterFirstDigest) rssAfterFirstDigest = process.memoryUsage().rss / 1048576;
    digestSummary = `${digest.out.planned.length} messages, ${digest.out.planned.filter((m) => m.image).length} images`;
  }
  const [{ n }] = await app.db.query('SELECT COUNT(*) AS n FROM request');
  await app.close();
  process.send({ ...res, rows: Number(n), scanSummary, digestSummary, maxRssMb: process.resourceUsage().maxRSS / 1024, rssAtRest, rssAfterFirstDigest });
}

/** Where the generated SQLite database is cached. */
const sqliteCacheFile = () => path.join(os.tmpdir(), `minqing-bench-digest-${VERSION}-${ROWS}-${VILLAGES}.sqlite`);

async function prepare(dialect) {
  let url;
  if (dialect === 'sqlite') {
    const file = sqliteCacheFile();
    if (env.BENCH_DIGEST_FRESH) for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    url = `sqlite:${file}`;
  } else {
    const mysql = require('mysql2/promise');
    const name = `minqing_bench_digest_${VERSION}`;
    const conn = await mysql.createConnection(env.TEST_MYSQL_URL);
    if (env.BENCH_DIGEST_FRESH) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.end();
    const u = new URL(env.TEST_MYSQL_URL);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  const app = await openApp(url, SCAN_AT);
  let generatedMs = null;
  if (!(await ready(app))) {
    for (const t of ['request_event', 'reminder', 'request']) await app.db.query(`DELETE FROM ${t}`);
    process.stderr.write(`[digest bench] generating ${ROWS.toLocaleString()} requests on ${dialect}…\n`);
    generatedMs = await fill(app);
  }
  await app.close();
  return { url, generatedMs };
}

function runChild(url) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--measure', url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result;
    child.on('message', (m) => (result = m));
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`measure child exited ${code}`))));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => x.toFixed(x < 10 ? 1 : 0);

async function main() {
  const dialects = ['sqlite', ...(env.TEST_MYSQL_URL ? ['mysql'] : [])];
  const lines = [];
  let ok = true;
  for (const d of dialects) {
    const { url, generatedMs } = await prepare(d);
    const r = await runChild(url);
    const verdict = (v, t) => (v <= t ? '✔' : ((ok = false), '✘'));
    lines.push(
      `| ${d} | ${r.rows.toLocaleString()} | ${ms(median(r.count))} | ${ms(median(r.countWeek))} | ${ms(r.scan[0])} / ${ms(median(r.scan))} ${verdict(median(r.scan), TARGET.scan)} | ${ms(r.digest[0])} / ${ms(median(r.digest))} ${verdict(median(r.digest), TARGET.digest)} | ${r.maxRssMb.toFixed(0)} ${verdict(r.maxRssMb, TARGET.rss)} (at rest ${r.rssAtRest.toFixed(0)}, after the 1st digest ${r.rssAfterFirstDigest.toFixed(0)}) | ${generatedMs === null ? 'cached' : `${(generatedMs / 1000).toFixed(0)} s`} |`,
      `|   | scan: ${r.scanSummary}; digest: ${r.digestSummary} | | | | | | |`,
    );
  }
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    // not a git checkout: the header says so with an empty commit
  }
  const head = [
    `### ${new Date().toISOString()} · commit ${commit} · Node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}`,
    '',
    `${ROWS.toLocaleString()} requests, ${VILLAGES} villages (${VILLAGES * 3 + 3} people), two years to Monday 2026-11-30; each figure the median of ${RUNS} runs in one fresh process (first / median for the jobs). Targets: scan ≤ ${TARGET.scan} ms, digest ≤ ${TARGET.digest} ms, peak RSS ≤ ${TARGET.rss} MB.`,
    '',
    '| database | requests | `COUNT(*)` ms | `COUNT(*)` last week ms | overdue scan (deadline-watch, dry run) ms | weekly digest (dry run, with chart) ms | peak RSS MB | data |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const table = [...head, ...lines, ''].join('\n');
  process.stdout.write(`\n${table}\n`);
  const out = env.BENCH_DIGEST_RESULTS || path.join(__dirname, 'DIGEST.md');
  if (out !== '-') {
    if (!fs.existsSync(out)) fs.writeFileSync(out, '# Benchmark: the overdue scan and the weekly digest at 1,000,000 requests\n\nAppended by `node test/bench/digest.js` (part of `npm run bench`).\n\n');
    fs.appendFileSync(out, `${table}\n`);
  }
  if (!ok) process.exitCode = 1;
}

/** The prepared data (generated once, cached) for other benchmarks over the same million requests (pages.js, pages-reports.js, duplicates-scale.js). */
module.exports = { prepare, sqliteCacheFile, orgFile, openApp, NOW, DAY, SCAN_AT, ROWS, VILLAGES };

if (require.main === module) {
  if (process.argv[2] === '--measure') measure(process.argv[3]).catch((e) => { console.error(e); process.exit(1); });
  else main().catch((e) => { console.error(e); process.exit(1); });
}
