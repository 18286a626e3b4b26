'use strict';
/**
 * Part "crash" of `npm run bench:proof`: minqing as operators run it (`node dist/src/cli/main.js
 * serve`, SQLite, the fake WeCom API) killed with SIGKILL at a random moment — while callbacks are
 * being acknowledged (intake), while 受理 taps are being processed (tap), or while WeCom holds a
 * message the server has sent but not yet heard back about (send) — then restarted and left to
 * finish. Afterwards: every acknowledged (HTTP 200) delivery took effect exactly once, every outbox
 * row is sent or listed failed, and the messages WeCom got twice (at-least-once across a crash) are
 * counted.
 *
 * A killed process holds leases on the rows it was working on (inbound 120 s, outbox 60 s,
 * src/inbound/processor.ts, src/outbox/worker.ts): before each restart the harness moves those
 * leases into the past, which is what waiting them out would do, so a trial takes seconds.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Database = require('better-sqlite3');
const { ROOT, TEST_WECOM, rng, writeOrg, textXml, tapXml, tapDedupeKey, seal, postSealed, postSealedFull, freePort, sleep, startProofWecom } = require('./proof-common');

const ADMIN = 'test-admin-token';

async function runCrash(o, log) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minqing-proof-crash-'));
  const logDir = o.logDir ?? path.join(tmp, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const r = rng(20261204);
  const org = writeOrg(path.join(tmp, 'org.json'), { villages: 40, villagersPer: 12 });
  const villagers = org.byVillage.flatMap((v) => v.villagers);
  const dbFile = path.join(tmp, 'minqing.sqlite');
  const fake = await startProofWecom();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:${dbFile}`,
    ORG_FILE: org.file,
    ADMIN_TOKEN: ADMIN,
    PORT: String(port),
    PUBLIC_BASE_URL: base,
    MEDIA_DIR: path.join(tmp, 'media'),
    LOG_LEVEL: 'info',
    ...TEST_WECOM,
    WECOM_API_BASE: fake.base,
  };
  let child = null;
  let starts = 0;
  const startServer = async () => {
    const out = fs.openSync(path.join(logDir, `crash-server-${++starts}.jsonl`), 'a');
    child = spawn(process.execPath, [path.join(ROOT, 'dist/src/cli/main.js'), 'serve'], { env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const t0 = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) at start; see ${logDir}`);
      try {
        const res = await fetch(`${base}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() - t0 > 30_000) throw new Error('server did not answer /healthz within 30 s');
      await sleep(50);
    }
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((res) => c.once('exit', res));
    c.kill('SIGKILL');
    await gone;
  };
  /** What waiting out the dead process's leases would do. */
  const expireLeases = () => {
    const db = new Database(dbFile);
    db.prepare("UPDATE inbound_delivery SET locked_until = 0 WHERE status = 'processing'").run();
    db.prepare("UPDATE outbox_message SET locked_until = 0 WHERE status = 'sending'").run();
    // The per-sender lease of the delivery it was working on (src/db/repos/queue.ts `serialBy`).
    db.prepare('UPDATE sender_lease SET locked_until = 0').run();
    db.close();
  };
  const readDb = (fn) => {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  const settled = () =>
    readDb((db) => {
      const open = db.prepare("SELECT COUNT(*) AS n FROM inbound_delivery WHERE status IN ('received','processing')").get().n;
      const out = db.prepare("SELECT COUNT(*) AS n FROM outbox_message WHERE status IN ('pending','sending')").get().n;
      return open === 0 && out === 0;
    });
  const waitSettled = async (maxMs) => {
    const t0 = Date.now();
    while (Date.now() - t0 < maxMs) {
      if (settled()) return true;
      await sleep(100);
    }
    return false;
  };

  const texts = []; // { tag, status }
  const taps = []; // { t, status, requestId }
  let nextVillager = 0;
  let msgSeq = 0;
  const phases = { intake: 0, tap: 0, send: 0 };
  let notSettled = 0;
  const postText = (villager) => {
    const now = Math.floor(Date.now() / 1000);
    const tag = `#${texts.length + 1}`;
    const content = `${['路灯不亮了', '自来水停了', '村道有坑', '低保材料怎么交'][texts.length % 4]}，请帮忙看看${tag}`;
    const rec = { tag, content, status: null };
    texts.push(rec);
    return postSealed(base, seal(textXml({ from: villager, content, msgId: String(5e12 + ++msgSeq), createTime: now }), now)).then((s) => (rec.status = s));
  };
  const postTap = (t, requestId, dup = false) => {
    const now = Math.floor(Date.now() / 1000);
    const rec = { t, requestId, status: null, dup };
    taps.push(rec);
    return postSealedFull(base, seal(tapXml(t), now)).then((x) => Object.assign(rec, x));
  };

  try {
    await startServer();
    for (let trial = 0; trial < o.trials; trial++) {
      const phase = ['intake', 'tap', 'send'][trial % 3];
      phases[phase]++;
      if (phase === 'intake') {
        // Eight villagers write within ~40 ms; the kill lands somewhere in it.
        const posts = [];
        const killAt = Math.floor(r() * 120);
        const killer = sleep(killAt).then(kill);
        for (let i = 0; i < 8; i++) {
          posts.push(postText(villagers[nextVillager++ % villagers.length]));
          await sleep(Math.floor(r() * 10));
        }
        await Promise.all([killer, ...posts]);
      } else if (phase === 'tap') {
        // Open requests with their cards out: every recipient taps 受理 at once, one tap twice.
        const open = readDb((db) =>
          db
            .prepare("SELECT c.id AS id, c.task_id AS taskId, c.request_id AS requestId FROM card c JOIN request q ON q.id = c.request_id WHERE c.kind = 'new_request' AND c.state = 'open' AND q.status = 'pending' ORDER BY c.id DESC LIMIT 4")
            .all()
            .map((c) => ({ ...c, recipients: db.prepare('SELECT platform_user_id AS u FROM card_recipient WHERE card_id = ?').all(c.id).map((x) => x.u) })),
        );
        const now = Math.floor(Date.now() / 1000);
        const posts = [];
        const killer = sleep(30 + Math.floor(r() * 270)).then(kill);
        let code = 0;
        for (const c of open) {
          c.recipients.forEach((from, i) => {
            const t = { taskId: c.taskId, key: 'accept', from, createTime: now - i, responseCode: `crash${trial}-${++code}` };
            fake.tapCode(t.responseCode, t.taskId);
            posts.push(postTap(t, c.requestId));
            if (i === 0) posts.push(postTap(t, c.requestId, true));
          });
        }
        await Promise.all([killer, ...posts]);
      } else {
        // New requests cause receipts and cards; WeCom receives the k-th of them and, before it
        // answers, the server dies.
        const k = 1 + Math.floor(r() * 6);
        let seen = 0;
        let killing = null;
        fake.hold = () => {
          if (killing || ++seen < k) return false;
          killing = kill();
          return true;
        };
        const posts = [];
        for (let i = 0; i < 4; i++) posts.push(postText(villagers[nextVillager++ % villagers.length]));
        await Promise.all(posts);
        const t0 = Date.now();
        while (!killing && Date.now() - t0 < 10_000) await sleep(20);
        if (!killing) killing = kill();
        await killing;
        fake.hold = null;
        for (const h of fake.held.splice(0)) h.reply();
      }
      await kill();
      expireLeases();
      await startServer();
      if (!(await waitSettled(30_000))) notSettled++;
      if ((trial + 1) % 10 === 0) log(`crash: ${trial + 1}/${o.trials} trials`);
    }
    // What the API lists as failed (GET /api/v1/outbox, /deliveries: status=failed by default).
    const auth = { headers: { authorization: `Bearer ${ADMIN}` } };
    const listedOutbox = (await (await fetch(`${base}/api/v1/outbox`, auth)).json()).messages.length;
    const listedDeliveries = (await (await fetch(`${base}/api/v1/deliveries`, auth)).json()).deliveries.length;
    // A clean stop at the end.
    const c = child;
    const gone = new Promise((res) => c.once('exit', res));
    c.kill('SIGTERM');
    await gone;

    // The checks, on the database.
    const result = readDb((db) => {
      const reqBy = db.prepare('SELECT id, code FROM request WHERE text = ?');
      let textsOnce = 0;
      let textsTwice = 0;
      let textsLost = 0;
      let unackedEffect = 0;
      let noReceipt = 0;
      const receipts = new Map();
      for (const m of fake.sends) if (m.key.startsWith('text:')) for (const u of m.to) receipts.set(u, (receipts.get(u) || '') + m.key);
      for (const t of texts) {
        const rows = reqBy.all(t.content);
        if (rows.length > 1) textsTwice++;
        if (t.status === 200) {
          if (rows.length === 1) textsOnce++;
          else if (rows.length === 0) textsLost++;
          if (rows.length >= 1 && !fake.sends.some((m) => m.key.startsWith('text:') && m.key.includes(rows[0].code))) noReceipt++;
        } else if (rows.length) unackedEffect++;
      }
      const del = db.prepare('SELECT status FROM inbound_delivery WHERE dedupe_key = ?');
      let tapsLost = 0;
      let tapsAcked = 0;
      const tapped = new Set();
      for (const t of taps) {
        if (t.status !== 200) continue;
        tapsAcked++;
        tapped.add(t.requestId);
        const row = del.get(tapDedupeKey(t.t));
        if (!row || (row.status !== 'done' && row.status !== 'ignored')) tapsLost++;
      }
      let oneOwner = 0;
      let badOwner = 0;
      for (const id of tapped) {
        const q = db.prepare('SELECT owner_id AS owner FROM request WHERE id = ?').get(id);
        const n = db.prepare("SELECT COUNT(*) AS n FROM request_event WHERE request_id = ? AND type = 'accepted'").get(id).n;
        if (q.owner && n === 1) oneOwner++;
        else badOwner++;
      }
      const twiceAccepted = db.prepare("SELECT COUNT(*) AS n FROM (SELECT request_id FROM request_event WHERE type = 'accepted' GROUP BY request_id HAVING COUNT(*) > 1) x").get().n;
      const inbound = {};
      for (const x of db.prepare('SELECT status, COUNT(*) AS n FROM inbound_delivery GROUP BY status').all()) inbound[x.status] = x.n;
      const outbox = {};
      for (const x of db.prepare('SELECT status, COUNT(*) AS n FROM outbox_message GROUP BY status').all()) outbox[x.status] = x.n;
      const sentRows = (kinds) => db.prepare(`SELECT COUNT(*) AS n FROM outbox_message WHERE status = 'sent' AND kind IN (${kinds.map(() => '?').join(',')})`).get(...kinds).n;
      const messageRows = sentRows(['text', 'card', 'image']);
      const updateRows = sentRows(['card_update']);
      return { messageRows, updateRows, textsOnce, textsTwice, textsLost, unackedEffect, noReceipt, tapsLost, tapsAcked, oneOwner, badOwner, twiceAccepted, inbound, outbox, tapped: tapped.size };
    });
    const ackedTexts = texts.filter((t) => t.status === 200).length;
    // One outbox row is one message: message/send calls beyond the rows sent are sends repeated across a
    // crash (no row failed after a call here, or it is listed). WeCom's duplicate check
    // (enable_duplicate_check) drops a message of the same content to the same people within its
    // interval — a resend, or a text identical to one sent before (e.g. 该卡片已处理 to one cadre twice):
    // delivered to nobody. What still reached the same people twice is counted at the fake. A card
    // update is an update_template_card WeCom took (either shape) or, with no code left, a text; a used
    // code (42022) is spent and the next one tried.
    const sendCalls = fake.counts['/cgi-bin/message/send'] || 0;
    const updateCalls = fake.counts['/cgi-bin/message/update_template_card'] || 0;
    // Calls for messages (not card updates sent as a text) beyond the rows sent: sent again after a crash.
    const dupSends = sendCalls - fake.fallbackCalls - result.messageRows;
    const deliveredTwice = fake.duplicateSends();
    const dupUpdates = fake.updates.length + fake.fallbackTexts.length - result.updateRows;
    const replies = taps.filter((t) => t.status === 200 && t.reply && t.reply !== 'bad reply').length;
    const badReplies = taps.filter((t) => t.reply === 'bad reply').length;
    const outboxOk = !result.outbox.pending && !result.outbox.sending && listedOutbox === (result.outbox.failed ?? 0);
    const inboundOk = !result.inbound.received && !result.inbound.processing && listedDeliveries === (result.inbound.failed ?? 0);
    const effectOk = badReplies === 0 && result.textsLost === 0 && result.textsTwice === 0 && result.tapsLost === 0 && result.badOwner === 0 && result.twiceAccepted === 0 && result.noReceipt === 0 && inboundOk;
    return {
      ok: effectOk && outboxOk && notSettled === 0,
      logDir,
      rows: [
        {
          what: `${o.trials} SIGKILLs of \`minqing serve\` (${phases.intake} in intake, ${phases.tap} in 受理 taps, ${phases.send} while WeCom held a send), restart, finish`,
          result: `${ackedTexts}/${texts.length} villager texts acknowledged: ${result.textsOnce} opened exactly one request, ${result.textsLost} none, ${result.textsTwice} two; ${result.unackedEffect} unacknowledged took effect anyway (once); ${result.noReceipt} without a receipt · ${result.tapsAcked} 受理 taps acknowledged on ${result.tapped} requests: ${result.tapsLost} lost, ${result.oneOwner} requests with exactly one owner, ${result.badOwner} without; ${result.twiceAccepted} accepted twice; ${replies} taps answered with a passive reply, ${badReplies} malformed · deliveries ${JSON.stringify(result.inbound)} (${listedDeliveries} listed failed by the API)${notSettled ? ` · ${notSettled} trials did not settle in 30 s` : ''}`,
          pass: effectOk && notSettled === 0,
        },
        {
          what: 'every outbox row sent or listed failed; messages WeCom got twice across a crash (at-least-once) counted',
          result: `outbox ${JSON.stringify(result.outbox)} (${result.outbox.failed ?? 0} failed, ${listedOutbox} listed by GET /api/v1/outbox); ${sendCalls} message/send calls for ${result.messageRows} messages sent: **${dupSends} sent again** after a crash (at-least-once); WeCom's duplicate check dropped ${fake.dupDropped} calls in all (resends, and texts identical to one sent to the same person within its interval), **${deliveredTwice} delivered twice** to the same people; ${result.updateRows} card updates: ${updateCalls} update_template_card calls, ${fake.updates.length} taken, ${fake.fallbackTexts.length} as a text, **${dupUpdates} applied twice** across a crash (a used response_code refused ${fake.codeReuse}×, ${fake.badUpdates} refused for their card)`,
          pass: outboxOk,
        },
      ],
    };
  } finally {
    fake.hold = null;
    await kill();
    await fake.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

module.exports = { runCrash };
