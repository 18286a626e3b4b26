'use strict';
/**
 * The leaders' and clerks' pages over 1,000,000 requests in 300 villages (the data of digest.js,
 * generated once and cached), timed over real HTTP next to a bare Koa page in the same process and
 * the same run; and the weight of the dashboard's first load. Plain JS over dist/ (`npm run bench`
 * builds first).
 *
 *   node test/bench/pages-reports.js     SQLite, and MariaDB/MySQL too when TEST_MYSQL_URL is set
 *
 * Measured, each in a fresh child process (so the first answer is a cold one), at Monday 2026-11-30
 * 10:00, the default period (the week the digest reports): GET /h5/dashboard and
 * /h5/dashboard/trend.json as a leader (the whole township, 300 villages) and as a village secretary;
 * GET /h5/ledger (this month, 41,000 rows, the page lists 2,000); GET /h5/ledger.xlsx for one village
 * and one month. Targets: dashboard ≤ 1 s (page and trend each; median of BENCH_PAGES_RUNS), first
 * load ≤ 300 KB gzip (HTML, CSS, scripts and the trend JSON).
 *
 * Environment: BENCH_PAGES_RUNS (5), BENCH_PAGES_RESULTS (test/bench/PAGES-REPORTS.md; "-" for nowhere),
 * and those of digest.js (BENCH_DIGEST_ROWS, BENCH_DIGEST_VILLAGES, BENCH_DIGEST_FRESH).
 */
const { fork, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { prepare, openApp, ROWS, VILLAGES } = require('./digest');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const env = process.env;
const RUNS = Number(env.BENCH_PAGES_RUNS || 5);
const AT = '2026-11-30T10:00:00+08:00';
const TARGET = { dashboardMs: 1000, firstLoadKb: 300 };

const page = (ctx, p) => {
  ctx.status = p.status || 200;
  ctx.type = 'text/html; charset=utf-8';
  const styles = (p.styles || []).map((s) => `<link rel="stylesheet" href="${s}">`).join('');
  const scripts = (p.scripts || []).map((s) => `<script src="${s}" defer></script>`).join('');
  ctx.body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${p.title}</title>${styles}</head><body>${p.body}${scripts}</body></html>`;
};
const BARE = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>民情看板</title></head><body><main><h1>民情看板</h1><p>你好</p></main></body></html>';

/** Child process: the app on the prepared database, the report pages and a bare page on one Koa server. */
async function measure(url) {
  const app = await openApp(url, AT);
  const Router = require(path.join(ROOT, 'node_modules/@koa/router'));
  const { createKoa } = require(path.join(DIST, 'src/http/app'));
  const { mountReports } = require(path.join(DIST, 'src/web/reports'));
  const router = new Router();
  router.get('/bare', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = BARE;
  });
  router.use(async (ctx, next) => {
    const person = app.deps.directory.person(ctx.get('x-viewer'));
    if (person) ctx.state.viewer = { kind: 'person', person };
    await next();
  });
  mountReports(router, app.deps, { page });
  const koa = createKoa(app.log, [router]);
  const server = http.createServer(koa.callback());
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const agent = new http.Agent({ keepAlive: true });
  const get = (p, viewer, gzip = false) =>
    new Promise((resolve, reject) => {
      const t = process.hrtime.bigint();
      const headers = { 'x-viewer': viewer || '', ...(gzip ? { 'accept-encoding': 'gzip' } : {}) };
      http
        .get(`${base}${p}`, { agent, headers }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () =>
            resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, status: res.statusCode, body: Buffer.concat(chunks), encoding: res.headers['content-encoding'] }),
          );
        })
        .on('error', reject);
    });
  const timed = async (p, viewer) => {
    const out = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await get(p, viewer);
      if (r.status !== 200) throw new Error(`${p} as ${viewer}: ${r.status} ${r.body.toString().slice(0, 200)}`);
      out.push(r.ms);
    }
    return out;
  };
  const res = {};
  // Cold first: each page's first answer in this process is its first ever.
  // The trend alone first, with nothing kept: what the first visitor in five minutes waits for at worst.
  res.trendCold = (await get('/h5/dashboard/trend.json', 'shuji')).ms;
  res.dashboard = await timed('/h5/dashboard', 'shuji');
  // Then as a browser asks for it: after the page, which has started reading it.
  res.trend = await timed('/h5/dashboard/trend.json', 'shuji');
  res.bare = await timed('/bare', null);
  res.secretaryTrendCold = (await get('/h5/dashboard/trend.json', 's0')).ms;
  res.secretary = await timed('/h5/dashboard', 's0');
  res.secretaryTrend = await timed('/h5/dashboard/trend.json', 's0');
  res.month = await timed('/h5/dashboard?month=2026-11', 'shuji');
  res.ledger = await timed('/h5/ledger', 'shuji');
  res.xlsx = await timed('/h5/ledger.xlsx?village=v0', 'shuji');

  // First load of the dashboard: its HTML (gzip as a compressing proxy or middleware would send it), then each script and style as the app serves them.
  const html = (await get('/h5/dashboard', 'shuji')).body;
  const assets = [...html.toString().matchAll(/(?:src|href)="(\/h5\/reports\/assets\/[^"]+)"/g)].map((m) => m[1]);
  const weights = [{ what: 'HTML', raw: html.length, gzip: zlib.gzipSync(html, { level: 6 }).length }];
  for (const a of assets) {
    const plain = await get(a, null);
    const z = await get(a, null, true);
    weights.push({
      what: path.basename(a),
      raw: plain.body.length,
      gzip: z.encoding === 'gzip' ? z.body.length : zlib.gzipSync(z.body, { level: 6 }).length,
      served: z.encoding === 'gzip',
    });
  }
  const trend = (await get('/h5/dashboard/trend.json', 'shuji')).body;
  weights.push({ what: 'trend.json', raw: trend.length, gzip: zlib.gzipSync(trend, { level: 6 }).length });
  const ledgerHtml = (await get('/h5/ledger', 'shuji')).body;

  const [{ n }] = await app.db.query('SELECT COUNT(*) AS n FROM request');
  server.close();
  agent.destroy();
  await app.close();
  process.send({
    ...res,
    weights,
    ledgerKb: ledgerHtml.length / 1024,
    ledgerGzipKb: zlib.gzipSync(ledgerHtml).length / 1024,
    rows: Number(n),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  });
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
const cell = (xs, target) => `${ms(xs[0])} / ${ms(median(xs))}${target ? (median(xs) <= target && xs[0] <= target ? ' ✔' : ' ✘') : ''}`;

async function main() {
  // The machine may be shared: its load says how much the numbers can be trusted.
  const loadBefore = os.loadavg()[0].toFixed(1);
  const dialects = ['sqlite', ...(env.TEST_MYSQL_URL ? ['mysql'] : [])];
  const lines = [];
  const weightLines = [];
  let ok = true;
  for (const d of dialects) {
    const { url } = await prepare(d);
    const r = await runChild(url);
    for (const k of ['dashboard', 'trend', 'secretary', 'secretaryTrend', 'month']) if (median(r[k]) > TARGET.dashboardMs || r[k][0] > TARGET.dashboardMs) ok = false;
    for (const k of ['trendCold', 'secretaryTrendCold']) if (r[k] > TARGET.dashboardMs) ok = false;
    const one = (x) => `${ms(x)}${x <= TARGET.dashboardMs ? ' ✔' : ' ✘'}`;
    lines.push(
      `| ${d} | ${r.rows.toLocaleString()} | ${cell(r.bare)} | ${cell(r.dashboard, TARGET.dashboardMs)} | ${one(r.trendCold)} | ${cell(r.trend, TARGET.dashboardMs)} | ${cell(r.secretary, TARGET.dashboardMs)} | ${one(r.secretaryTrendCold)} | ${cell(r.secretaryTrend, TARGET.dashboardMs)} | ${cell(r.month, TARGET.dashboardMs)} | ${cell(r.ledger)} (${r.ledgerKb.toFixed(0)} KB, ${r.ledgerGzipKb.toFixed(0)} KB gzip) | ${cell(r.xlsx)} | ${r.maxRssMb.toFixed(0)} |`,
    );
    if (!weightLines.length) {
      const total = r.weights.reduce((s, w) => s + w.gzip, 0) / 1024;
      if (total > TARGET.firstLoadKb) ok = false;
      weightLines.push(
        '| file | bytes | gzip bytes |',
        '| --- | --- | --- |',
        ...r.weights.map((w) => `| ${w.what}${w.served === false ? ' (served plain)' : ''} | ${w.raw.toLocaleString()} | ${w.gzip.toLocaleString()} |`),
        `| **first load** | ${r.weights.reduce((s, w) => s + w.raw, 0).toLocaleString()} | **${Math.round(total * 1024).toLocaleString()} (${total.toFixed(0)} KB) ${total <= TARGET.firstLoadKb ? '✔' : '✘'}** |`,
      );
    }
  }
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    // not a git checkout
  }
  const table = [
    `### ${new Date().toISOString()} · commit ${commit} · Node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model.split(' ').slice(0, 2).join(' ')} · load average ${loadBefore} before, ${os.loadavg()[0].toFixed(1)} after`,
    '',
    `${ROWS.toLocaleString()} requests, ${VILLAGES} villages, two years to Monday 2026-11-30 (digest.js's data); asked at 2026-11-30 10:00 over HTTP on loopback, one at a time, each page ${RUNS} times in one fresh process: first (cold) / median, in ms. "Cold" trend: the first ask in the process, nothing kept; "after the page": as the page's script asks for it, once the page has started reading it (ended weeks are kept five minutes). Targets: dashboard page and trend ≤ ${TARGET.dashboardMs} ms, first load ≤ ${TARGET.firstLoadKb} KB gzip.`,
    '',
    '| database | requests | bare Koa page | dashboard, leader (300 villages) | trend.json, leader, cold | trend.json, leader, after the page | dashboard, secretary | trend.json, secretary, cold | trend.json, secretary, after the page | dashboard, month | ledger page (this month) | ledger.xlsx (one village, month) | peak RSS MB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...lines,
    '',
    'First load of the dashboard (leader): the HTML, then what it asks for. The trend JSON is fetched by the page after its scripts run.',
    '',
    ...weightLines,
    '',
  ].join('\n');
  process.stdout.write(`\n${table}\n`);
  const out = env.BENCH_PAGES_RESULTS || path.join(__dirname, 'PAGES-REPORTS.md');
  if (out !== '-') {
    if (!fs.existsSync(out))
      fs.writeFileSync(out, '# Benchmark: the dashboard and the ledger at 1,000,000 requests\n\nAppended by `node test/bench/pages-reports.js` (part of `npm run bench`).\n\n');
    fs.appendFileSync(out, `${table}\n`);
  }
  if (!ok) process.exitCode = 1;
}

if (process.argv[2] === '--measure')
  measure(process.argv[3]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
else
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
