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
/** How a card update sent as a text begins (src/domain/texts.ts cardUpdateText). */
const FALLBACK_PREFIX = '【民情直通车】';

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

/**
 * What a callback's answer body says: '' (the empty answer), or the passive reply's button text when it
 * is WeCom's encrypted passive reply (被动回复, MsgType update_button) with a good signature — or
 * 'bad reply' when it is anything else.
 */
function passiveReply(body) {
  if (!body) return '';
  try {
    const { decrypt, getSignature } = require('@wecom/crypto');
    const enc = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(body)?.[1];
    const sig = /<MsgSignature><!\[CDATA\[([^\]]+)\]\]><\/MsgSignature>/.exec(body)?.[1];
    const ts = /<TimeStamp>(\d+)<\/TimeStamp>/.exec(body)?.[1];
    const nonce = /<Nonce><!\[CDATA\[([^\]]+)\]\]><\/Nonce>/.exec(body)?.[1];
    if (!enc || !sig || !ts || !nonce || getSignature(TEST_WECOM.WECOM_TOKEN, ts, nonce, enc) !== sig) return 'bad reply';
    const { message, id } = decrypt(TEST_WECOM.WECOM_ENCODING_AES_KEY, enc);
    if (id !== TEST_WECOM.WECOM_CORP_ID || !message.includes('update_button')) return 'bad reply';
    return /<ReplaceName><!\[CDATA\[(.*?)\]\]><\/ReplaceName>/s.exec(message)?.[1] ?? 'bad reply';
  } catch {
    return 'bad reply';
  }
}

/** POSTs a sealed callback; resolves to `{ status, reply }` (status 0 when the connection failed; reply as `passiveReply`). */
function postSealedFull(base, sealed, timeoutMs = 10_000) {
  return new Promise((resolve) => {
    const u = new URL(`${base}/wecom/callback?${sealed.query}`);
    const req = http.request(
      { host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: 'POST', headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(sealed.body) }, agent: false, timeout: timeoutMs },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, reply: passiveReply(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', () => resolve({ status: 0, reply: '' }));
      },
    );
    req.on('error', () => resolve({ status: 0, reply: '' }));
    req.on('timeout', () => req.destroy());
    req.end(sealed.body);
  });
}

/** POSTs a sealed callback; resolves to the HTTP status (0 when the connection failed). */
const postSealed = (base, sealed, timeoutMs) => postSealedFull(base, sealed, timeoutMs).then((r) => r.status);

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
 * with 42022 and counted), gettoken and media/upload. `hold(call)` may return true to keep a call's
 * answer back (the crash part kills the server while WeCom has the message but minqing has no answer).
 *
 * It takes both ways minqing has updated cards: only the buttons' text (`button.replace_name`) and the
 * whole card again (`template_card`, whose task_id must be the code's card), and, when no code is left,
 * the change as a text (【民情直通车】…, counted in `fallbackTexts`). message/send with
 * `enable_duplicate_check` is deduplicated as WeCom does: the same content to the same recipients within
 * `duplicate_check_interval` seconds (of `now()`) is answered ok and delivered to nobody (`dupDropped`).
 */
function startProofWecom({ now = () => Date.now(), keepSends = true } = {}) {
  let seq = 0;
  const s = {
    base: '',
    counts: {},
    /** message/send calls WeCom delivered: { at, to: [ids], msgtype, key, fallback } (key: the text, or the card's task_id; fallback: a card update as a text). */
    sends: [],
    /** message/send calls WeCom dropped as duplicates (enable_duplicate_check). */
    dupDropped: 0,
    /** message/send calls (delivered or dropped) that are card updates as a text. */
    fallbackCalls: 0,
    /** Delivered message/sends that are card updates as a text (no code left): { at, to, text }. */
    fallbackTexts: [],
    /** update_template_card calls WeCom took: { at, code, taskId, userids, shape: 'card' | 'button' }. */
    updates: [],
    /** update_template_card calls refused for their card (task_id not the code's card, no button or card). */
    badUpdates: 0,
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
  /** enable_duplicate_check: last delivery time per recipients + content. */
  const lastSeen = new Map();
  /** Whether WeCom delivers this message/send (false: a duplicate it drops). */
  const delivers = (body, at) => {
    if (!body.enable_duplicate_check) return true;
    const k = `${body.touser ?? ''}\u0000${body.toparty ?? ''}\u0000${body.msgtype}\u0000${JSON.stringify(body[body.msgtype] ?? {})}`;
    const windowMs = Number(body.duplicate_check_interval ?? 1800) * 1000;
    const last = lastSeen.get(k);
    if (last !== undefined && at - last < windowMs) return false;
    lastSeen.set(k, at);
    return true;
  };
  const record = (path, body) => {
    const at = now();
    if (path === '/cgi-bin/message/send') {
      if (body.msgtype === 'text' && String(body.text?.content ?? '').startsWith(FALLBACK_PREFIX)) s.fallbackCalls++;
      if (!delivers(body, at)) {
        s.dupDropped++;
        return;
      }
      const to = String(body.touser ?? '').split('|').filter(Boolean);
      const key = body.msgtype === 'template_card' ? `card:${body.template_card?.task_id}` : body.msgtype === 'text' ? `text:${body.text?.content}` : `${body.msgtype}:${JSON.stringify(body[body.msgtype] ?? {})}`;
      const fallback = body.msgtype === 'text' && String(body.text?.content ?? '').startsWith(FALLBACK_PREFIX);
      if (keepSends) s.sends.push({ at, to, msgtype: body.msgtype, key, fallback });
      if (fallback) s.fallbackTexts.push({ at, to, text: String(body.text.content) });
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
        return { errcode: 42022, errmsg: 'response_code has been used' };
      }
      if (!s.codeTask.has(code)) {
        s.unknownCodes++;
        return { errcode: 40058, errmsg: 'invalid response_code' };
      }
      const taskId = s.codeTask.get(code);
      const shape = body.template_card ? 'card' : body.button ? 'button' : null;
      if (!shape || (shape === 'card' && body.template_card.task_id !== taskId)) {
        s.badUpdates++;
        return { errcode: 40058, errmsg: shape ? 'invalid task_id' : 'missing button or template_card' };
      }
      s.usedCodes.add(code);
      s.updates.push({ at: now(), code, taskId, userids: (body.userids ?? []).map(String), shape });
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
  /**
   * Copies of cards updated, per `${taskId}|${userid}`: update_template_card calls WeCom took (either
   * shape) plus fallback texts naming the card's request (`taskOfCode`: request code → task id).
   */
  s.copyUpdates = (taskOfCode = new Map()) => {
    const copies = new Map();
    const bump = (k) => copies.set(k, (copies.get(k) || 0) + 1);
    for (const u of s.updates) for (const who of u.userids) bump(`${u.taskId}|${who}`);
    for (const f of s.fallbackTexts) {
      const code = f.text.slice(FALLBACK_PREFIX.length).split('「')[0];
      const taskId = taskOfCode.get(code);
      if (taskId) for (const who of f.to) bump(`${taskId}|${who}`);
    }
    return copies;
  };
  /** message/send deliveries beyond the first with the same recipients and content: repeats. */
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

module.exports = { FALLBACK_PREFIX, ROOT, TEST_WECOM, rng, writeOrg, textXml, tapXml, tapDedupeKey, seal, postSealed, postSealedFull, passiveReply, freePort, sleep, startProofWecom, percentile };
