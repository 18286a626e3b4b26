import { WecomCrypto, WecomVerifyError } from '../../bot/wecom/crypto';
import { parseWecomXml } from '../../bot/wecom/xml';
import { freshDatabaseUrl } from '../helpers/db';
import { Harness, startHarness } from '../helpers/harness';

/**
 * Published vectors for the WeCom / WeChat 加解密方案, run through `WecomCrypto` and through the real
 * routes. None of them may be "fixed" by changing the expected values: they come from Tencent.
 */

/** 企业微信 documentation, 加解密方案说明 (the corp `wx5823bf96d3bd56c7` sample). */
const DOC = {
  token: 'QDG6eK',
  key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corp: 'wx5823bf96d3bd56c7',
  verify: {
    msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    timestamp: '1409659589',
    nonce: '263014780',
    echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    plain: '1616140317555161061',
  },
  post: {
    msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6',
    timestamp: '1409659813',
    nonce: '1372623149',
    encrypt:
      'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
  },
};

/**
 * WeChat official Java sample (cryptoDemo, WXBizMsgCryptTest.java), as published e.g. in
 * github.com/Wyl015/wuyiling work-test/src/main/resources/Utils/aes/WXBizMsgCryptTest.java:
 * a fixed 16-byte random makes the ciphertext deterministic.
 */
const JAVA = {
  key: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wxb11529c136998cb6',
  random: 'aaaabbbbccccdddd',
  plain: '我是中文abcd123',
  encrypt: 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
};

/**
 * WeChat official Python sample (Sample.py by jonyqin, 2014), as published e.g. in
 * github.com/charlesXu86/Chatbot_CN Chatbot_Web/impl/weixin/Sample.py — the 测试解密接口 block.
 */
const PY = {
  token: 'spamtest',
  key: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wx2c2769f8efd9abc2',
  timestamp: '1409735669',
  nonce: '1320562132',
  msg_signature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
  encrypt:
    'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=',
  plain:
    '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n' +
    '<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[abcdteT]]></Content>\n' +
    '<MsgId>6054768590064713728</MsgId>\n</xml>',
};

const docCrypto = (o: Partial<{ receiveId: string; toleranceS: number }> = {}) =>
  new WecomCrypto({ token: DOC.token, encodingAesKey: DOC.key, receiveId: o.receiveId ?? DOC.corp, toleranceS: o.toleranceS ?? 0 });

function verifyError(fn: () => unknown): WecomVerifyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof WecomVerifyError) return e;
    throw e;
  }
  throw new Error('expected a WecomVerifyError');
}

describe('WecomCrypto: published vectors', () => {
  it('verifies and decrypts the documentation URL-verification sample', () => {
    const c = docCrypto();
    const { echostr, ...q } = DOC.verify;
    expect(() => c.verify(q, echostr, Date.now())).not.toThrow();
    expect(c.decrypt(echostr)).toBe(DOC.verify.plain);
  });

  it('verifies and decrypts the documentation POST sample: a text "hello" from mycreate', () => {
    const c = docCrypto();
    const { encrypt, ...q } = DOC.post;
    c.verify(q, encrypt, Date.now());
    const x = parseWecomXml(c.decrypt(encrypt));
    expect(x).toMatchObject({ ToUserName: DOC.corp, FromUserName: 'mycreate', MsgType: 'text', Content: 'hello', MsgId: '4561255354251345929' });
  });

  it('encrypts the Java sample to the published ciphertext and back', () => {
    const c = new WecomCrypto({ token: 'pamtest', encodingAesKey: JAVA.key, receiveId: JAVA.appId, toleranceS: 0 });
    expect(c.seal(JAVA.plain, '1409304348', 'xxxxxx', Buffer.from(JAVA.random)).encrypt).toBe(JAVA.encrypt);
    expect(c.decrypt(JAVA.encrypt)).toBe(JAVA.plain);
  });

  it('verifies and decrypts the Python sample', () => {
    const c = new WecomCrypto({ token: PY.token, encodingAesKey: PY.key, receiveId: PY.appId, toleranceS: 0 });
    c.verify({ msg_signature: PY.msg_signature, timestamp: PY.timestamp, nonce: PY.nonce }, PY.encrypt, Date.now());
    expect(c.decrypt(PY.encrypt)).toBe(PY.plain);
  });
});

describe('WecomCrypto: refusals', () => {
  const { encrypt, ...q } = DOC.post;

  it('refuses a signature of another length without throwing anything else', () => {
    for (const sig of ['', 'abc', `${q.msg_signature}0`, q.msg_signature.slice(1)]) {
      const e = verifyError(() => docCrypto().verify({ ...q, msg_signature: sig }, encrypt, 0));
      expect(e.status).toBe(sig ? 401 : 400);
    }
  });

  it('refuses the right signature in the wrong case (compared byte for byte, as the official samples do)', () => {
    const e = verifyError(() => docCrypto().verify({ ...q, msg_signature: q.msg_signature.toUpperCase() }, encrypt, 0));
    expect(e).toMatchObject({ status: 401, reason: 'signature mismatch' });
  });

  it('refuses a signature one character off, and one over other bytes', () => {
    const flipped = `${q.msg_signature.slice(0, -1)}${q.msg_signature.endsWith('0') ? '1' : '0'}`;
    expect(verifyError(() => docCrypto().verify({ ...q, msg_signature: flipped }, encrypt, 0)).status).toBe(401);
    expect(verifyError(() => docCrypto().verify({ ...q, nonce: '1372623148' }, encrypt, 0)).status).toBe(401);
  });

  it('refuses missing parameters and a timestamp that is not a number', () => {
    expect(verifyError(() => docCrypto().verify({ timestamp: q.timestamp, nonce: q.nonce }, encrypt, 0)).status).toBe(400);
    expect(verifyError(() => docCrypto().verify({ ...q, timestamp: '14096x9813' }, encrypt, 0)).status).toBe(400);
  });

  it('checks the timestamp against the tolerance, and not at all with 0', () => {
    const at = Number(q.timestamp) * 1000;
    const strict = docCrypto({ toleranceS: 300 });
    expect(() => strict.verify(q, encrypt, at + 300_000)).not.toThrow();
    expect(verifyError(() => strict.verify(q, encrypt, at + 301_000)).reason).toMatch(/stale timestamp/);
    expect(verifyError(() => strict.verify(q, encrypt, at - 301_000)).reason).toMatch(/stale timestamp/);
    expect(() => docCrypto({ toleranceS: 0 }).verify(q, encrypt, Date.now())).not.toThrow();
  });

  it('refuses a message meant for another corp (receive-id mismatch)', () => {
    const e = verifyError(() => docCrypto({ receiveId: 'wwsomeothercorp0001' }).decrypt(encrypt));
    expect(e.status).toBe(403);
    expect(e.reason).toMatch(/receive-id mismatch/);
    const other = new WecomCrypto({ token: DOC.token, encodingAesKey: DOC.key, receiveId: 'ww0000000000000001', toleranceS: 0 });
    const sealed = other.seal('<xml/>', '1', 'n');
    expect(verifyError(() => docCrypto().decrypt(sealed.encrypt)).status).toBe(403);
  });

  it('refuses ciphertext that is not base64 of AES blocks, or decrypts to garbage', () => {
    expect(verifyError(() => docCrypto().decrypt('not base64!')).status).toBe(400);
    expect(verifyError(() => docCrypto().decrypt('AAAA')).status).toBe(400);
    expect(verifyError(() => docCrypto().decrypt(encrypt.slice(0, 40))).status).toBe(400);
    const wrongKey = new WecomCrypto({ token: DOC.token, encodingAesKey: PY.key, receiveId: DOC.corp, toleranceS: 0 });
    expect(verifyError(() => wrongKey.decrypt(encrypt)).status).toBeGreaterThanOrEqual(400);
  });
});

describe('the callback routes answer the documentation sample', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      databaseUrl: await freshDatabaseUrl('sqlite'),
      platform: 'wecom',
      env: { WECOM_CORP_ID: DOC.corp, WECOM_TOKEN: DOC.token, WECOM_ENCODING_AES_KEY: DOC.key, WECOM_TIMESTAMP_TOLERANCE_S: '0' },
    });
  });
  afterAll(() => h.close());

  const qs = (o: Record<string, string>) => new URLSearchParams(o).toString();
  const { plain: _plain, ...verifyQuery } = DOC.verify;

  it('GET /wecom/callback replies the plaintext echostr', async () => {
    const res = await h.fetch(`/wecom/callback?${qs(verifyQuery)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe(DOC.verify.plain);
  });

  it('GET /wecom/callback takes an echostr whose + came unencoded (read as a space)', async () => {
    const raw = Object.entries(verifyQuery).map(([k, v]) => `${k}=${k === 'echostr' ? v.replace(/\//g, '%2F').replace(/=/g, '%3D') : v}`).join('&');
    expect(raw).toContain('+');
    const res = await h.fetch(`/wecom/callback?${raw}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(DOC.verify.plain);
  });

  it('GET /wecom/callback refuses a repeated parameter with 400, not a crash', async () => {
    const res = await h.fetch(`/wecom/callback?${qs(verifyQuery)}&echostr=AAAA&nonce=1`);
    expect(res.status).toBe(400);
  });

  it('GET /wecom/callback refuses the sample with a wrong signature, logging the reason once', async () => {
    const before = h.logs().length;
    const res = await h.fetch(`/wecom/callback?${qs({ ...verifyQuery, msg_signature: DOC.post.msg_signature })}`);
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain(DOC.verify.plain);
    const lines = h.logs().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reason: 'signature mismatch', status: 401 });
  });

  it('POST /wecom/callback takes the documentation sample with 200 and an empty body', async () => {
    const { encrypt, ...q } = DOC.post;
    const body = `<xml><ToUserName><![CDATA[${DOC.corp}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;
    const res = await h.fetch(`/wecom/callback?${qs(q)}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});
