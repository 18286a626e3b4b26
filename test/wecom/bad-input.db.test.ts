import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { Harness, startHarness } from '../helpers/harness';
import { cardEventXml, eventXml, seal, testCrypto, textXml, TEST_WECOM } from '../helpers/wecom';

/**
 * docs/interface.md#routes, bad input on POST /wecom/callback: each gets a 4xx (or, when well signed but not for
 * us, a logged 200), writes no row, logs exactly one line with the reason, and the server goes on.
 */
describe.each(dialects())('WeCom callback bad input (%s)', (dialect) => {
  let h: Harness;
  const ts = () => Math.floor(h.clock.now().getTime() / 1000);
  const postRaw = (query: string, body: string | Buffer, contentType = 'text/xml') =>
    h.fetch(`/wecom/callback?${query}`, { method: 'POST', body, headers: { 'content-type': contentType } });
  const postSealed = (plain: string, o: Parameters<typeof seal>[1] = {}) => {
    const { query, body } = seal(plain, { timestamp: ts(), ...o });
    return postRaw(query, body);
  };
  const deliveries = async () => Number((await h.app.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM inbound_delivery'))[0].n);

  beforeAll(async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'wecom' });
  });
  afterAll(async () => {
    await h?.close();
    await dropCreatedDatabases();
  });

  /** Sends `go`, expects `status`, no row, one log line whose reason matches; then a good message works. */
  async function refused(go: () => Promise<Response>, status: number, reason: RegExp): Promise<void> {
    const rowsBefore = await deliveries();
    const logsBefore = h.logs().length;
    const res = await go();
    expect(res.status).toBe(status);
    await res.arrayBuffer();
    await h.app.settle();
    expect(await deliveries()).toBe(rowsBefore);
    const lines = h.logs().slice(logsBefore);
    expect(lines).toHaveLength(1);
    expect(String(lines[0].reason)).toMatch(reason);
    expect(lines[0].level).toBeGreaterThanOrEqual(30);

    const good = await postSealed(textXml({ from: 'YuanZhiDi', content: `路灯坏了 ${Math.random()}`, createTime: ts() }));
    expect(good.status).toBe(200);
    expect(await deliveries()).toBe(rowsBefore + 1);
    await h.app.settle();
    h.clock.advance(10 * 60_000); // the next good message is a new request, not a follow-up
  }

  it('refuses a forged signature with 401', async () => {
    const { query, body } = seal(textXml({ from: 'YuanZhiDi', content: '伪造', createTime: ts() }), { timestamp: ts() });
    const forged = query.replace(/msg_signature=[0-9a-f]+/, `msg_signature=${'0'.repeat(40)}`);
    await refused(() => postRaw(forged, body), 401, /signature mismatch/);
  });

  it('refuses a body whose signature was made over another ciphertext', async () => {
    const a = seal(textXml({ from: 'YuanZhiDi', content: '甲', createTime: ts() }), { timestamp: ts(), nonce: 'n1' });
    const b = seal(textXml({ from: 'YuanZhiDi', content: '乙', createTime: ts() }), { timestamp: ts(), nonce: 'n1' });
    await refused(() => postRaw(a.query, b.body), 401, /signature mismatch/);
  });

  it('refuses missing signature parameters with 400', async () => {
    const { query, body } = seal(textXml({ from: 'YuanZhiDi', content: '缺参数', createTime: ts() }), { timestamp: ts() });
    await refused(() => postRaw(query.replace(/msg_signature=[^&]+&?/, ''), body), 400, /missing msg_signature/);
    await refused(() => postRaw('', body), 400, /missing msg_signature/);
  });

  it('refuses a message encrypted for another corp with 403', async () => {
    await refused(() => postSealed(textXml({ from: 'YuanZhiDi', content: '别的企业', createTime: ts() }), { receiveId: 'wwothercorp000001' }), 403, /receive-id mismatch/);
  });

  it('refuses a stale timestamp, in the past or the future, with 401', async () => {
    await refused(() => postSealed(textXml({ from: 'YuanZhiDi', content: '旧消息', createTime: ts() }), { timestamp: ts() - 301 }), 401, /stale timestamp/);
    await refused(() => postSealed(textXml({ from: 'YuanZhiDi', content: '未来消息', createTime: ts() }), { timestamp: ts() + 301 }), 401, /stale timestamp/);
  });

  it('refuses a body that is not XML with 400', async () => {
    await refused(() => postRaw('msg_signature=abc&timestamp=1&nonce=2', '{"Encrypt":"abc"}', 'application/json'), 400, /not WeCom XML/);
    await refused(() => postRaw('msg_signature=abc&timestamp=1&nonce=2', Buffer.from([0xff, 0xfe, 0x00, 0x01])), 400, /not WeCom XML/);
  });

  it('refuses well-formed XML of the wrong shape (no <Encrypt>) with 400', async () => {
    const plain = textXml({ from: 'YuanZhiDi', content: '明文', createTime: ts() });
    await refused(() => postRaw(seal(plain, { timestamp: ts() }).query, plain), 400, /not WeCom XML/);
  });

  it('refuses an entity bomb, in the envelope or signed and sealed inside, with 400', async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>';
    await refused(() => postRaw(seal('<xml/>', { timestamp: ts() }).query, `${bomb}<xml><Encrypt>&d;</Encrypt></xml>`), 400, /not WeCom XML/);
    const inner = `${bomb}<xml><ToUserName>${TEST_WECOM.WECOM_CORP_ID}</ToUserName><FromUserName>YuanZhiDi</FromUserName><MsgType>text</MsgType><Content>&d;</Content><MsgId>1</MsgId></xml>`;
    await refused(() => postSealed(inner), 400, /DOCTYPE/);
  });

  it('refuses well-signed plaintext that is not XML with 400', async () => {
    await refused(() => postSealed('just some words'), 400, /malformed XML/);
  });

  it('refuses a 2 MB body with 413 without reading it all', async () => {
    const big = `<xml><Encrypt>${'A'.repeat(2 * 1024 * 1024)}</Encrypt></xml>`;
    await refused(() => postRaw(seal('<xml/>', { timestamp: ts() }).query, big), 413, /exceeds/);
  });

  it('refuses a 2 MB body sent without a content-length (chunked) with 413', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'A');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 32; i++) c.enqueue(chunk);
        c.close();
      },
    });
    await refused(
      () => h.fetch(`/wecom/callback?${seal('<xml/>', { timestamp: ts() }).query}`, { method: 'POST', body: stream, duplex: 'half' }),
      413,
      /exceeds/,
    );
  });

  it('answers a well-signed message from an unknown FromUserName with 200 and a logged ignore', async () => {
    await refused(() => postSealed(textXml({ from: 'NoSuchMember', content: '你好', createTime: ts() })), 200, /unknown FromUserName/);
  });

  it('answers a well-signed event type we do not handle with 200 and a logged ignore', async () => {
    await refused(() => postSealed(eventXml('enter_agent')), 200, /enter_agent.*not handled/);
    await refused(() => postSealed(eventXml('subscribe', 'LiSi')), 200, /subscribe.*not handled/);
  });

  it('answers a well-signed card event with a TaskId we never issued with 200 and a logged ignore', async () => {
    await refused(() => postSealed(cardEventXml({ from: 'LiSi', taskId: 'mq-never-issued', key: 'accept', createTime: ts() })), 200, /never issued/);
    expect(h.wecom!.callsTo('/cgi-bin/message/send').filter((c) => c.body.touser === 'LiSi')).toHaveLength(0);
  });

  it('refuses a well-signed message without MsgId with 400', async () => {
    const plain = `<xml><ToUserName>${TEST_WECOM.WECOM_CORP_ID}</ToUserName><FromUserName>YuanZhiDi</FromUserName><MsgType>text</MsgType><Content>x</Content></xml>`;
    await refused(() => postSealed(plain), 400, /without FromUserName or MsgId/);
  });

  it('still answers GET /wecom/callback after all of that, and refuses a bad one once', async () => {
    const c = testCrypto();
    const { encrypt, signature } = c.seal('echo-123', String(ts()), 'n');
    const ok = await h.fetch(`/wecom/callback?${new URLSearchParams({ msg_signature: signature, timestamp: String(ts()), nonce: 'n', echostr: encrypt })}`);
    expect(await ok.text()).toBe('echo-123');
    const before = h.logs().length;
    const bad = await h.fetch(`/wecom/callback?${new URLSearchParams({ msg_signature: signature, timestamp: String(ts()), nonce: 'm', echostr: encrypt })}`);
    expect(bad.status).toBe(401);
    expect(h.logs().slice(before)).toHaveLength(1);
  });
});
