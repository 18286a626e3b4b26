'use strict';
/**
 * Part "load" of `npm run bench:proof`: signed WeCom card taps (template_card_event) at a fixed rate
 * over requests opened beforehand, with exact duplicate deliveries and concurrent 受理 taps by the
 * card's different recipients, against minqing from dist/ (test/bench/server.js `real`, workers on,
 * SQLite) and against bare Koa at the same rate. Then: every acknowledged tap processed, one owner
 * per request, every other copy of each new-request card updated once at the fake WeCom API.
 */
const { children, start, exited, receive } = require('./children');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Database = require('better-sqlite3');
const { rng, writeOrg, textXml, tapXml, tapDedupeKey, seal, postSealed, sleep, startProofWecom } = require('./proof-common');

process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/**
 * The taps: first each request's recipients all tap 受理 at once (adjacent in the stream, so they
 * reach the server together), then more 受理 taps by random recipients (people tap again when
 * nothing seems to happen); `dupShare` of all deliveries are exact copies of a delivery a few
 * places before (WeCom's retries). Each distinct tap has its own CreateTime per (card, tapper) —
 * the dedupe key — and its own response_code.
 */
function plan(cards, total, dupShare, fake, r) {
  const items = [];
  const distinct = [];
  const nextTime = new Map();
  const base = Math.floor(Date.now() / 1000);
  let code = 0;
  const add = (card, from) => {
    const k = `${card.taskId}|${from}`;
    const back = nextTime.get(k) ?? 0;
    nextTime.set(k, back + 1);
    const t = { taskId: card.taskId, key: 'accept', from, createTime: base - back, responseCode: `tap${++code}` };
    fake.tapCode(t.responseCode, t.taskId);
    distinct.push(t);
    items.push({ plain: tapXml(t), tap: distinct.length - 1 });
  };
  const dupOdds = dupShare / (1 - dupShare);
  const maybeDup = () => {
    if (items.length > 1 && r() < dupOdds) {
      const back = 1 + Math.floor(r() * Math.min(items.length - 1, 30));
      let j = items.length - back;
      while (items[j].dupOf !== undefined) j = items[j].dupOf;
      items.push({ dupOf: j, tap: items[j].tap });
    }
  };
  for (const c of cards) {
    for (const from of c.recipients) {
      add(c, from);
      maybeDup();
    }
  }
  while (items.length < total) {
    const c = cards[Math.floor(r() * cards.length)];
    add(c, c.recipients[Math.floor(r() * c.recipients.length)]);
    if (items.length < total) maybeDup();
  }
  return { items: items.slice(0, total), distinct };
}

async function runTaps(url, items, o, tmp) {
  const planFile = path.join(tmp, `plan-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(planFile, JSON.stringify({ items: items.map((i) => (i.dupOf !== undefined ? { dupOf: i.dupOf } : { plain: i.plain })) }));
  const gen = start('proof-taps.js', []);
  gen.send({ plan: planFile, url, rate: o.rate, connections: o.connections });
  const { result } = await receive(gen, 'result');
  await exited(gen);
  fs.rmSync(planFile, { force: true });
  return result;
}

function counts(db, table) {
  const c = {};
  for (const r of db.prepare(`SELECT status, COUNT(*) AS n FROM ${table} GROUP BY status`).all()) c[r.status] = r.n;
  return c;
}

async function waitFor(fn, maxMs, stepMs = 250) {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v || Date.now() - t0 > maxMs) return v;
    await sleep(stepMs);
  }
}

async function runLoad(o, log) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minqing-proof-load-'));
  const r = rng(20261203);
  const villages = Math.ceil(o.requests / 4);
  const org = writeOrg(path.join(tmp, 'org.json'), { villages, villagersPer: 4 });
  const fake = await startProofWecom();
  const total = Math.round(o.rate * o.seconds);
  const out = { rows: [], ok: true };
  try {
    // 1. Bare Koa at the same rate with the same stream (it ignores the bodies): the floor.
    log(`load: bare Koa, ${o.rate}/s for ${o.seconds}s`);
    const bare = start('server.js', ['bare'], {});
    const { port: barePort } = await receive(bare, 'ready');
    // A stand-in plan of the same size and shape (the tap bodies need the real server's cards).
    const standIn = { items: Array.from({ length: total }, (_, i) => ({ plain: textXml({ from: 'V_0_0', content: 'x', msgId: String(1e12 + i), createTime: 1 }) })) };
    const bareRes = await runTaps(`http://127.0.0.1:${barePort}/wecom/callback`, standIn.items, o, tmp);
    bare.send({ cmd: 'stop' });
    await exited(bare);

    // 2. minqing, with `requests` requests opened beforehand by villagers' texts.
    const server = start('server.js', ['real'], { BENCH_ORG_FILE: org.file, BENCH_WECOM_API_BASE: fake.base, BENCH_WORKERS: 'on' });
    const { port, dbFile } = await receive(server, 'ready');
    const base = `http://127.0.0.1:${port}`;
    log(`load: opening ${o.requests} requests`);
    const now = Math.floor(Date.now() / 1000);
    let n = 0;
    const opens = [];
    for (const v of org.byVillage) {
      for (const villager of v.villagers) {
        if (n >= o.requests) break;
        n++;
        opens.push(postSealed(base, seal(textXml({ from: villager, content: `第${n}号：${['村口路灯坏了', '水管冻裂停水', '村道塌方', '垃圾没人清'][n % 4]}，麻烦看看（${villager}）`, msgId: String(8e12 + n), createTime: now }), now)));
      }
    }
    const openStatus = await Promise.all(opens);
    if (openStatus.some((s) => s !== 200)) throw new Error(`opening requests: statuses ${[...new Set(openStatus)].join(',')}`);
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    const ready = await waitFor(() => {
      const c = db.prepare("SELECT COUNT(*) AS n FROM card WHERE kind = 'new_request'").get().n;
      const pending = db.prepare("SELECT COUNT(*) AS n FROM outbox_message WHERE status IN ('pending','sending')").get().n;
      return c === o.requests && pending === 0;
    }, 120_000);
    if (!ready) throw new Error('the requests opened beforehand did not all get their cards sent within 120 s');
    const cards = db
      .prepare("SELECT c.task_id AS taskId, c.request_id AS requestId FROM card c WHERE c.kind = 'new_request' ORDER BY c.id")
      .all()
      .map((c) => ({ ...c, recipients: db.prepare('SELECT platform_user_id AS u FROM card_recipient WHERE card_id = (SELECT id FROM card WHERE task_id = ?)').all(c.taskId).map((x) => x.u) }));
    const before = counts(db, 'inbound_delivery');
    const sendsBefore = fake.sends.length;

    // 3. The taps.
    const { items, distinct } = plan(cards, total, o.dupShare, fake, r);
    const dups = items.filter((i) => i.dupOf !== undefined).length;
    log(`load: ${items.length} taps (${distinct.length} distinct, ${dups} exact duplicates) at ${o.rate}/s on ${cards.length} requests`);
    const res = await runTaps(`${base}/wecom/callback`, items, o, tmp);
    const acked = new Set();
    res.status.forEach((s, i) => s === 200 && acked.add(items[i].tap));
    log(`load: ${res.answered} answered (${res.status.filter((s) => s === 200).length} × 200), p50 ${res.p50.toFixed(1)} ms, p99 ${res.p99.toFixed(1)} ms; waiting for the work after the answer`);

    // 4. Let it finish: every stored tap processed, every card update sent.
    const tDrain = Date.now();
    const drained = await waitFor(() => {
      const c = counts(db, 'inbound_delivery');
      const upd = db.prepare("SELECT COUNT(*) AS n FROM outbox_message WHERE kind = 'card_update' AND status IN ('pending','sending')").get().n;
      return !(c.received || c.processing) && upd === 0;
    }, o.drainMaxS * 1000, 500);
    const drainS = (Date.now() - tDrain) / 1000;
    const after = counts(db, 'inbound_delivery');

    // Every acknowledged distinct tap is a stored delivery that was processed.
    const stmt = db.prepare('SELECT status FROM inbound_delivery WHERE dedupe_key = ?');
    let lost = 0;
    let unprocessed = 0;
    for (const i of acked) {
      const row = stmt.get(tapDedupeKey(distinct[i]));
      if (!row) lost++;
      else if (row.status !== 'done' && row.status !== 'ignored') unprocessed++;
    }
    const stored = db.prepare("SELECT COUNT(*) AS n FROM inbound_delivery WHERE kind = 'card_action'").get().n;

    // One owner per request, one 受理 on its timeline, the owner one of the card's recipients.
    let owners = 0;
    let badOwners = 0;
    const ownerOf = new Map();
    for (const c of cards) {
      const req = db.prepare('SELECT owner_id AS owner FROM request WHERE id = ?').get(c.requestId);
      const accepted = db.prepare("SELECT COUNT(*) AS n FROM request_event WHERE request_id = ? AND type = 'accepted'").get(c.requestId).n;
      const ownerWecom = req.owner ? Object.keys(org.personOf).find((k) => org.personOf[k] === req.owner) : null;
      if (req.owner && accepted === 1 && c.recipients.includes(ownerWecom)) owners++;
      else badOwners++;
      ownerOf.set(c.taskId, ownerWecom);
    }

    // Every other copy of each card updated once: update_template_card at the fake (either shape: the
    // buttons' text or the whole card, matched to its card by response_code), or the change as a text
    // when no code was left. Passive replies on the taps (the tapper's own copy, at once) counted apart.
    const taskOfCode = new Map(db.prepare("SELECT q.code AS code, c.task_id AS taskId FROM card c JOIN request q ON q.id = c.request_id WHERE c.kind = 'new_request'").all().map((x) => [x.code, x.taskId]));
    const copies = fake.copyUpdates(taskOfCode);
    const passive = { replies: 0, bad: 0, copies: new Set(), texts: new Map() };
    res.replies.forEach((reply, i) => {
      if (!reply) return;
      if (reply === 'bad reply') return void passive.bad++;
      passive.replies++;
      passive.texts.set(reply, (passive.texts.get(reply) || 0) + 1);
      const t = distinct[items[i].tap];
      passive.copies.add(`${t.taskId}|${t.from}`);
    });
    const shapes = {};
    for (const u of fake.updates) shapes[u.shape] = (shapes[u.shape] || 0) + 1;
    let once = 0;
    let never = 0;
    let twice = 0;
    let others = 0;
    for (const c of cards) {
      for (const who of c.recipients) {
        if (who === ownerOf.get(c.taskId)) continue;
        others++;
        const k = copies.get(`${c.taskId}|${who}`) || 0;
        if (k === 1) once++;
        else if (k === 0) never++;
        else twice++;
      }
    }
    const outbox = counts(db, 'outbox_message');
    db.close();
    server.send({ cmd: 'stop' });
    await exited(server);

    const non200 = res.status.filter((s) => s !== 200).length;
    const okLost = lost === 0 && unprocessed === 0 && drained;
    const okOwner = badOwners === 0;
    const okCopies = never === 0 && twice === 0 && fake.codeReuse === 0 && fake.badUpdates === 0 && passive.bad === 0;
    // WeCom waits 5 s for the answer, then retries (the same delivery again): every tap answered within
    // that; p50/p99 stand next to bare Koa's for the reader.
    const okLatency = non200 === 0 && res.max < 5000;
    out.ok = okLost && okOwner && okCopies && okLatency;
    out.rows.push(
      {
        what: `${items.length.toLocaleString('en-US')} signed card taps at ${o.rate}/s for ${o.seconds} s on ${cards.length} requests (${cards[0]?.recipients.length ?? 0} recipients each), ${dups.toLocaleString('en-US')} exact duplicates (${Math.round((dups / items.length) * 100)} %), all recipients tapping 受理 at once`,
        result: `${res.status.filter((s) => s === 200).length.toLocaleString('en-US')} acknowledged (${non200} not); ${lost} lost, ${unprocessed} unprocessed; ${stored.toLocaleString('en-US')} distinct deliveries stored (of ${distinct.length.toLocaleString('en-US')} distinct taps), all processed ${drained ? `${drainS.toFixed(0)} s after the load` : `— NOT within ${o.drainMaxS} s`}; deliveries ${JSON.stringify(after)}`,
        pass: okLost,
      },
      { what: 'one owner per request (one 受理 on the timeline, a recipient of the card)', result: `${owners}/${cards.length} requests${badOwners ? `, ${badOwners} wrong` : ''}`, pass: okOwner },
      {
        what: 'every other copy of each card updated once (update_template_card of either shape at the fake WeCom, or the change as a text when no code is left); passive replies on the taps counted',
        result: `${once}/${others} copies once, ${never} never, ${twice} more than once; ${fake.updates.length} update_template_card calls taken ${JSON.stringify(shapes)}, ${fake.fallbackTexts.length} as a text, ${fake.badUpdates} refused for their card, response_code reused ${fake.codeReuse}×, unknown ${fake.unknownCodes}×; passive replies: ${fmt(passive.replies)} (${[...passive.texts].map(([k, v]) => `${k} ×${fmt(v)}`).join(', ') || 'none'}) on ${fmt(passive.copies.size)} tappers' copies, ${passive.bad} malformed; ${fmt(fake.sends.length - sendsBefore)} messages sent meanwhile (${fake.dupDropped} dropped by WeCom's duplicate check), outbox ${JSON.stringify(outbox)} (pending: paced at 30/min per member)`,
        pass: okCopies,
      },
      {
        what: `callback latency at ${o.rate}/s, open loop (minqing vs bare Koa, same rate and connections): every tap answered within WeCom's 5 s`,
        result: `minqing p50 ${res.p50.toFixed(1)} ms, p99 ${res.p99.toFixed(1)} ms, max ${res.max.toFixed(0)} ms · bare Koa p50 ${bareRes.p50.toFixed(1)} ms, p99 ${bareRes.p99.toFixed(1)} ms · achieved ${res.rate.toFixed(0)}/s`,
        pass: okLatency,
      },
    );
    void before;
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await fake.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

const fmt = (n) => Number(n).toLocaleString('en-US');

module.exports = { runLoad };
