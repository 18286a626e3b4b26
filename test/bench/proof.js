'use strict';
/**
 * `npm run bench:proof`: proof you can rerun — nothing lost, nothing twice, nobody where they don't
 * belong — bounded in count and time, on loopback only (every platform API is a fake on 127.0.0.1),
 * over the built dist/. One markdown table, printed and written to test/bench/PROOF.md; the exit
 * status is non-zero when any invariant fails.
 *
 *   load   signed WeCom card taps at a fixed rate on requests opened beforehand, exact duplicates,
 *          concurrent 受理 by the card's recipients (test/bench/proof-load.js)
 *   crash  the server (`node dist/src/cli/main.js serve`) SIGKILLed at random moments of intake, tap
 *          and send, restarted, left to finish (test/bench/proof-crash.js)
 *   week   two App instances on one MariaDB (TEST_MYSQL_URL) through a simulated week of a
 *          300-village county (test/bench/proof-week.js)
 *   hostile, logs   the hostile-input corpus and the log audit: their jest runs (BENCH_PROOF_JEST=1)
 *          or the tables they wrote (test/bench/HOSTILE.md, the audit's summary)
 *
 * Environment:
 *   BENCH_PROOF=short        the CI size (< 4 min on 2 cores); anything else: the full run (< 15 min)
 *   BENCH_PROOF_ONLY=load,crash,week,hostile,logs   which parts
 *   BENCH_PROOF_RESULTS      where the table goes (test/bench/PROOF.md; "-" for nowhere)
 *   BENCH_PROOF_JEST=1       run the hostile corpus and the log audit with jest instead of reading their files
 *   BENCH_LOAD_RATE, BENCH_LOAD_SECONDS, BENCH_CRASH_TRIALS, BENCH_WEEK_REQUESTS   override the sizes
 *   BENCH_WEEK_SENDERS=1     a diagnosis: only the first instance of the week drains the outbox (the
 *                            pacing limit then holds with a per-process pacer too; the proof is 2)
 *   TEST_MYSQL_URL           the MariaDB for the week (the part is skipped, and says so, without it)
 */
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT } = require('./proof-common');

const env = process.env;
const short = env.BENCH_PROOF === 'short';
const num = (v, d) => (v === undefined || v === '' ? d : Number(v));
const PARTS = ['load', 'crash', 'week', 'hostile', 'logs'];
const only = (env.BENCH_PROOF_ONLY || PARTS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
const O = {
  load: { rate: num(env.BENCH_LOAD_RATE, short ? 150 : 500), seconds: num(env.BENCH_LOAD_SECONDS, short ? 15 : 60), requests: 200, dupShare: 0.2, connections: 64, drainMaxS: short ? 90 : 300 },
  crash: { trials: num(env.BENCH_CRASH_TRIALS, short ? 10 : 30) },
  week: { villages: 300, requests: num(env.BENCH_WEEK_REQUESTS, short ? 200 : 1000), burst: short ? 40 : 60, senders: num(env.BENCH_WEEK_SENDERS, 2) },
  results: env.BENCH_PROOF_RESULTS || path.join(__dirname, 'PROOF.md'),
};
const log = (...a) => console.error('[proof]', ...a);

function gitCommit() {
  try {
    const git = (args) => execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return ` · commit ${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--untracked-files=no']) ? ' + local changes' : ''}`;
  } catch {
    return '';
  }
}

/** The hostile corpus (test/proof/hostile.db.test.ts → test/bench/HOSTILE.md) in one line. */
function hostile() {
  if (env.BENCH_PROOF_JEST === '1') {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/jest/bin/jest.js'), 'test/proof/hostile.db.test.ts'], { cwd: ROOT, encoding: 'utf8', env });
    const tests = /Tests:\s+(.*)/.exec(r.stderr)?.[1] ?? 'no summary';
    return { part: 'hostile', what: 'hostile-input corpus (test/proof/hostile.db.test.ts), run now with jest', result: tests, pass: r.status === 0 };
  }
  const file = path.join(__dirname, 'HOSTILE.md');
  if (!fs.existsSync(file)) return { part: 'hostile', what: 'hostile-input corpus', result: 'test/bench/HOSTILE.md is missing: run `npx jest test/proof/hostile.db.test.ts`', pass: false };
  const text = fs.readFileSync(file, 'utf8');
  const rows = text.split('\n').filter((l) => /^\| \d+ \|/.test(l));
  // | # | attack | route | answer | stored | records | healthy |
  const cols = [...new Map(rows.map((l) => l.split('|').map((c) => c.trim())).map((c) => [c[1], c])).values()];
  const bad = cols.filter((c) => !(c[6] === '0 rows' || c[6] === 'stored verbatim, inert') || c[7] !== 'yes');
  const kinds = new Set(cols.map((c) => c[2])).size;
  return {
    part: 'hostile',
    what: 'hostile-input corpus (test/proof/hostile.db.test.ts, table test/bench/HOSTILE.md, part of `npm test`)',
    result: `${kinds} kinds of attack: ${cols.length - bad.length}/${cols.length} a 4xx or a polite refusal with 0 rows changed (odd text stored verbatim and inert), the server healthy after each${bad.length ? `; ${bad.length} not` : ''}`,
    pass: kinds >= 20 && bad.length === 0,
  };
}

/**
 * The log audit: the rules of test/helpers/log-audit.js (no credential of the tests, no access token,
 * phone number or Chinese text — what people wrote) over the logs the servers of this run wrote,
 * and the audit of the whole jest suite (BENCH_PROOF_JEST=1: run here; else it runs with `npm test`).
 */
function logs(logDir) {
  const { audit } = require('../helpers/log-audit.js');
  const { files, lines, findings } = audit(logDir);
  const own = {
    what: "log audit over this run's own server logs (crash and week parts, info level) with the rules of test/helpers/log-audit.js",
    result: lines ? `${lines.toLocaleString('en-US')} lines from ${files} processes: ${findings.length ? `${findings.length} carry what must not be logged, e.g. ${findings[0].what}: ${findings[0].line.slice(0, 120)}` : 'no credential, access token, phone number or message text'}` : 'no server logs (crash and week did not run)',
    pass: lines ? findings.length === 0 : null,
  };
  if (env.BENCH_PROOF_JEST === '1') {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/jest/bin/jest.js'), 'test/log-audit.test.ts'], { cwd: ROOT, encoding: 'utf8' });
    const tests = /Tests:\s+(.*)/.exec(r.stderr)?.[1] ?? 'no summary';
    const summary = /log audit: .*/.exec(r.stderr)?.[0] ?? '';
    return [own, { part: 'logs', what: 'log audit (test/log-audit.test.ts), run now with jest', result: `${tests}${summary ? `; ${summary}` : ''}`, pass: r.status === 0 }].map((x) => ({ part: 'logs', ...x }));
  }
  return [
    own,
    {
      what: 'log audit of the whole jest suite (test/log-audit.test.ts + the reporter test/helpers/log-audit.js)',
      result: 'runs with every `npm test`: the reporter fails the suite on any hit (BENCH_PROOF_JEST=1 reruns the test here)',
      pass: null,
    },
  ].map((x) => ({ part: 'logs', ...x }));
}

function table(rows) {
  const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return ['| part | what | result | pass |', '| --- | --- | --- | --- |', ...rows.map((r) => `| ${r.part} | ${esc(r.what)} | ${esc(r.result)} | ${r.pass === null ? '—' : r.pass ? '✔ pass' : '✘ FAIL'} |`)].join('\n');
}

async function main() {
  const unknown = only.filter((p) => !PARTS.includes(p));
  if (unknown.length) throw new Error(`BENCH_PROOF_ONLY: unknown part ${unknown.join(', ')} (known: ${PARTS.join(', ')})`);
  if (!fs.existsSync(path.join(ROOT, 'dist/src/main.js'))) throw new Error('dist/ is missing: run `npm run bench:proof` (it builds first) or `npm run build`');
  const started = new Date();
  const load0 = os.loadavg()[0].toFixed(2);
  const t0 = Date.now();
  const rows = [];
  const timing = {};
  // The servers of the crash and week parts log here (info level); the log audit reads it.
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minqing-proof-logs-'));
  const part = async (name, fn) => {
    if (!only.includes(name)) return;
    const t = Date.now();
    try {
      const got = await fn();
      for (const r of got) rows.push({ part: name, ...r });
    } catch (e) {
      log(`${name} failed:`, e);
      rows.push({ part: name, what: 'the part itself', result: `crashed: ${String(e.message ?? e).slice(0, 200)}`, pass: false });
    }
    timing[name] = (Date.now() - t) / 1000;
    log(`${name}: ${timing[name].toFixed(0)} s`);
  };
  await part('load', async () => (await require('./proof-load').runLoad(O.load, log)).rows);
  await part('crash', async () => (await require('./proof-crash').runCrash({ ...O.crash, logDir }, log)).rows);
  await part('week', async () => {
    if (!env.TEST_MYSQL_URL) return [{ what: 'two instances on one MariaDB for a simulated week', result: 'skipped: TEST_MYSQL_URL is not set (`eval "$(.ci/mariadb.sh start)"` starts one)', pass: null }];
    return (await require('./proof-week').runWeek({ ...O.week, logDir }, log)).rows;
  });
  if (only.includes('hostile')) rows.push(hostile());
  if (only.includes('logs')) rows.push(...logs(logDir));
  fs.rmSync(logDir, { recursive: true, force: true });

  const failed = rows.filter((r) => r.pass === false);
  const cpu = os.cpus();
  const md = `# Proof: nothing lost, nothing twice, nobody where they don't belong

Generated by \`${short ? 'BENCH_PROOF=short ' : ''}npm run bench:proof\` (test/bench/proof.js); rerun it rather than editing this file.

- ${started.toISOString()}${gitCommit()} · ${short ? 'short (CI) run' : 'full run'} · Node ${process.version} · ${cpu.length} × ${cpu[0]?.model?.trim() ?? 'cpu'} · load average ${load0} at start, ${os.loadavg()[0].toFixed(2)} at end (the machine is shared: latency moves with it) · ${((Date.now() - t0) / 1000).toFixed(0)} s (${Object.entries(timing).map(([k, v]) => `${k} ${v.toFixed(0)} s`).join(', ')})
- loopback only: minqing from dist/, the fake WeCom API on 127.0.0.1 (gettoken, message/send, update_template_card, media/upload), SQLite in a temp dir for load and crash, MariaDB for the week

${table(rows)}

${failed.length ? `**${failed.length} invariant${failed.length > 1 ? 's' : ''} failed.**` : 'All invariants hold.'}
`;
  console.log(`\n${table(rows)}\n`);
  if (O.results !== '-') {
    fs.writeFileSync(O.results, md);
    console.log(`written to ${path.relative(process.cwd(), O.results) || O.results}`);
  }
  if (failed.length) {
    console.error(`${failed.length} invariant(s) failed: ${failed.map((r) => `${r.part}: ${r.what.slice(0, 60)}`).join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
