'use strict';
/**
 * One benchmarked HTTP server, run as a child process of run.js (`node server.js bare|minimal|real|media`),
 * so that it has an event loop of its own. Over IPC it tells the parent `{ ready, port, dbFile }`,
 * starts measuring on `{ cmd: 'reset' }`, answers `{ cmd: 'stats' }` with its CPU time and
 * event-loop delay since then, and cleans up and exits on `{ cmd: 'stop' }`.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { decrypt, getSignature } = require('@wecom/crypto');
const Koa = require('koa');
const { TEST_WECOM } = require('./wecom-fixture');

const ROOT = path.resolve(__dirname, '..', '..');
const kind = process.argv[2];
let tmp = '';

/** 1. Bare Koa: the ceiling for any Koa app on this machine. */
async function bare() {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = 'OK';
  });
  return { server: app.listen(0), dbFile: null, close: async () => undefined };
}

/**
 * 2. The least a correct WeCom callback receiver can do: read the raw body, take <Encrypt> out,
 * check the SHA1 signature and the timestamp, AES-decrypt (checking the receive-id), and store the
 * message under its unique MsgId with one prepared INSERT (SQLite, WAL, synchronous=NORMAL). Then 200.
 */
async function minimal() {
  const Database = require('better-sqlite3');
  const dbFile = path.join(tmp, 'minimal.sqlite');
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE delivery (id INTEGER PRIMARY KEY AUTOINCREMENT, dedupe_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL, status TEXT NOT NULL, received_at INTEGER NOT NULL)`);
  const insert = db.prepare("INSERT OR IGNORE INTO delivery (dedupe_key, payload, status, received_at) VALUES (?, ?, 'received', ?)");
  const { WECOM_TOKEN: token, WECOM_ENCODING_AES_KEY: aesKey, WECOM_CORP_ID: corpId } = TEST_WECOM;

  const app = new Koa();
  app.use(async (ctx) => {
    if (ctx.method !== 'POST' || ctx.path !== '/wecom/callback') return void (ctx.status = 404);
    const chunks = [];
    let size = 0;
    for await (const c of ctx.req) {
      size += c.length;
      if (size > 1024 * 1024) return void (ctx.status = 413);
      chunks.push(c);
    }
    const m = /<Encrypt><!\[CDATA\[([A-Za-z0-9+/=]+)\]\]><\/Encrypt>/.exec(Buffer.concat(chunks).toString('utf8'));
    if (!m) return void (ctx.status = 400);
    const { msg_signature: sig, timestamp, nonce } = ctx.query;
    if (!sig || !timestamp || !nonce) return void (ctx.status = 400);
    const expected = Buffer.from(getSignature(token, timestamp, nonce, m[1]));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return void (ctx.status = 401);
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return void (ctx.status = 401);
    const { message, id } = decrypt(aesKey, m[1]);
    if (id !== corpId) return void (ctx.status = 403);
    const msgId = /<MsgId>(\d+)<\/MsgId>/.exec(message);
    if (!msgId) return void (ctx.status = 400);
    insert.run(`wecom:msg:${msgId[1]}`, message, Date.now());
    ctx.body = '';
  });
  return { server: app.listen(0), dbFile, close: async () => db.close() };
}

/**
 * 4. The same as `real`, with BENCH_MEDIA_SEED photos waiting in the download queue; the queue starts
 * with the measured run (`reset`), so the fake's media/get is downloaded from while the ack path is loaded.
 */
async function media() {
  const s = await real({ startMedia: false });
  const n = Number(process.env.BENCH_MEDIA_SEED || 3000);
  const { app } = s;
  const at = Date.now();
  await app.db.tx(async (r) => {
    const v = await r.villagers.create({ name: '压测', villageId: 'guangou', phone: null, source: 'wecom' }, at);
    const req = await r.requests.insert({ villageId: 'guangou', category: null, level: 'village', text: '（群众发来图片）', reporterVillagerId: v.id, reporterName: '压测', channel: 'wecom', replyTo: null, receivedAt: at });
    for (let i = 0; i < n; i++) {
      await r.media.add({ requestId: req.id, kind: 'image', platform: 'wecom', mediaId: `bench-${i}`, villagerId: null, meta: { channel: 'app' }, status: 'pending', at });
    }
  });
  s.onReset = () => app.media.start();
  return s;
}

/** 3. minqing itself, from dist/, with WeCom on, SQLite in a temp dir and its workers running. */
async function real(o = {}) {
  const { createApp } = require(path.join(ROOT, 'dist/src/main.js'));
  const { parseConfig } = require(path.join(ROOT, 'dist/src/config/index.js'));
  const dbFile = path.join(tmp, 'minqing.sqlite');
  const env = {
    DATABASE_URL: `sqlite:${dbFile}`,
    ORG_FILE: process.env.BENCH_ORG_FILE || path.join(ROOT, 'org.example.json'),
    ADMIN_TOKEN: 'bench-admin-token',
    PORT: '0',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'silent',
    ...TEST_WECOM,
    WECOM_API_BASE: process.env.BENCH_WECOM_API_BASE,
  };
  const app = await createApp(parseConfig({ ...env, MEDIA_DIR: path.join(tmp, 'media') }), { startWorkers: process.env.BENCH_WORKERS !== 'off', ...o });
  const server = await app.listen(0);
  const sqlStats = process.env.BENCH_SQL_STATS ? countSql(app.db.ds.driver.databaseConnection) : null;
  return { app, server, dbFile, close: () => (sqlStats?.print(), app.close()) };
}

/**
 * BENCH_SQL_STATS=1: time spent in each statement on the better-sqlite3 connection (numbers in the
 * SQL folded to N, since TypeORM inlines some), printed to stderr when the server stops.
 */
function countSql(conn) {
  const stats = new Map();
  const entry = (sql) => {
    const key = sql.replace(/\s+/g, ' ').replace(/\b\d+\b/g, 'N');
    let e = stats.get(key);
    if (!e) stats.set(key, (e = { n: 0, us: 0, prepared: 0, prepareUs: 0 }));
    return e;
  };
  const since = (t) => Number(process.hrtime.bigint() - t) / 1000;
  const prepare = conn.prepare.bind(conn);
  conn.prepare = (sql) => {
    const e = entry(sql);
    const t = process.hrtime.bigint();
    const stmt = prepare(sql);
    e.prepared++;
    e.prepareUs += since(t);
    return new Proxy(stmt, {
      get(target, k) {
        const v = target[k];
        if (k !== 'run' && k !== 'all' && k !== 'get') return typeof v === 'function' ? v.bind(target) : v;
        return (...args) => {
          const t0 = process.hrtime.bigint();
          try {
            return v.apply(target, args);
          } finally {
            e.n++;
            e.us += since(t0);
          }
        };
      },
    });
  };
  return {
    print() {
      const rows = [...stats].sort((a, b) => b[1].us + b[1].prepareUs - (a[1].us + a[1].prepareUs)).slice(0, 20);
      console.error('\nSQL time in the real server (run + prepare), top 20:');
      for (const [sql, e] of rows) {
        console.error(`${(e.us / 1000).toFixed(0).padStart(6)} ms ${String(e.n).padStart(7)}× ${(e.us / Math.max(e.n, 1)).toFixed(0).padStart(5)} µs | prepared ${e.prepared}× ${(e.prepareUs / 1000).toFixed(0)} ms | ${sql.slice(0, 150)}`);
      }
    },
  };
}

async function main() {
  const make = { bare, minimal, real: () => real(), media }[kind];
  if (!make) throw new Error(`unknown server kind ${kind}: bare, minimal, real or media`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), `minqing-bench-${kind}-`));
  const s = await make();
  if (!s.server.listening) await new Promise((r) => s.server.once('listening', r));
  s.server.keepAliveTimeout = 65_000;
  const eld = monitorEventLoopDelay({ resolution: 10 });
  let cpu0 = process.cpuUsage();
  let t0 = process.hrtime.bigint();
  // BENCH_PROFILE_FILE: a V8 CPU profile of the measured run only (not of start-up); for `real` a
  // second one, *-after.cpuprofile, of the work after it (the drain), until the server is stopped.
  const profileFile = process.env.BENCH_PROFILE_FILE;
  const inspector = profileFile ? new (require('node:inspector').Session)() : null;
  const post = (method, params) => new Promise((res, rej) => inspector.post(method, params, (e, r) => (e ? rej(e) : res(r))));
  if (inspector) inspector.connect();
  process.on('message', async (m) => {
    if (m.cmd === 'reset') {
      if (inspector) {
        await post('Profiler.enable');
        await post('Profiler.setSamplingInterval', { interval: 500 });
        await post('Profiler.start');
      }
      eld.reset();
      eld.enable();
      s.onReset?.();
      cpu0 = process.cpuUsage();
      t0 = process.hrtime.bigint();
      process.send({ reset: true });
    } else if (m.cmd === 'stats') {
      const cpu = process.cpuUsage(cpu0);
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (inspector) {
        const { profile } = await post('Profiler.stop');
        fs.writeFileSync(profileFile, JSON.stringify(profile));
        // The work after the answer gets a profile of its own, until the server is stopped.
        if (kind === 'real') await post('Profiler.start');
      }
      process.send({
        stats: {
          cpuPct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
          eldP50: eld.percentile(50) / 1e6,
          eldP99: eld.percentile(99) / 1e6,
          eldMax: eld.max / 1e6,
          rssMb: process.memoryUsage().rss / 1e6,
        },
      });
    } else if (m.cmd === 'stop') {
      if (inspector && kind === 'real') {
        const { profile } = await post('Profiler.stop');
        fs.writeFileSync(profileFile.replace(/\.cpuprofile$/, '-after.cpuprofile'), JSON.stringify(profile));
      }
      s.server.closeAllConnections?.();
      await s.close();
      fs.rmSync(tmp, { recursive: true, force: true });
      process.exit(0);
    }
  });
  // Orphaned (run.js died): do not linger.
  process.on('disconnect', () => {
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(0);
  });
  process.send({ ready: true, port: s.server.address().port, dbFile: s.dbFile });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
