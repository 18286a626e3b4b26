'use strict';
/**
 * The pages at 1,000,000 requests (docs/interface.md#pages): the request page and 我的待办, timed as a
 * phone would ask for them (a session cookie, one request at a time and four at once), next to a bare
 * Koa page of the same size served in the same process, in the same run; and what the first load of
 * the request page transfers (HTML + CSS + scripts as served, gzip where the server gzips). Plain JS
 * over dist/ (`npm run bench` builds first).
 *
 *   node test/bench/pages.js             SQLite (the 1M database of test/bench/digest.js, copied), MariaDB too when TEST_MYSQL_URL is set
 *
 * Targets: p95 ≤ 50 ms for both pages; first load ≤ 300 KB. Environment: BENCH_PAGES_N (400 requests
 * per measurement), BENCH_PAGES_RESULTS (test/bench/PAGES.md; "-" for nowhere).
 */
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { prepare, orgFile, NOW, ROWS, VILLAGES } = require('./digest');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const env = process.env;
const N = Number(env.BENCH_PAGES_N || 400);
const TARGET = { p95: 50, firstLoadKb: 300 };
const AT = '2026-11-30T10:00:00+08:00';
const VILLAGE = 7;
const WHO = `s${VILLAGE}`;

/** A raw GET: status, headers, bytes on the wire (before any decompression), time in ms. */
function get(port, pathname, headers = {}) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const req = http.get({ host: '127.0.0.1', port, path: pathname, headers, agent: keepAlive }, (res) => {
      let bytes = 0;
      const chunks = [];
      res.on('data', (c) => {
        bytes += c.length;
        chunks.push(c);
      });
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = res.headers['content-encoding'] === 'gzip' ? require('node:zlib').gunzipSync(raw) : raw;
        resolve({ status: res.statusCode, headers: res.headers, bytes, body, ms: Number(process.hrtime.bigint() - t) / 1e6 });
      });
    });
    req.on('error', reject);
  });
}
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 8 });

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

/** `n` GETs, `concurrency` at a time: p50 and p95 in ms. */
async function load(port, pathname, headers, n, concurrency) {
  const times = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const r = await get(port, pathname, headers);
      if (r.status !== 200) throw new Error(`${pathname}: HTTP ${r.status}`);
      times.push(r.ms);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { p50: pct(times, 50), p95: pct(times, 95) };
}

/** Cards for the open requests of one village (what 我的待办's 待受理 and the rights read), once. */
async function seedCards(app) {
  const db = app.db;
  const have = await db.query("SELECT COUNT(*) AS n FROM card WHERE task_id LIKE 'bench%'");
  if (Number(have[0].n) > 0) return;
  const open = await db.query("SELECT id, status FROM request WHERE village_id = ? AND status IN ('pending', 'accepted') ORDER BY id DESC LIMIT 400", [`v${VILLAGE}`]);
  let i = 0;
  for (const r of open) {
    const kind = r.status === 'pending' ? 'new_request' : 'owner';
    await db.query("INSERT INTO card (request_id, platform, kind, task_id, state, content, created_at, updated_at) VALUES (?, 'sandbox', ?, ?, 'open', '{}', ?, ?)", [r.id, kind, `bench${++i}`, NOW, NOW]);
    const [{ id }] = await db.query('SELECT id FROM card WHERE task_id = ?', [`bench${i}`]);
    for (const p of [`s${VILLAGE}`, `c${VILLAGE}`, `r${VILLAGE}`]) await db.query("INSERT INTO card_recipient (card_id, person_id, platform_user_id, channel) VALUES (?, ?, ?, 'sandbox')", [id, p, p]);
  }
}

async function measure(url, dialect) {
  const { createApp } = require(path.join(DIST, 'src/main'));
  const { parseConfig } = require(path.join(DIST, 'src/config'));
  const { FixedClock } = require(path.join(DIST, 'src/clock'));
  const { createLogger } = require(path.join(DIST, 'src/log'));
  const Koa = require('koa');
  const app = await createApp(parseConfig({ DATABASE_URL: url, ORG_FILE: orgFile(), PORT: '0', LOG_LEVEL: 'silent' }), { clock: new FixedClock(AT), log: createLogger('silent'), startWorkers: false });
  await seedCards(app);
  const server = await app.listen(0);
  const port = server.address().port;
  // A recent request of the village, with a timeline; and a session as its secretary.
  const [req] = await app.db.query('SELECT code FROM request WHERE village_id = ? ORDER BY id DESC LIMIT 1', [`v${VILLAGE}`]);
  const login = await get(port, `/h5/auth/sandbox?as=${WHO}`);
  const cookie = (login.headers['set-cookie'] || []).map((c) => c.split(';')[0]).join('; ');
  const headers = { cookie, 'accept-encoding': 'gzip' };
  const page = await get(port, `/h5/requests/${req.code}`, headers);
  if (page.status !== 200) throw new Error(`request page: HTTP ${page.status}`);
  const html = page.body.toString('utf8');
  // The bare baseline: a Koa page of the same HTML, same process.
  const bare = new Koa();
  bare.use((ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html;
  });
  const bareServer = http.createServer(bare.callback());
  await new Promise((r) => bareServer.listen(0, '127.0.0.1', r));
  const barePort = bareServer.address().port;
  const warm = async (p, h, u) => {
    for (let i = 0; i < 30; i++) await get(p, u, h);
  };
  await warm(port, headers, `/h5/requests/${req.code}`);
  await warm(port, headers, '/h5/todo');
  await warm(barePort, {}, '/');
  const rows = [];
  for (const c of [1, 4]) {
    rows.push({ what: 'bare Koa page (baseline)', c, ...(await load(barePort, '/', {}, N, c)) });
    rows.push({ what: `request page /h5/requests/${req.code}`, c, ...(await load(port, `/h5/requests/${req.code}`, headers, N, c)) });
    rows.push({ what: `我的待办 /h5/todo (${WHO})`, c, ...(await load(port, '/h5/todo', headers, N, c)) });
  }
  // First load: the HTML, then every stylesheet and script it names (inside WeCom add the JS-SDK: see below).
  const assets = [...html.matchAll(/(?:href|src)="(\/h5\/assets\/[^"]+)"/g)].map((m) => m[1]);
  let first = page.bytes;
  const parts = [`HTML ${(page.bytes / 1024).toFixed(1)} KB${page.headers['content-encoding'] === 'gzip' ? ' gz' : ''}`];
  for (const a of assets) {
    const r = await get(port, a, { 'accept-encoding': 'gzip' });
    first += r.bytes;
    parts.push(`${a.split('/').pop()} ${(r.bytes / 1024).toFixed(1)} KB${r.headers['content-encoding'] === 'gzip' ? ' gz' : ''}`);
  }
  const { gzipSync } = require('node:zlib');
  const sdk = gzipSync(fs.readFileSync(require.resolve('@wecom/jssdk/dist/wecom.global.prod.js', { paths: [ROOT] }))).length;
  const glue = gzipSync(fs.readFileSync(path.join(ROOT, 'src/web/pages/wecom.js'))).length;
  const [{ n }] = await app.db.query('SELECT COUNT(*) AS n FROM request');
  const todo = await get(port, '/h5/todo', headers);
  const todoItems = (todo.body.toString('utf8').match(/<li>/g) || []).length;
  await new Promise((r) => bareServer.close(r));
  await app.close();
  keepAlive.destroy();
  return { dialect, rows: Number(n), table: rows, first, parts, wecomFirst: first + sdk + glue, sdk, todoItems };
}

async function main() {
  const dialects = ['sqlite', ...(env.TEST_MYSQL_URL ? ['mysql'] : [])];
  const lines = [];
  let ok = true;
  for (const d of dialects) {
    let { url } = await prepare(d);
    if (d === 'sqlite') {
      // A copy of its own: the pages' tables and cards are added here, and the digest bench's file stays as it was.
      const from = url.slice('sqlite:'.length);
      const to = path.join(os.tmpdir(), `minqing-bench-pages-${ROWS}-${VILLAGES}.sqlite`);
      if (!fs.existsSync(to) || fs.statSync(to).mtimeMs < fs.statSync(from).mtimeMs) fs.copyFileSync(from, to);
      url = `sqlite:${to}`;
    }
    const r = await measure(url, d);
    const v = (x, t) => (x <= t ? '✔' : ((ok = false), '✘'));
    for (const row of r.table) {
      const target = row.what.startsWith('bare') ? '' : ` ${v(row.p95, TARGET.p95)}`;
      lines.push(`| ${d} | ${r.rows.toLocaleString()} | ${row.what} | ${row.c} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)}${target} |`);
    }
    lines.push(`| ${d} | | first load of the request page: ${r.parts.join(' + ')} = **${(r.first / 1024).toFixed(1)} KB** ${v(r.first / 1024, TARGET.firstLoadKb)}; inside WeCom + @wecom/jssdk ${(r.sdk / 1024).toFixed(1)} KB gz + wecom.js = **${(r.wecomFirst / 1024).toFixed(1)} KB** ${v(r.wecomFirst / 1024, TARGET.firstLoadKb)} | | | |`);
    lines.push(`| ${d} | | 我的待办 of ${WHO} lists ${r.todoItems} requests | | | |`);
  }
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    // not a git checkout
  }
  const table = [
    `### ${new Date().toISOString()} · commit ${commit} · Node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}`,
    '',
    `${N} GETs per line over keep-alive HTTP on loopback, with a session cookie; "concurrency" at a time. Targets: p95 ≤ ${TARGET.p95} ms; first load ≤ ${TARGET.firstLoadKb} KB. Load average when it ended: ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (compare the bare Koa page's line: what the machine itself costs).`,
    '',
    '| database | requests | page | concurrency | p50 ms | p95 ms |',
    '| --- | --- | --- | --- | --- | --- |',
    ...lines,
    '',
  ].join('\n');
  process.stdout.write(`\n${table}\n`);
  const out = env.BENCH_PAGES_RESULTS || path.join(__dirname, 'PAGES.md');
  if (out !== '-') {
    if (!fs.existsSync(out)) fs.writeFileSync(out, '# Benchmark: the request page and 我的待办 at 1,000,000 requests\n\nAppended by `node test/bench/pages.js` (part of `npm run bench`), next to a bare Koa page in the same run.\n\n');
    fs.appendFileSync(out, `${table}\n`);
  }
  if (!ok) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
