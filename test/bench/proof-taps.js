'use strict';
/**
 * The load part's generator, a child process of proof.js (its own event loop, like load.js for
 * `npm run bench`). It reads a plan file — `{ items: [{ plain } | { dupOf }] }`, plaintext WeCom
 * callbacks, `dupOf` an exact copy of an earlier item — seals every distinct item (AES + SHA1 with
 * the current timestamp) before the clock starts, then sends them open-loop at a fixed rate (item i
 * leaves at t0 + i / rate whatever the answers before it: a slow server cannot slow the load down),
 * over keep-alive connections. It answers `{ result }` with each item's HTTP status (0: no answer),
 * what each answer's body was (`replies`: '' empty, else the passive reply's button text — decoded
 * after the clock stops) and the latency percentiles.
 */
const fs = require('node:fs');
const http = require('node:http');
const { seal } = require('./wecom-fixture');
const { passiveReply } = require('./proof-common');

process.on('disconnect', () => process.exit(0));

process.once('message', async (o) => {
  try {
    const { items } = JSON.parse(fs.readFileSync(o.plan, 'utf8'));
    const now = Math.floor(Date.now() / 1000);
    const sealed = new Array(items.length);
    for (let i = 0; i < items.length; i++) sealed[i] = items[i].dupOf !== undefined ? sealed[items[i].dupOf] : seal(items[i].plain, now);
    const u = new URL(o.url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
    const status = new Array(items.length).fill(0);
    const lat = new Float64Array(items.length).fill(NaN);
    const bodies = new Array(items.length).fill('');
    let answered = 0;
    let errors = 0;
    const t0 = performance.now() + 50;
    const cpu0 = process.cpuUsage();
    await new Promise((done) => {
      let next = 0;
      const fire = (i) => {
        const m = sealed[i];
        const start = performance.now();
        const req = http.request(
          { host: u.hostname, port: u.port, path: `${u.pathname}?${m.query}`, method: 'POST', agent, headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(m.body) }, timeout: 10_000 },
          (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
              status[i] = res.statusCode;
              if (chunks.length) bodies[i] = Buffer.concat(chunks).toString('utf8');
              lat[i] = performance.now() - start;
              if (++answered + errors === items.length) done();
            });
          },
        );
        req.on('error', () => {
          if (++errors + answered === items.length) done();
        });
        req.on('timeout', () => req.destroy());
        req.end(m.body);
      };
      const tick = () => {
        const due = Math.min(items.length, Math.floor(((performance.now() - t0) / 1000) * o.rate) + 1);
        while (next < due) fire(next++);
        if (next < items.length) setTimeout(tick, 2);
      };
      setTimeout(tick, 50);
    });
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    agent.destroy();
    const sorted = Array.from(lat).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
    const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
    process.send(
      { result: { status, replies: bodies.map(passiveReply), answered, errors, wallS, rate: items.length / wallS, p50: pct(50), p99: pct(99), max: sorted.at(-1) ?? NaN, cpuPct: ((cpu.user + cpu.system) / 1000 / (wallS * 1000)) * 100 } },
      () => process.exit(0),
    );
  } catch (e) {
    console.error(e);
    process.exit(1);
  }
});
