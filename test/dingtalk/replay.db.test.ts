import { dingtalkCardSign } from '../../bot/dingtalk/sign';
import type { AdapterContext } from '../../src/platform/types';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { CARD_SECRET, cardSignedHeaders, cardTap, DingtalkHarness, robotText, signedHeaders, startDingtalk } from '../helpers/dingtalk';

/**
 * DingTalk HTTP mode signs only a timestamp (the robot: timestamp + app secret; cards: the timestamp
 * with the registered apiSecret) — never the body. So a signature is good for one delivery: the
 * same delivery sent again is a duplicate, anything else under a (timestamp, sign) pair already seen
 * is a replay and gets 401. Card callbacks are checked the way DingTalk documents them
 * (x-ddpaas-signature-*), with DINGTALK_CARD_API_SECRET or a secret generated once, kept in the
 * database and registered.
 */
describe.each(dialects())('DingTalk HTTP mode: replays and card signatures (%s)', (dialect) => {
  let t: DingtalkHarness;
  const now = () => t.h.clock.now().getTime();
  const post = (path: string, body: unknown, headers: Record<string, string>) => t.h.fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
  const count = async (table: string) => Number((await t.h.app.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const rejections = () => t.h.logs().filter((l) => l.msg === 'dingtalk callback rejected').map((l) => String(l.reason));

  afterEach(() => t.close());
  afterAll(dropCreatedDatabases);

  it('takes a robot message twice as one, and refuses another message under the same signature', async () => {
    t = await startDingtalk({ databaseUrl: await freshDatabaseUrl(dialect), mode: 'http' });
    const headers = signedHeaders(now());
    const a = robotText({ from: '1001', content: '村口路灯坏了', msgId: 'msgA', createAt: now() });
    expect((await post('/dingtalk/robot', a, headers)).status).toBe(200);
    expect((await post('/dingtalk/robot', a, headers)).status).toBe(200);
    const forged = robotText({ from: '1002', content: '我要投诉', msgId: 'msgB', createAt: now() });
    expect((await post('/dingtalk/robot', forged, headers)).status).toBe(401);
    expect(await count('inbound_delivery')).toBe(1);
    expect(rejections()).toEqual(['signature already used by another message (replay)']);
    // The pair is kept in the database until it could no longer pass the hour's check.
    const [row] = await t.h.app.db.query<{ expires_at: number | string }>('SELECT expires_at FROM callback_signature');
    expect(Number(row.expires_at)).toBe(Number(headers.timestamp) + 3600_000);
    // A fresh signature for the second message is fine.
    expect((await post('/dingtalk/robot', forged, signedHeaders(now() + 1))).status).toBe(200);
    await t.h.app.settle();
    expect((await t.h.api('/requests')).requests).toHaveLength(2);
  });

  it('checks card callbacks with x-ddpaas-signature over the timestamp and the apiSecret; one signature, one tap', async () => {
    t = await startDingtalk({ databaseUrl: await freshDatabaseUrl(dialect), mode: 'http' });
    await post('/dingtalk/robot', robotText({ from: '1001', content: '自来水停了', createAt: now() }), signedHeaders(now()));
    await t.h.app.settle();
    const card = t.fake.callsTo('/v1.0/card/instances/createAndDeliver')[0].body;
    const tap = cardTap({ from: '0451', taskId: card.outTrackId, action: 'accept' });
    const ts = now();
    const refusedWith = async (headers: Record<string, string>, reason: RegExp) => {
      expect((await post('/dingtalk/card', tap, headers)).status).toBe(401);
      expect(rejections().at(-1)).toMatch(reason);
    };
    await refusedWith(signedHeaders(ts), /missing x-ddpaas/); // the robot's scheme is not the card's
    await refusedWith(cardSignedHeaders(ts, 'another-secret-of-16+'), /does not match/);
    await refusedWith(cardSignedHeaders(ts - 3600_001), /more than an hour/);
    await refusedWith({ ...cardSignedHeaders(ts), 'x-ddpaas-signature': dingtalkCardSign(String(ts + 1), CARD_SECRET) }, /does not match/);
    expect(await count('inbound_delivery')).toBe(1);

    const headers = cardSignedHeaders(ts);
    expect((await post('/dingtalk/card', tap, headers)).status).toBe(200);
    expect((await post('/dingtalk/card', tap, headers)).status).toBe(200); // the same tap again: a duplicate
    const other = cardTap({ from: '0441', taskId: card.outTrackId, action: 'accept' });
    expect((await post('/dingtalk/card', other, headers)).status).toBe(401);
    expect(rejections().at(-1)).toBe('signature already used by another card callback (replay)');
    expect(await count('inbound_delivery')).toBe(2);
    await t.h.app.settle();
    expect((await t.h.api('/requests')).requests[0].owner).toMatchObject({ id: 'li' });
  });

  it('without DINGTALK_CARD_API_SECRET generates one, keeps it in the database and registers it', async () => {
    t = await startDingtalk({ databaseUrl: await freshDatabaseUrl(dialect), mode: 'http', cardSecret: false });
    const tap = cardTap({ from: '0451', taskId: 'mq1_new_request_x', action: 'accept' });
    // Nothing registered yet: no signature can be right.
    expect((await post('/dingtalk/card', tap, cardSignedHeaders(now(), CARD_SECRET))).status).toBe(401);
    expect(rejections().at(-1)).toBe('no card callback apiSecret registered yet');

    await t.adapter.start(adapterContext(t));
    const [reg] = t.fake.callsTo('/v1.0/card/callbacks/register').map((c) => c.body);
    const kept = await t.h.app.db.read.kv.get('dingtalk.card.apiSecret');
    expect(kept).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(reg).toMatchObject({ apiSecret: kept, callbackUrl: expect.stringMatching(/\/dingtalk\/card$/), forceUpdate: true });
    expect(t.h.logs().some((l) => JSON.stringify(l).includes(kept!))).toBe(false);

    // Signed with it: taken (a tap on a card we never issued is then dropped as not ours, answered 200).
    expect((await post('/dingtalk/card', tap, cardSignedHeaders(now(), kept!))).status).toBe(200);
    // A restart uses the same secret.
    await t.adapter.start(adapterContext(t));
    expect(t.fake.callsTo('/v1.0/card/callbacks/register').map((c) => c.body.apiSecret)).toEqual([kept, kept]);
  });
});

/** A context for starting the adapter by hand, over the app's own database. */
function adapterContext(t: DingtalkHarness): AdapterContext {
  const db = t.h.app.db;
  const now = () => t.h.clock.now().getTime();
  return {
    ingest: (d) => t.h.app.inbound.ingest(d),
    kv: { get: (k) => db.read.kv.get(k), set: (k, v) => db.write((r) => r.kv.set(k, v, now())) },
    signatures: { claim: (scope, sig, owner, exp) => db.write((r) => r.signatures.claim(scope, sig, owner, exp)) },
    log: t.h.app.log,
    now,
  };
}
