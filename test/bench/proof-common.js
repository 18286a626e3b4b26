'use strict';
/**
 * What the parts of `npm run bench:proof` (test/bench/proof.js) share: a generated county org file,
 * signed WeCom callbacks, a counting fake WeCom API on loopback, small HTTP and SQLite helpers.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { TEST_WECOM, seal } = require('./wecom-fixture');

const ROOT = path.resolve(__dirname, '..', '..');
const cdata = (s) => `<![CDATA[${s}]]>`;

/** A small deterministic PRNG (mulberry32): every run draws the same plan from the same seed. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An org file in the CONTRACT §4 format: `villages` villages, each with two village cadres (both on
 * duty every day) and one resident cadre, `villagersPer` listed villagers each (more for the
 * villages in `extraVillagers`), four leaders and two people in the township office.
 * Returns the file and who is who (WeCom ids).
 */
function writeOrg(file, { villages, villagersPer, extraVillagers = {}, township = '青石县城关镇' }) {
  const people = [
    { id: 'shuji', name: '王书记', roles: ['leader'], position: 'party_secretary', wecom: 'L_shuji' },
    { id: 'zhenzhang', name: '陈镇长', roles: ['leader'], wecom: 'L_zhenzhang' },
    { id: 'fenguan1', name: '孙副镇长', roles: ['leader'], wecom: 'L_fenguan1' },
    { id: 'fenguan2', name: '赵副书记', roles: ['leader'], wecom: 'L_fenguan2' },
    { id: 'office1', name: '民情处理站', roles: ['township_office'], wecom: 'O_office1' },
    { id: 'office2', name: '党政办', roles: ['township_office'], wecom: 'O_office2' },
  ];
  const vs = [];
  const villagers = [];
  const byVillage = [];
  for (let v = 0; v < villages; v++) {
    const a = `v${v}a`;
    const b = `v${v}b`;
    const r = `v${v}r`;
    people.push({ id: a, name: `村干部${v}甲`, roles: ['village_cadre'], wecom: `C_${a}` });
    people.push({ id: b, name: `村干部${v}乙`, roles: ['village_cadre'], wecom: `C_${b}` });
    people.push({ id: r, name: `驻村干部${v}`, roles: ['resident_cadre'], wecom: `C_${r}` });
    const duty = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [a, b]]));
    vs.push({ id: `vil${v}`, name: `第${v}村`, resident: [r], cadres: [a, b], secretary: a, duty });
    const mine = [];
    const n = extraVillagers[v] ?? villagersPer;
    for (let k = 0; k < n; k++) {
      const id = `V_${v}_${k}`;
      villagers.push({ name: `村民${v}之${k}`, village: `vil${v}`, wecom: id });
      mine.push(id);
    }
    byVillage.push({ id: `vil${v}`, cadres: [`C_${a}`, `C_${b}`], resident: `C_${r}`, villagers: mine });
  }
  fs.writeFileSync(file, JSON.stringify({ township: { name: township }, people, villages: vs, villagers }));
  return { file, byVillage, leaders: people.filter((p) => p.roles.includes('leader')).map((p) => p.wecom), personOf: Object.fromEntries(people.map((p) => [p.wecom, p.id])) };
}

function textXml({ from, content, msgId, createTime }) {
  return (
    `<xml><ToUserName>${cdata(TEST_WECOM.WECOM_CORP_ID)}</ToUserName><FromUserName>${cdata(from)}</FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(content)}</Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`
  );
}

/** A template_card_event (a button tap), as WeCom delivers it. */
function tapXml({ from, taskId, key, responseCode, createTime }) {
  return (
    `<xml><ToUserName>${cdata(TEST_WECOM.WECOM_CORP_ID)}</ToUserName><FromUserName>${cdata(from)}</FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType>${cdata('event')}</MsgType>` +
    `<Event>${cdata('template_card_event')}</Event><EventKey>${cdata(key)}</EventKey><TaskId>${cdata(taskId)}</TaskId>` +
    `<CardType>${cdata('button_interaction')}</CardType><ResponseCode>${cdata(responseCode)}</ResponseCode>` +
    `<AgentID>1000002</AgentID></xml>`
  );
}

/** The key minqing stores a tap under (bot/wecom/decode.ts, src/inbound/processor.ts dedupeColumn). */
function tapDedupeKey({ taskId, key, from, createTime }) {
  const k = `wecom:card:${taskId}:${key}:${from}:${createTime}`;
  return k.length <= 191 ? k : `${k.slice(0, 150)}#${crypto.createHash('sha256').update(k).digest('hex').slice(0, 40)}`;
}

/** POSTs a sealed callback; resolves to the HTTP status (0 when the connection failed). */
function postSealed(base, sealed, timeoutMs = 10_000) {
  return new Promise((resolve) => {
    const u = new URL(`${base}/wecom/callback?${sealed.query}`);
    const req = http.request(
      { host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: 'POST', headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(sealed.body) }, agent: false, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end(sealed.body);
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A fake qyapi.weixin.qq.com on 127.0.0.1 that counts what minqing sends: every message/send (by
 * recipient and content, with the time of `now()`, so pacing can be checked), every
 * update_template_card (by response_code, which is single use as at WeCom: a second use is refused
 * with 40058 and counted), gettoken and media/upload. `hold(call)` may return true to keep a call's
 * answer back (the crash part kills the server while WeCom has the message but minqing has no answer).
 */
function startProofWecom({ now = () => Date.now(), keepSends = true } = {}) {
  let seq = 0;
  const s = {
    base: '',
    counts: {},
    /** message/send calls: { at, to: [ids], msgtype, key } (key: the text, or the card's task_id). */
    sends: [],
    /** update_template_card calls: { at, code, taskId, userids }. */
    updates: [],
    /** response_code → task id, for codes handed out by message/send or registered for taps. */
    codeTask: new Map(),
    usedCodes: new Set(),
    codeReuse: 0,
    unknownCodes: 0,
    /** Per member: the times (now()) of every message/send that reached them. */
    perMember: new Map(),
    hold: null,
    held: [],
  };
  const record = (path, body) => {
    const at = now();
    if (path === '/cgi-bin/message/send') {
      const to = String(body.touser ?? '').split('|').filter(Boolean);
      const key = body.msgtype === 'template_card' ? `card:${body.template_card?.task_id}` : body.msgtype === 'text' ? `text:${body.text?.content}` : `${body.msgtype}:${JSON.stringify(body[body.msgtype] ?? {})}`;
      if (keepSends) s.sends.push({ at, to, msgtype: body.msgtype, key });
      for (const u of to) {
        let list = s.perMember.get(u);
        if (!list) s.perMember.set(u, (list = []));
        list.push(at);
      }
    }
  };
  const answer = (path, body) => {
    if (path === '/cgi-bin/gettoken') return { errcode: 0, errmsg: 'ok', access_token: `tok${++seq}`, expires_in: 7200 };
    if (path === '/cgi-bin/message/send') {
      const out = { errcode: 0, errmsg: 'ok', invaliduser: '', msgid: `msg${++seq}` };
      if (body.msgtype === 'template_card') {
        out.response_code = `rc${seq}`;
        s.codeTask.set(out.response_code, body.template_card?.task_id);
      }
      return out;
    }
    if (path === '/cgi-bin/message/update_template_card') {
      const code = String(body.response_code ?? '');
      if (s.usedCodes.has(code)) {
        s.codeReuse++;
        return { errcode: 40058, errmsg: 'response_code used' };
      }
      if (!s.codeTask.has(code)) {
        s.unknownCodes++;
        return { errcode: 40058, errmsg: 'invalid response_code' };
      }
      s.usedCodes.add(code);
      s.updates.push({ at: now(), code, taskId: s.codeTask.get(code), userids: (body.userids ?? []).map(String) });
      return { errcode: 0, errmsg: 'ok', invaliduser: [] };
    }
    if (path === '/cgi-bin/media/upload') return { errcode: 0, errmsg: 'ok', type: 'image', media_id: `media${++seq}` };
    return { errcode: 0, errmsg: 'ok', msgid: `msg${++seq}` };
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const p = (req.url || '/').split('?')[0];
      s.counts[p] = (s.counts[p] || 0) + 1;
      let body = {};
      if ((req.headers['content-type'] || '').includes('json') && chunks.length) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = {};
        }
      }
      const call = { path: p, body };
      // The platform has the message as soon as it has read it: counted before any answer.
      record(p, body);
      const out = JSON.stringify(answer(p, body));
      const reply = () => {
        if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(out);
      };
      if (s.hold && s.hold(call)) s.held.push({ call, reply, res });
      else reply();
    });
  });
  /** Registers a response_code a tap will carry (WeCom hands one out with every tap). */
  s.tapCode = (code, taskId) => s.codeTask.set(code, taskId);
  /** message/send calls beyond the first with the same recipients and content: repeats. */
  s.duplicateSends = () => {
    const seen = new Map();
    for (const m of s.sends) {
      const k = `${m.to.join('|')}\u0000${m.key}`;
      seen.set(k, (seen.get(k) || 0) + 1);
    }
    let dup = 0;
    for (const n of seen.values()) dup += n - 1;
    return dup;
  };
  /** The most messages any one member got in a window of `ms` (and who). */
  s.maxInWindow = (ms) => {
    let best = { n: 0, who: null };
    for (const [who, list] of s.perMember) {
      const t = [...list].sort((a, b) => a - b);
      let j = 0;
      for (let i = 0; i < t.length; i++) {
        while (t[i] - t[j] >= ms) j++;
        if (i - j + 1 > best.n) best = { n: i - j + 1, who };
      }
    }
    return best;
  };
  s.overLimit = (ms, limit) => {
    const over = [];
    for (const [who, list] of s.perMember) {
      const t = [...list].sort((a, b) => a - b);
      let j = 0;
      for (let i = 0; i < t.length; i++) {
        while (t[i] - t[j] >= ms) j++;
        if (i - j + 1 > limit) {
          over.push(who);
          break;
        }
      }
    }
    return over;
  };
  s.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      s.base = `http://127.0.0.1:${server.address().port}`;
      resolve(s);
    }),
  );
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

module.exports = { ROOT, TEST_WECOM, rng, writeOrg, textXml, tapXml, tapDedupeKey, seal, postSealed, freePort, sleep, startProofWecom, percentile };
