'use strict';
/**
 * The load generator, run as a child process of run.js so that it does not share an event loop
 * with the server under test. It receives `{ url, unique, seconds, warmup, connections, poolRate }`,
 * pre-generates a pool of distinct sealed (encrypted + signed) villager messages — so the crypto of
 * the load generator is not part of the measurement — runs autocannon for the warm-up and then for
 * the measured run, and sends back `{ result }`.
 */
const autocannon = require('autocannon');
const { VILLAGERS, seal, textXml } = require('./wecom-fixture');

const TEXTS = ['村口路灯坏了三天了', '组里的水管冻裂了，停水两天', '低保申请递上去一个月没消息', '河堤护栏被车撞断了'];

let counter = 0;
const runId = `${Date.now()}`.slice(-9);

function sealed() {
  const i = counter++;
  const now = Math.floor(Date.now() / 1000);
  const msgId = `7${runId}${String(i).padStart(9, '0')}`;
  const plain = textXml({ from: VILLAGERS[i % VILLAGERS.length], content: TEXTS[i % TEXTS.length], msgId, createTime: now });
  return seal(plain, now);
}

function makePool(n) {
  const pool = new Array(n);
  for (let i = 0; i < n; i++) pool[i] = sealed();
  return pool;
}

function run(opts, pool, unique, stats) {
  // Bare Koa ignores the body: one fixed request, prebuilt once, keeps the load generator cheap.
  // The others get a fresh sealed message per request, taken from the pool.
  const request = unique
    ? {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        setupRequest(req) {
          let m;
          if (stats.next < pool.length) m = pool[stats.next++];
          else {
            // The pool ran out: seal on the fly (counted and reported — it costs this process CPU).
            m = sealed();
            stats.live++;
          }
          req.path = `/wecom/callback?${m.query}`;
          req.body = m.body;
          return req;
        },
      }
    : { method: 'POST', headers: { 'content-type': 'text/xml' }, path: `/wecom/callback?${pool[0].query}`, body: pool[0].body };
  return new Promise((resolve, reject) => {
    autocannon(
      { url: opts.url, connections: opts.connections, duration: opts.duration, timeout: 10, requests: [request] },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

// Orphaned (run.js died): stop.
process.on('disconnect', () => process.exit(0));

process.once('message', async (o) => {
  try {
    const stats = { live: 0, next: 0 };
    const total = o.unique ? Math.ceil(o.poolRate * (o.warmup + o.seconds)) : 1;
    const t0 = Date.now();
    const pool = makePool(total);
    const poolMs = Date.now() - t0;
    if (o.warmup > 0) await run({ url: o.url, connections: o.connections, duration: o.warmup }, pool, o.unique, stats);
    process.send({ warm: true });
    await new Promise((r) => process.once('message', r));
    const cpu0 = process.cpuUsage();
    const t1 = process.hrtime.bigint();
    const result = await run({ url: o.url, connections: o.connections, duration: o.seconds }, pool, o.unique, stats);
    const cpu = process.cpuUsage(cpu0);
    const loadCpuPct = ((cpu.user + cpu.system) / 1000 / (Number(process.hrtime.bigint() - t1) / 1e6)) * 100;
    process.send({
      result: {
        reqPerSec: result.requests.average,
        total: result.requests.total,
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        statusCodes: result.statusCodeStats,
        duration: result.duration,
        pool: total,
        poolMs,
        liveSealed: stats.live,
        loadCpuPct,
      },
    }, () => process.exit(0));
  } catch (e) {
    console.error(e);
    process.exit(1);
  }
});
