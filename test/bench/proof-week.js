'use strict';
/**
 * Part "week" of `npm run bench:proof`: two minqing instances — two App objects from dist/, each with
 * its own Db connection pool and HTTP server, in this process — on one MariaDB database
 * (TEST_MYSQL_URL), through a simulated week of a 300-village county. Time is a FixedClock the two
 * share and this script moves from event to event (a delivery, a job slot, the next row due), so a
 * week takes minutes; the instances' queues are drained by both at once, so they compete for every
 * row as two servers would. Deliveries go to one instance or the other, 20 % of them to both (a
 * platform retrying elsewhere); the two 受理 taps on a card go to different instances at the same
 * moment; each job slot is fired on both. A hot spot: one village's villagers all write within a
 * minute (a burst of cards to its cadres). Afterwards: each delivery took effect once, each job slot
 * ran once, and no member got more than 30 messages a minute or 1000 an hour at the fake WeCom.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, TEST_WECOM, rng, writeOrg, textXml, tapXml, seal, postSealed, startProofWecom } = require('./proof-common');

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const START = Date.parse('2026-11-30T06:00:00+08:00'); // a Monday

async function runWeek(o, log) {
  const dist = (p) => require(path.join(ROOT, 'dist/src', p));
  const { createApp } = dist('main.js');
  const { parseConfig } = dist('config/index.js');
  const { FixedClock } = dist('clock.js');
  const { createLogger } = dist('log.js');
  const { JOBS } = dist('jobs/index.js');
  const { parseCron, matches } = dist('jobs/cron.js');
  const mysql = require('mysql2/promise');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minqing-proof-week-'));
  const r = rng(20261205);
  const perVillage = Math.ceil(o.requests / o.villages) + 1;
  const org = writeOrg(path.join(tmp, 'org.json'), { villages: o.villages, villagersPer: perVillage, extraVillagers: { 0: perVillage + o.burst } });
  const wecomOf = Object.fromEntries(Object.entries(org.personOf).map(([w, id]) => [id, w]));

  const name = `mq_proof_${crypto.randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(process.env.TEST_MYSQL_URL);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(process.env.TEST_MYSQL_URL);
  url.pathname = `/${name}`;

  const clock = new FixedClock(new Date(START));
  const fake = await startProofWecom({ now: () => clock.now().getTime() });
  const env = { DATABASE_URL: url.toString(), ORG_FILE: org.file, ADMIN_TOKEN: 'test-admin-token', PORT: '0', MEDIA_DIR: path.join(tmp, 'media'), ...TEST_WECOM, WECOM_API_BASE: fake.base };
  const logger = (who) => createLogger('info', fs.createWriteStream(path.join(o.logDir ?? tmp, `week-${who}.jsonl`)));
  const apps = [];
  const out = { rows: [], ok: true };
  try {
    log(`week: ${o.villages} villages, two instances on MariaDB ${name}`);
    // One after the other: the first migrates and imports the org file, the second reads the directory.
    apps.push(await createApp(parseConfig(env), { clock, log: logger('a'), startWorkers: false }));
    apps.push(await createApp(parseConfig(env), { clock, log: logger('b'), startWorkers: false, importOrgFile: false }));
    const bases = [];
    for (const a of apps) bases.push(`http://127.0.0.1:${(await a.listen(0)).address().port}`);
    const q = (sql, params = []) => apps[0].db.ds.query(sql, params);

    // The week's plan.
    const events = [];
    const at = (t, fn) => events.push({ t, fn });
    const sec = () => Math.floor(clock.now().getTime() / 1000);
    let msgSeq = 0;
    const deliveries = []; // { kind, acked }
    const texts = [];
    const deliver = async (plain, both) => {
      const first = Math.floor(r() * 2);
      const targets = both ? [first, 1 - first] : [first];
      const s = sec();
      const sealed = seal(plain, s);
      const st = await Promise.all(targets.map((i) => postSealed(bases[i], sealed)));
      return st.includes(200);
    };
    const villageOf = (v) => org.byVillage[v];
    const used = new Map();
    const nextVillager = (v) => {
      const k = used.get(v) ?? 0;
      used.set(v, k + 1);
      return villageOf(v).villagers[k % villageOf(v).villagers.length];
    };
    const stats = { resolvesSkipped: 0, ratesSkipped: 0, tapsSkipped: 0 };
    const lifecycle = (t, v) => {
      const villager = nextVillager(v);
      const content = `第${texts.length + 1}件：${['村口路灯坏了', '自来水停了两天', '村道塌方车过不去', '垃圾堆在河边没人清', '低保申请材料不知道怎么交'][texts.length % 5]}（${villager}）`;
      const rec = { content, acked: false };
      texts.push(rec);
      at(t, async () => {
        rec.acked = await deliver(textXml({ from: villager, content, msgId: String(6e12 + ++msgSeq), createTime: sec() }), r() < 0.2);
        deliveries.push({ kind: 'text', acked: rec.acked });
      });
      const tapAt = t + (3 + Math.floor(r() * 117)) * MIN;
      at(tapAt, async () => {
        const [req] = await q('SELECT id, code FROM request WHERE text = ?', [content]);
        if (!req) return void stats.tapsSkipped++;
        const [card] = await q("SELECT id, task_id AS taskId FROM card WHERE request_id = ? AND kind = 'new_request'", [req.id]);
        if (!card) return void stats.tapsSkipped++;
        const recipients = (await q('SELECT platform_user_id AS u FROM card_recipient WHERE card_id = ?', [card.id])).map((x) => x.u);
        rec.requestId = req.id;
        // Two (or all) recipients tap 受理 at the same moment, on different instances.
        const tappers = recipients.slice(0, r() < 0.5 ? 2 : recipients.length);
        const s = sec();
        const posts = tappers.map((from, i) => {
          const responseCode = `wk${++msgSeq}`;
          fake.tapCode(responseCode, card.taskId);
          const sealed = seal(tapXml({ from, taskId: card.taskId, key: 'accept', responseCode, createTime: s }), s);
          const targets = r() < 0.2 ? [0, 1] : [i % 2];
          return Promise.all(targets.map((k) => postSealed(bases[k], sealed))).then((st) => deliveries.push({ kind: 'tap', acked: st.includes(200) }));
        });
        await Promise.all(posts);
        rec.tapped = true;
        if (r() < 0.7) {
          at(tapAt + (1 + Math.floor(r() * 47)) * HOUR, async () => {
            const [x] = await q('SELECT code, owner_id AS owner, status FROM request WHERE id = ?', [req.id]);
            if (!x?.owner || x.status !== 'accepted') return void stats.resolvesSkipped++;
            const ok = await deliver(textXml({ from: wecomOf[x.owner], content: `办结 ${x.code} 已经处理好了`, msgId: String(6e12 + ++msgSeq), createTime: sec() }), r() < 0.2);
            deliveries.push({ kind: 'resolve', acked: ok });
            if (r() < 0.8) {
              at(clock.now().getTime() + (30 + Math.floor(r() * 300)) * MIN, async () => {
                const [fc] = await q("SELECT c.task_id AS taskId, cr.platform_user_id AS u FROM card c JOIN card_recipient cr ON cr.card_id = c.id WHERE c.request_id = ? AND c.kind = 'feedback'", [req.id]);
                if (!fc) return void stats.ratesSkipped++;
                const responseCode = `wk${++msgSeq}`;
                fake.tapCode(responseCode, fc.taskId);
                const okRate = await deliver(tapXml({ from: fc.u, taskId: fc.taskId, key: 'satisfied', responseCode, createTime: sec() }), r() < 0.2);
                deliveries.push({ kind: 'rate', acked: okRate });
              });
            }
          });
        }
      });
    };
    // The requests: daytime, any village; the hot spot on Wednesday at 10:00 in village 0.
    for (let i = 0; i < o.requests; i++) {
      const day = Math.floor(r() * 7);
      const t = START + day * DAY + HOUR + Math.floor(r() * 14 * 60) * MIN + Math.floor(r() * 60) * 1000;
      lifecycle(t, Math.floor(r() * o.villages));
    }
    const burstAt = Date.parse('2026-12-02T10:00:00+08:00');
    for (let i = 0; i < o.burst; i++) lifecycle(burstAt + Math.floor((i * 60_000) / o.burst), 0);
    // Every job slot of the week, fired on both instances at once.
    const END = START + 7 * DAY;
    const slotRuns = [];
    for (const job of JOBS) {
      const spec = parseCron(job.cron);
      for (let t = START; t < END; t += MIN) {
        if (!matches(spec, new Date(t))) continue;
        at(t, async () => {
          const res = await Promise.all(apps.map((a) => a.runJob(job.id, { at: new Date(t) }).catch((e) => ({ status: 'threw', summary: e.message }))));
          slotRuns.push({ job: job.id, slot: t, statuses: res.map((x) => x.status) });
        });
      }
    }

    // Both instances work their queues at once until nothing is due.
    // A pass that throws (e.g. a MariaDB deadlock, 1213) is what the background loop logs and retries
    // at its next poll (src/queue/worker.ts): counted, and the pass tried again.
    const passErrors = {};
    const pass = (p) =>
      p.catch((e) => {
        const k = e.code ?? e.name ?? 'error';
        passErrors[k] = (passErrors[k] || 0) + 1;
      });
    // o.senders 1 (BENCH_WEEK_SENDERS=1): only the first instance sends — a diagnosis, telling a pacer
    // kept per process from one shared through the database; the proof itself is both (2).
    const senders = apps.slice(0, o.senders === 1 ? 1 : 2);
    const settle = async () => {
      for (let i = 0; i < 30; i++) {
        await Promise.all(apps.map((a) => pass(a.inbound.drain())));
        await Promise.all(senders.map((a) => pass(a.outbox.drain())));
        if ((await apps[0].inbound.due()) === 0) return;
      }
    };
    const nextDue = async () => {
      // The head of each recipient's line (rows go in order per recipient: src/outbox/worker.ts).
      const [a] = await q(
        "SELECT MIN(q.next_attempt_at) AS t FROM outbox_message q WHERE q.status = 'pending' AND NOT EXISTS (SELECT 1 FROM outbox_message p WHERE p.platform = q.platform AND p.recipient = q.recipient AND p.id < q.id AND p.status IN ('pending', 'sending'))",
      );
      const [b] = await q("SELECT MIN(next_attempt_at) AS t FROM inbound_delivery WHERE status = 'received'");
      const ts = [a?.t, b?.t].filter((x) => x !== null && x !== undefined).map(Number);
      return ts.length ? Math.min(...ts) : Infinity;
    };

    let steps = 0;
    const wall0 = Date.now();
    let lastLog = Date.now();
    const stopAt = END + 3 * HOUR;
    for (;;) {
      events.sort((a, b) => a.t - b.t);
      const due = await nextDue();
      const now = clock.now().getTime();
      const next = Math.min(events[0]?.t ?? Infinity, due);
      if (next === Infinity || next > stopAt) break;
      clock.set(new Date(Math.max(next, now)));
      const t = clock.now().getTime();
      const batch = [];
      while (events.length && events[0].t <= t) batch.push(events.shift());
      await Promise.all(batch.map((e) => e.fn()));
      await settle();
      // A row due now that nothing could send (e.g. paced): step on at least a second.
      if (!batch.length && (await nextDue()) <= t) clock.set(new Date(t + 1000));
      steps++;
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`week: ${new Date(t + 8 * HOUR).toISOString().slice(0, 16)} (Shanghai), ${steps} steps, ${events.length} events left, ${Math.round((Date.now() - wall0) / 1000)} s`);
      }
    }
    log(`week: simulated to ${new Date(clock.now().getTime() + 8 * HOUR).toISOString().slice(0, 16)} in ${steps} steps, ${Math.round((Date.now() - wall0) / 1000)} s`);

    // The checks.
    const byStatus = async (table) => Object.fromEntries((await q(`SELECT status, COUNT(*) AS n FROM ${table} GROUP BY status`)).map((x) => [x.status, Number(x.n)]));
    const inbound = await byStatus('inbound_delivery');
    const outbox = await byStatus('outbox_message');
    const countOf = async (sql, p = []) => Number((await q(sql, p))[0].n);
    let textsOnce = 0;
    let textsNone = 0;
    let textsTwice = 0;
    for (const t of texts) {
      const n = await countOf('SELECT COUNT(*) AS n FROM request WHERE text = ?', [t.content]);
      if (n > 1) textsTwice++;
      else if (n === 1) textsOnce++;
      else if (t.acked) textsNone++;
    }
    const twice = async (type) => countOf(`SELECT COUNT(*) AS n FROM (SELECT request_id FROM request_event WHERE type = ? GROUP BY request_id HAVING COUNT(*) > 1) x`, [type]);
    const acceptedTwice = await twice('accepted');
    const resolvedTwice = await twice('resolved');
    const ratedTwice = await twice('rated');
    const tappedNoOwner = texts.filter((t) => t.tapped).length - (await countOf("SELECT COUNT(DISTINCT request_id) AS n FROM request_event WHERE type = 'accepted'"));
    const acked = deliveries.filter((d) => d.acked).length;

    const jobRunDup = await countOf('SELECT COUNT(*) AS n FROM (SELECT job, slot FROM job_run GROUP BY job, slot HAVING COUNT(*) > 1) x');
    const jobRunRows = await countOf('SELECT COUNT(*) AS n FROM job_run');
    const badSlots = slotRuns.filter((s) => s.statuses.filter((x) => x !== 'taken').length !== 1 || s.statuses.includes('threw'));
    const ranBy = { done: 0, skipped: 0, failed: 0 };
    for (const s of slotRuns) for (const x of s.statuses) if (x in ranBy) ranBy[x]++;

    const perMin = fake.maxInWindow(MIN);
    const perHour = fake.maxInWindow(HOUR);
    const overMin = fake.overLimit(MIN, 30);
    const overHour = fake.overLimit(HOUR, 1000);
    const sendCalls = fake.counts['/cgi-bin/message/send'] || 0;
    const updateRows = await countOf("SELECT COUNT(*) AS n FROM outbox_message WHERE status = 'sent' AND kind = 'card_update'");
    const shapes = {};
    for (const u of fake.updates) shapes[u.shape] = (shapes[u.shape] || 0) + 1;
    const messageRows = await countOf("SELECT COUNT(*) AS n FROM outbox_message WHERE status = 'sent' AND kind IN ('text','card','image')");

    const failedRows = (await q("SELECT kind, last_error AS e FROM outbox_message WHERE status = 'failed' LIMIT 3")).map((x) => `${x.kind}: ${String(x.e ?? '').slice(0, 100)}`);
    const okDeliveries = !inbound.received && !inbound.processing && !inbound.failed && textsNone === 0 && textsTwice === 0 && acceptedTwice === 0 && resolvedTwice === 0 && ratedTwice === 0 && tappedNoOwner <= 0;
    const okJobs = badSlots.length === 0 && jobRunDup === 0 && jobRunRows === slotRuns.length;
    const okPacing = overMin.length === 0 && overHour.length === 0;
    out.ok = okDeliveries && okJobs && okPacing;
    const whoName = (w) => (w ? `${org.personOf[w] ?? w}` : '—');
    out.rows.push(
      {
        what: `two App instances (own Db pools, own HTTP servers, one process, a shared simulated clock) on one MariaDB: a week of a ${o.villages}-village county (${fmt(o.villages * 3 + 6)} people, ${fmt(org.byVillage.reduce((n, v) => n + v.villagers.length, 0))} villagers), ${fmt(texts.length)} requests incl. ${o.burst} from one village within a minute`,
        result: `${fmt(acked)}/${fmt(deliveries.length)} deliveries acknowledged (20 % sent to both instances; 受理 taps on a card to both at once): ${textsOnce} texts opened exactly one request, ${textsNone} none, ${textsTwice} two; accepted twice ${acceptedTwice}, resolved twice ${resolvedTwice}, rated twice ${ratedTwice}; deliveries ${JSON.stringify(inbound)}; queue passes that threw and were retried: ${JSON.stringify(passErrors)}`,
        pass: okDeliveries,
      },
      {
        what: `each job slot once: ${fmt(slotRuns.length)} slots of ${JOBS.length} jobs in the week, each fired on both instances at once`,
        result: `${slotRuns.length - badSlots.length}/${slotRuns.length} slots ran on exactly one instance (done ${ranBy.done}, skipped ${ranBy.skipped}, failed ${ranBy.failed}), the other told "taken"; job_run rows ${jobRunRows}, ${jobRunDup} slots with two`,
        pass: okJobs,
      },
      {
        what: `no member above 30 messages/min or 1000/h at the fake WeCom (${senders.length === 2 ? 'both instances sending' : 'only the first instance sending: BENCH_WEEK_SENDERS=1'}, simulated time)`,
        result: `most in any minute: ${perMin.n} (${whoName(perMin.who)}), in any hour: ${perHour.n} (${whoName(perHour.who)}); ${overMin.length} members above 30/min, ${overHour.length} above 1000/h; ${fmt(sendCalls)} message/send calls for ${fmt(messageRows)} messages sent (${fmt(sendCalls - fake.fallbackCalls - messageRows)} sent again; WeCom's duplicate check dropped ${fmt(fake.dupDropped)} calls; ${fmt(fake.duplicateSends())} delivered twice, the same content to the same people); ${fmt(updateRows)} card updates: ${fmt(fake.updates.length)} update_template_card taken ${JSON.stringify(shapes)}, ${fmt(fake.fallbackTexts.length)} as a text; outbox ${JSON.stringify(outbox)}${failedRows.length ? ` (failed: ${failedRows.join('; ')})` : ''}`,
        pass: okPacing,
      },
    );
    void stats;
  } finally {
    for (const a of apps) await a.close().catch(() => undefined);
    await fake.close();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => undefined);
    await admin.end();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

const fmt = (n) => Number(n).toLocaleString('en-US');

module.exports = { runWeek };
