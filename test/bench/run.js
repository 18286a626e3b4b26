'use strict';
/**
 * `npm run bench`: the WeCom callback ack path under load, against two references.
 *
 *   bare     Koa answering "OK"                                          — the ceiling
 *   minimal  raw body → <Encrypt> → SHA1 check → AES decrypt → 1 INSERT   — the unavoidable work
 *   real     minqing's POST /wecom/callback from dist/, workers running   — what ships
 *   media    real, with BENCH_MEDIA_SEED photos in the download queue from the start of the measured
 *            run: downloads from the fake's media/get while the ack path is loaded
 *   ack      the same app with its background workers off                 — the ack path alone
 *
 * Each server runs in a child process of its own (server.js) and autocannon in another (load.js), so
 * the load generator never shares an event loop with the server. Every request to all but `bare` is
 * a fresh signed, encrypted villager message with a unique MsgId, sealed before the run. After the
 * `real` run the backlog of stored-but-unprocessed deliveries is watched until it drains, because
 * the app answers first and works after.
 *
 * Environment:
 *   BENCH_SECONDS=10       measured seconds per server (after BENCH_WARMUP=2 seconds of warm-up)
 *   BENCH_CONNECTIONS=50   autocannon connections
 *   BENCH_ONLY=bare,minimal,real,media,ack   which servers, in that order
 *   BENCH_MEDIA_SEED=3000  photos waiting in the download queue of the media run (BENCH_MEDIA_KB=100 each)
 *   BENCH_MEDIA_ROUNDS=3   real and media measured this many times in turn; the comparison is the median
 *                          of the rounds' ratios (this machine is shared: one pair is noise)
 *   BENCH_MEDIA_AFTER_S=10 how long to watch the queue after the load
 *   BENCH_MEDIA_IDLE_S=8   the download queue alone, no load, for this long: files/s and server CPU ms per file
 *   BENCH_MEDIA_RESULTS    where the media table goes (test/bench/MEDIA.md, its downloads section; "-" for nowhere)
 *   BENCH_DRAIN_MAX_S=45   how long to watch the real app's backlog drain
 *   BENCH_PROFILE=real     (or any of the servers, or all) a V8 CPU profile of that server over the
 *                          measured run into BENCH_PROFILE_DIR (default a temp dir), and for real a
 *                          second one of the drain (real-after.cpuprofile); read them with
 *                          `node test/bench/profile.js FILE`
 *   BENCH_SQL_STATS=1      the real server prints its time per SQL statement when it stops
 *   BENCH_POOL_RATE=6000   sealed messages prepared per second of run
 *   BENCH_RESULTS          where the markdown goes (test/bench/RESULTS.md; "-" for nowhere)
 *   BENCH_JSON=FILE        also write the raw numbers as JSON
 */
const { execFileSync } = require('node:child_process');
const { children, start, exited, receive } = require('./children');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Database = require('better-sqlite3');
const { startFakeWecom } = require('./wecom-fixture');

const ROOT = path.resolve(__dirname, '..', '..');
const KINDS = ['bare', 'minimal', 'real', 'media', 'ack'];
const env = process.env;
const num = (v, d) => (v === undefined || v === '' ? d : Number(v));
const list = (v, d) => (v || d).split(',').map((s) => s.trim()).filter(Boolean);
const O = {
  seconds: num(env.BENCH_SECONDS, 10),
  warmup: num(env.BENCH_WARMUP, 2),
  connections: num(env.BENCH_CONNECTIONS, 50),
  poolRate: num(env.BENCH_POOL_RATE, 6000),
  drainMaxS: num(env.BENCH_DRAIN_MAX_S, 45),
  only: list(env.BENCH_ONLY, KINDS.join(',')),
  profile: list(env.BENCH_PROFILE, ''),
  profileDir: env.BENCH_PROFILE_DIR || '',
  results: env.BENCH_RESULTS || path.join(__dirname, 'RESULTS.md'),
  mediaResults: env.BENCH_MEDIA_RESULTS || path.join(__dirname, 'MEDIA.md'),
  mediaSeed: num(env.BENCH_MEDIA_SEED, 3000),
  mediaKb: num(env.BENCH_MEDIA_KB, 100),
  mediaRounds: num(env.BENCH_MEDIA_ROUNDS, 3),
  mediaAfterS: num(env.BENCH_MEDIA_AFTER_S, 10),
  mediaIdleS: num(env.BENCH_MEDIA_IDLE_S, 8),
};

const LABEL = {
  bare: 'bare Koa ("OK")',
  minimal: 'minimal WeCom reference',
  real: 'minqing POST /wecom/callback',
  media: 'minqing POST /wecom/callback, downloading photos meanwhile',
  ack: 'minqing, workers off (ack path alone)',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error('[bench]', ...a);


function deliveryCounts(db) {
  const c = { received: 0, processing: 0, done: 0, ignored: 0, failed: 0 };
  for (const r of db.prepare('SELECT status, COUNT(*) AS n FROM inbound_delivery GROUP BY status').all()) c[r.status] = r.n;
  c.backlog = c.received + c.processing;
  c.processed = c.done + c.ignored + c.failed;
  c.total = c.backlog + c.processed;
  return c;
}

function attachmentCounts(db) {
  const c = { pending: 0, downloading: 0, stored: 0, failed: 0 };
  for (const r of db.prepare('SELECT status, COUNT(*) AS n FROM attachment GROUP BY status').all()) c[r.status] = r.n;
  return c;
}

function outboxCounts(db) {
  const c = {};
  for (const r of db.prepare('SELECT status, COUNT(*) AS n FROM outbox_message GROUP BY status').all()) c[r.status] = r.n;
  return c;
}

async function measure(kind, fake, o = { watch: true }) {
  let profile = '';
  if (O.profile.includes(kind) || O.profile.includes('all')) {
    if (O.profileDir) fs.mkdirSync(O.profileDir, { recursive: true });
    else O.profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minqing-bench-prof-'));
    profile = path.join(O.profileDir, `${kind}.cpuprofile`);
  }
  const server = start('server.js', [kind === 'ack' ? 'real' : kind], {
    BENCH_WECOM_API_BASE: fake.base,
    BENCH_WORKERS: kind === 'ack' ? 'off' : 'on',
    BENCH_PROFILE_FILE: profile,
  });
  const { port, dbFile } = await receive(server, 'ready');
  const url = `http://127.0.0.1:${port}/wecom/callback`;
  log(`${kind}: listening on ${port}; sealing messages and warming up ${O.warmup}s`);

  const load = start('load.js', []);
  load.send({ url, unique: kind !== 'bare', seconds: O.seconds, warmup: O.warmup, connections: O.connections, poolRate: O.poolRate });
  await receive(load, 'warm');

  const db = (kind === 'real' && o.watch) || kind === 'media' ? new Database(dbFile, { readonly: true, fileMustExist: true }) : null;
  const before = db ? deliveryCounts(db) : null;
  const filesBefore = kind === 'media' ? attachmentCounts(db) : null;
  server.send({ cmd: 'reset' });
  await receive(server, 'reset');
  log(`${kind}: measuring ${O.seconds}s with ${O.connections} connections`);
  const tLoad = Date.now();
  load.send({ go: true });
  const { result } = await receive(load, 'result');
  const tEnd = Date.now();
  server.send({ cmd: 'stats' });
  const { stats } = await receive(server, 'stats');
  const out = { kind, label: LABEL[kind], ...result, server: stats };

  if (kind === 'media') {
    const atEnd = attachmentCounts(db);
    const loadS = (tEnd - tLoad) / 1000;
    const storedDuringLoad = atEnd.stored - filesBefore.stored;
    log(`media: ${storedDuringLoad} photos stored during the load; watching the rest of ${O.mediaSeed} (max ${O.drainMaxS}s)`);
    let c = atEnd;
    while (c.pending + c.downloading > 0 && Date.now() - tEnd < O.mediaAfterS * 1000) {
      await sleep(200);
      c = attachmentCounts(db);
    }
    const afterS = (Date.now() - tEnd) / 1000;
    out.files = {
      seeded: O.mediaSeed,
      kb: O.mediaKb,
      storedDuringLoad,
      perSecDuringLoad: storedDuringLoad / loadS,
      ranOut: atEnd.pending + atEnd.downloading === 0,
      storedAfter: c.stored - atEnd.stored,
      perSecAfter: (c.stored - atEnd.stored) / afterS,
      final: c,
    };
    db.close();
  } else if (db) {
    const atEnd = deliveryCounts(db);
    const loadS = (tEnd - tLoad) / 1000;
    out.work = {
      storedDuringLoad: atEnd.total - before.total,
      processedDuringLoad: atEnd.processed - before.processed,
      processedPerSecDuringLoad: (atEnd.processed - before.processed) / loadS,
      backlogAtEnd: atEnd.backlog,
    };
    log(`real: ${atEnd.backlog} deliveries stored but not processed yet; watching them drain (max ${O.drainMaxS}s)`);
    let c = atEnd;
    while (c.backlog > 0 && Date.now() - tEnd < O.drainMaxS * 1000) {
      await sleep(200);
      c = deliveryCounts(db);
    }
    const drainS = (Date.now() - tEnd) / 1000;
    Object.assign(out.work, {
      drained: c.backlog === 0,
      drainS,
      drainPerSec: (c.processed - atEnd.processed) / drainS,
      backlogLeft: c.backlog,
      final: c,
      requests: db.prepare('SELECT COUNT(*) AS n FROM request').get().n,
      outbox: outboxCounts(db),
      wecomApiCalls: { ...fake.counts },
    });
    db.close();
  }

  server.send({ cmd: 'stop' });
  await Promise.all([exited(server), exited(load)]);
  if (profile) out.profile = profile;
  return out;
}

/**
 * The download queue alone, with no load: how fast it goes and what each file costs the server in CPU —
 * which, unlike req/s, the other work on a shared machine hardly moves.
 */
async function measureMediaIdle(fake) {
  const server = start('server.js', ['media'], { BENCH_WECOM_API_BASE: fake.base, BENCH_WORKERS: 'on', BENCH_PROFILE_FILE: env.BENCH_MEDIA_PROFILE || '' });
  const { dbFile } = await receive(server, 'ready');
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  log(`media alone: ${O.mediaIdleS}s with no load`);
  server.send({ cmd: 'reset' });
  await receive(server, 'reset');
  const t0 = Date.now();
  await sleep(O.mediaIdleS * 1000);
  server.send({ cmd: 'stats' });
  const { stats } = await receive(server, 'stats');
  const wallS = (Date.now() - t0) / 1000;
  const c = attachmentCounts(db);
  db.close();
  server.send({ cmd: 'stop' });
  await exited(server);
  return { stored: c.stored, perSec: c.stored / wallS, cpuPct: stats.cpuPct, cpuMsPerFile: (stats.cpuPct * 10 * wallS) / Math.max(c.stored, 1) };
}

const f1 = (n) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(1));
const f2 = (n) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(2));
const f0 = (n) => (n === undefined || Number.isNaN(n) ? '—' : Math.round(n).toLocaleString('en-US'));

function table(rows) {
  const head = ['server', 'req/s (mean)', 'p50 ms', 'p99 ms', 'max ms', 'errors / non-2xx', 'server CPU %', 'autocannon CPU %', 'loop delay p99 ms'];
  const body = rows.map((r) => [
    r.label,
    f0(r.reqPerSec),
    f1(r.p50),
    f1(r.p99),
    f1(r.max),
    `${r.errors + r.timeouts} / ${r.non2xx}`,
    f0(r.server.cpuPct),
    f0(r.loadCpuPct),
    f1(r.server.eldP99),
  ]);
  return [head, head.map(() => '---'), ...body].map((cols) => `| ${cols.join(' | ')} |`).join('\n');
}

function ratios(by) {
  const x = (a, b) => a.reqPerSec / b.reqPerSec;
  const lines = [];
  if (by.real && by.minimal) lines.push(`- real / minimal: **${x(by.real, by.minimal).toFixed(2)}×** (target ≥ 0.80×) ${x(by.real, by.minimal) >= 0.8 ? '✔' : '✘'}`);
  if (by.minimal && by.bare) lines.push(`- minimal / bare: **${x(by.minimal, by.bare).toFixed(2)}×**`);
  if (by.ack && by.minimal) lines.push(`- ack path alone (workers off) / minimal: ${x(by.ack, by.minimal).toFixed(2)}×`);
  if (by.real && by.bare) lines.push(`- real / bare: ${x(by.real, by.bare).toFixed(2)}×`);
  if (by.media) {
    const f = by.media.files;
    const r = by.media.reqPerSec / by.media.pairedReal.reqPerSec;
    lines.push(`- ack path while downloading / without (median of ${by.media.rounds.length} rounds, each against the real run next to it): **${r.toFixed(2)}×** (target ≥ 0.95×, i.e. at most 5 % slower) ${r >= 0.95 ? '✔' : '✘'}; rounds ${by.media.rounds.map((x) => x.ratio.toFixed(2)).join(', ')}`);
    lines.push(`- photos downloaded and kept during that load: **${f1(f.perSecDuringLoad)} files/s** (target ≥ 20) ${f.perSecDuringLoad >= 20 ? '✔' : '✘'}${f.ranOut ? ' — the queue ran out: a floor' : ''}`);
    const i = by.media.idle;
    lines.push(`- the queue alone (no load): ${f1(i.perSec)} files/s at ${f2(i.cpuMsPerFile)} ms of server CPU per file — 20 files/s cost ${f1((20 * i.cpuMsPerFile) / 10)} % of a core, ${f1((20 * i.cpuMsPerFile) / 10 / (by.media.pairedReal.server.cpuPct / 100))} % of the ${f0(by.media.pairedReal.server.cpuPct)} % the ack path uses at saturation`);
  }
  if (by.real) lines.push(`- real p99 ${f1(by.real.p99)} ms, max ${f1(by.real.max)} ms, against WeCom's 1000 ms answer limit ${by.real.max < 1000 ? '✔' : by.real.p99 < 500 ? '(p99 ✔, max ✘)' : '✘'}`);
  return lines.join('\n');
}

function workReport(r) {
  const w = r.work;
  if (!w) return '';
  return [
    `- stored during the ${O.seconds} s run: ${f0(w.storedDuringLoad)} deliveries; processed meanwhile: ${f0(w.processedDuringLoad)} (${f0(w.processedPerSecDuringLoad)}/s while acking)`,
    `- backlog when the load stopped (stored, not yet processed): ${f0(w.backlogAtEnd)}`,
    w.drained
      ? `- backlog drained in **${f1(w.drainS)} s**${w.backlogAtEnd >= 100 ? ` (${f0(w.drainPerSec)} deliveries/s with no incoming load)` : ''}`
      : `- backlog **not drained** after ${f1(w.drainS)} s: ${f0(w.backlogLeft)} left (${f0(w.drainPerSec)}/s; about ${f0(w.backlogLeft / Math.max(w.drainPerSec, 0.001))} s more at that rate)`,
    `- deliveries ${JSON.stringify(w.final)}; requests ${w.requests}; outbox ${JSON.stringify(w.outbox)}` +
      ' (WeCom takes 30 messages a minute per recipient: replies to the 4 benchmark villagers are paced, not lost)',
  ].join('\n');
}

/** The commit measured, when run from a git checkout ("+ local changes" if the tree is dirty). */
function gitCommit() {
  try {
    const git = (args) => execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    if (git(['rev-parse', '--show-toplevel']) !== ROOT) return '';
    return ` · commit ${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--untracked-files=no']) ? ' + local changes' : ''}`;
  } catch {
    return '';
  }
}

function markdown(rows, by, started, load) {
  const cpu = os.cpus();
  return `# Benchmark: the WeCom callback ack path

Generated by \`npm run bench\` (test/bench/run.js); rerun it rather than editing this file.

- ${started.toISOString()}${gitCommit()} · Node ${process.version} · ${os.platform()} ${os.arch()} · ${cpu.length} × ${cpu[0]?.model?.trim() ?? 'cpu'} · load average ${load[0]} at start, ${load[1]} at end
- autocannon in its own process, ${O.connections} connections, ${O.warmup} s warm-up then ${O.seconds} s measured; each server in its own process
- every request but bare's is a distinct signed + encrypted villager text (unique MsgId, one of the 4 villagers of org.example.json), sealed before the run
- *real*: inbound processor and outbox worker on (ack first, work after), SQLite (WAL, synchronous=NORMAL) in a temp dir, a fake WeCom API, \`LOG_LEVEL=silent\`
- *media*: *real* with ${O.mediaSeed.toLocaleString('en-US')} photos (${O.mediaKb} KB each) in the download queue, started with the measured run (test/bench/MEDIA.md)
- *minimal* commits each INSERT on its own; minqing commits the inserts of one event-loop turn together, which is why its ack path alone can beat the reference

${table(rows)}

${ratios(by)}
${by.real ? `\n## Work after the answer (real)\n\n${workReport(by.real)}\n` : ''}
"server CPU %" is the server process's user+system CPU over the measured run (100 = one core), "autocannon CPU %" the
load generator's; "loop delay" is the server's event-loop delay (perf_hooks, 10 ms resolution). On a shared
machine, compare rows of the same run rather than runs.
`;
}

/** test/bench/MEDIA.md: the downloads section is this run's; the duplicate-lookup section is left as it is. */
function writeMediaSection(by, started) {
  if (O.mediaResults === '-' || !by.media) return;
  const f = by.media.files;
  const paired = by.media.pairedReal;
  const x = by.media.reqPerSec / paired.reqPerSec;
  const section = [
    '<!-- downloads: written by test/bench/run.js -->',
    '## Downloads beside the ack path',
    '',
    `${started.toISOString()}${gitCommit()} · ${os.cpus().length} × ${os.cpus()[0]?.model?.trim() ?? 'cpu'} · the same run as the ack bench (test/bench/RESULTS.md): ${O.connections} connections, ${O.seconds} s measured. *media* is *real* with ${f.seeded.toLocaleString('en-US')} photos of ${f.kb} KB waiting in the download queue; the queue starts with the measured run and downloads from the fake WeCom's media/get on loopback (2 at a time), sniffs, hashes and writes each (fsync) under MEDIA_DIR.`,
    '',
    `The median round (of ${by.media.rounds.length}: real, then media, in turn — one pair alone is noise on this shared machine):`,
    '',
    '| server | req/s | p50 ms | p99 ms | server CPU % | photos kept during the load | files/s during the load | files/s alone (no load) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${paired.label} | ${f0(paired.reqPerSec)} | ${f1(paired.p50)} | ${f1(paired.p99)} | ${f0(paired.server.cpuPct)} | — | — | — |`,
    `| ${by.media.label} | ${f0(by.media.reqPerSec)} | ${f1(by.media.p50)} | ${f1(by.media.p99)} | ${f0(by.media.server.cpuPct)} | ${f0(f.storedDuringLoad)}${f.ranOut ? ' (all)' : ''} | ${f1(f.perSecDuringLoad)} | ${f1(by.media.idle.perSec)} |`,
    '',
    '| round | real req/s | media req/s | media / real | real p99 ms | media p99 ms | files/s during the load |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...by.media.rounds.map((r, i) => `| ${i + 1} | ${f0(r.real)} | ${f0(r.media)} | ${r.ratio.toFixed(2)} | ${f1(r.realP99)} | ${f1(r.mediaP99)} | ${f1(r.filesPerSec)} |`),
    '',
    `- ack path while downloading / without (the median round): **${x.toFixed(2)}×** (target ≥ 0.95×) ${x >= 0.95 ? '✔' : '✘'}; downloads during the load **${f1(f.perSecDuringLoad)} files/s** (target ≥ 20) ${f.perSecDuringLoad >= 20 ? '✔' : '✘'}`,
    `- the queue alone, no load (${O.mediaIdleS} s): **${f1(by.media.idle.perSec)} files/s** at **${f2(by.media.idle.cpuMsPerFile)} ms of server CPU per file**: 20 files/s take ${f1((20 * by.media.idle.cpuMsPerFile) / 10)} % of one core, ${f1((20 * by.media.idle.cpuMsPerFile) / 10 / (paired.server.cpuPct / 100))} % of the CPU the ack path spends at saturation (${f0(paired.server.cpuPct)} %) — the slowdown to expect where the ack path is CPU-bound, whatever the noise of one run`,
    '- while callbacks pour in (one stored in the last 100 ms) the queue starts at most 2 downloads per 70 ms (src/media/worker.ts `pace`): the ack path comes first; with no load it runs unpaced',
    `- attachments at the end: ${JSON.stringify(f.final)}`,
    '<!-- /downloads -->',
  ].join('\n');
  const head = '# Benchmark: media downloads and the duplicate lookup\n\nGenerated by `npm run bench`: the downloads by test/bench/run.js, the duplicate lookup by test/bench/duplicates-scale.js; rerun them rather than editing this file.\n';
  let text = fs.existsSync(O.mediaResults) ? fs.readFileSync(O.mediaResults, 'utf8') : head;
  const re = /<!-- downloads: [^]*?<!-- \/downloads -->/;
  text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(O.mediaResults, text);
}

async function main() {
  const unknown = O.only.filter((k) => !KINDS.includes(k));
  if (unknown.length) throw new Error(`BENCH_ONLY: unknown server ${unknown.join(', ')} (known: ${KINDS.join(', ')})`);
  if (O.only.some((k) => k === 'real' || k === 'media' || k === 'ack') && !fs.existsSync(path.join(ROOT, 'dist/src/main.js'))) {
    throw new Error('dist/ is missing: run `npm run bench` (it builds first) or `npm run build`');
  }
  const started = new Date();
  const load0 = os.loadavg()[0].toFixed(2);
  const fake = await startFakeWecom();
  const rows = [];
  try {
    for (const kind of KINDS.filter((k) => O.only.includes(k))) {
      if (kind !== 'media') {
        rows.push(await measure(kind, fake));
        continue;
      }
      // Real and media in turn, round after round: each round's ratio compares two neighbours in time.
      const rounds = [];
      for (let i = 0; i < O.mediaRounds; i++) {
        const base = i === 0 && rows.find((r) => r.kind === 'real') ? rows.find((r) => r.kind === 'real') : await measure('real', fake, { watch: false });
        const withMedia = await measure('media', fake);
        rounds.push({ real: base, media: withMedia, ratio: withMedia.reqPerSec / base.reqPerSec });
        log(`media round ${i + 1}: ${Math.round(withMedia.reqPerSec)} / ${Math.round(base.reqPerSec)} req/s = ${(withMedia.reqPerSec / base.reqPerSec).toFixed(2)}×, ${withMedia.files.perSecDuringLoad.toFixed(1)} files/s`);
      }
      const mid = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)];
      const idle = await measureMediaIdle(fake);
      log(`media alone: ${idle.perSec.toFixed(1)} files/s, ${idle.cpuMsPerFile.toFixed(2)} ms of server CPU per file`);
      rows.push({ ...mid.media, idle, rounds: rounds.map((r) => ({ real: r.real.reqPerSec, media: r.media.reqPerSec, ratio: r.ratio, filesPerSec: r.media.files.perSecDuringLoad, realP99: r.real.p99, mediaP99: r.media.p99 })), pairedReal: mid.real });
    }
  } finally {
    await fake.close();
  }
  const by = Object.fromEntries(rows.map((r) => [r.kind, r]));
  console.log(`\n${table(rows)}\n\n${ratios(by)}\n${by.real ? `\nWork after the answer (real):\n${workReport(by.real)}\n` : ''}`);
  for (const r of rows) {
    const notes = [];
    if (r.liveSealed) notes.push(`${r.liveSealed} messages had to be sealed during the run (raise BENCH_POOL_RATE)`);
    if (r.profile) notes.push(`CPU profile: ${r.profile}${r.kind === 'real' ? ' (and real-after.cpuprofile)' : ''}`);
    if (notes.length) console.log(`${r.kind}: ${notes.join('; ')}`);
  }
  if (env.BENCH_JSON) fs.writeFileSync(env.BENCH_JSON, JSON.stringify(rows, null, 2));
  if (O.results !== '-') {
    fs.writeFileSync(O.results, markdown(rows, by, started, [load0, os.loadavg()[0].toFixed(2)]));
    console.log(`\nwritten to ${path.relative(process.cwd(), O.results) || O.results}`);
  }
  writeMediaSection(by, started);
}

main().catch((e) => {
  console.error(e);
  for (const c of children) c.kill();
  process.exit(1);
});
