'use strict';
/**
 * Plain-JS port of what the benchmark needs from test/helpers/wecom.ts and test/helpers/fake-wecom.ts:
 * the test app's WeCom credentials, a villager text message, WeCom-style encrypt+sign, and a
 * minimal fake WeCom server API for the outbox to send to (and media/get for the download queue).
 */
const crypto = require('node:crypto');
const http = require('node:http');
const { encrypt, getSignature } = require('@wecom/crypto');

const TEST_WECOM = {
  WECOM_CORP_ID: 'wwminqingtest0001',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 's3cret',
  WECOM_TOKEN: 'QDG6eKtest',
  WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
};

/** The size of each photo the fake media/get serves (BENCH_MEDIA_KB, default 100 KB). */
const MEDIA_BYTES = Number(process.env.BENCH_MEDIA_KB || 100) * 1024;

/** Villagers listed in org.example.json (known senders: their messages are stored, not ignored). */
const VILLAGERS = ['YuanZhiDi', 'MaGuiLan', 'WangXiuYing', 'ZhangDaShan'];

const cdata = (s) => `<![CDATA[${s}]]>`;

function textXml({ from, content, msgId, createTime }) {
  return (
    `<xml><ToUserName>${cdata(TEST_WECOM.WECOM_CORP_ID)}</ToUserName><FromUserName>${cdata(from)}</FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(content)}</Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`
  );
}

/** Encrypts and signs a plaintext callback like WeCom does; returns the URL query and the body. */
function seal(plainXml, timestamp) {
  const ts = String(timestamp);
  const nonce = crypto.randomBytes(6).toString('hex');
  const enc = encrypt(TEST_WECOM.WECOM_ENCODING_AES_KEY, plainXml, TEST_WECOM.WECOM_CORP_ID);
  const signature = getSignature(TEST_WECOM.WECOM_TOKEN, ts, nonce, enc);
  const body =
    `<xml><ToUserName><![CDATA[${TEST_WECOM.WECOM_CORP_ID}]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt>` +
    `<AgentID><![CDATA[1000002]]></AgentID></xml>`;
  return { query: `msg_signature=${signature}&timestamp=${ts}&nonce=${nonce}`, body };
}

/**
 * A fake qyapi.weixin.qq.com on loopback that accepts everything the outbox sends: gettoken,
 * message/send (with a response_code for template cards), update_template_card, kf/send_msg — and
 * serves a photo for every media/get.
 */
function startFakeWecom() {
  let seq = 0;
  const counts = {};
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url || '/').split('?')[0];
      counts[path] = (counts[path] || 0) + 1;
      let out;
      if (path === '/cgi-bin/media/get') {
        // A JPEG of MEDIA_BYTES, different for every media_id (so each one is really written).
        const id = new URL(req.url, 'http://x').searchParams.get('media_id') || '';
        const body = Buffer.alloc(MEDIA_BYTES, 0x20);
        Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(body, 0);
        Buffer.from(crypto.createHash('sha256').update(id).digest()).copy(body, 4);
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(body.length) }).end(body);
        return;
      }
      if (path === '/cgi-bin/gettoken') out = { errcode: 0, errmsg: 'ok', access_token: `tok${++seq}`, expires_in: 7200 };
      else if (path === '/cgi-bin/message/send') out = { errcode: 0, errmsg: 'ok', invaliduser: '', msgid: `msg${++seq}`, response_code: `rc${seq}` };
      else out = { errcode: 0, errmsg: 'ok', msgid: `msg${++seq}` };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        base: `http://127.0.0.1:${server.address().port}`,
        counts,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      }),
    ),
  );
}

module.exports = { TEST_WECOM, VILLAGERS, textXml, seal, startFakeWecom };
