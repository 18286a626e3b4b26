import { dialects, dropCreatedDatabases, freshDatabaseUrl } from './helpers/db';
import { ADMIN, Harness, startHarness } from './helpers/harness';
import { cardEventXml, seal, textXml } from './helpers/wecom';
import { json } from './helpers/json';

/** docs/interface.md#api: the read API behind ADMIN_TOKEN, and GET /healthz. */
const REQUEST_FIELDS = [
  'id', 'code', 'status', 'village', 'category', 'tier', 'text', 'owner', 'handlers', 'level',
  'receivedAt', 'acceptedAt', 'deadline', 'resolvedAt', 'closedAt', 'satisfaction', 'events',
];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

describe.each(dialects())('read API (%s)', (dialect) => {
  let h: Harness;
  const ts = () => Math.floor(h.clock.now().getTime() / 1000);
  const post = async (plain: string) => {
    const { query, body } = seal(plain, { timestamp: ts() });
    expect((await h.fetch(`/wecom/callback?${query}`, { method: 'POST', body })).status).toBe(200);
    await h.app.settle();
  };
  const get = (path: string, token: string | null = ADMIN) => h.fetch(`/api/v1${path}`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
  const list = async (q: string) => (await json(await get(`/requests${q}`))).requests.map((r: any) => r.text);

  beforeAll(async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'wecom', at: '2026-11-26T10:00:00+08:00' });
    await post(textXml({ from: 'YuanZhiDi', content: '村口路灯坏了三天了', createTime: ts() }));
    h.clock.advance(3600_000);
    await post(textXml({ from: 'WangXiuYing', content: '白垭村自来水停了', createTime: ts() }));
    h.clock.advance(3600_000);
    await post(textXml({ from: 'MaGuiLan', content: '关沟村低保怎么申请', createTime: ts() }));
    const card = h.wecom!.callsTo('/cgi-bin/message/send').find((c) => c.body.msgtype === 'template_card')!.body;
    await post(cardEventXml({ from: 'LiSi', taskId: card.template_card.task_id, key: 'accept', responseCode: h.wecom!.issueCode(), createTime: ts() }));
  });
  afterAll(async () => {
    await h.close();
    await dropCreatedDatabases();
  });

  it('answers GET /healthz with 200 {"ok":true}, no token needed', async () => {
    const res = await h.fetch('/healthz');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ ok: true });
  });

  it('needs the bearer token, and says so in Chinese', async () => {
    for (const token of [null, 'wrong-token-123', `${ADMIN}x`, '']) {
      const res = await get('/requests', token);
      expect(res.status).toBe(401);
      expect((await json(res)).error).toEqual({ code: 'unauthorized', message: '需要有效的管理令牌' });
    }
    const basic = await h.fetch('/api/v1/requests', { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
    expect((await get('/requests/1', null)).status).toBe(401);
    expect((await get('/outbox?status=failed', null)).status).toBe(401);
  });

  it('lists requests newest first, each with every field of docs/interface.md#api', async () => {
    const res = await get('/requests');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json; charset=utf-8/);
    const { requests } = await json(res);
    expect(requests.map((r: any) => r.text)).toEqual(['关沟村低保怎么申请', '白垭村自来水停了', '村口路灯坏了三天了']);
    for (const r of requests) {
      for (const f of REQUEST_FIELDS) expect(r).toHaveProperty(f);
      expect(r.code).toMatch(/^20261126-\d{3}$/);
      expect(r.receivedAt).toMatch(ISO);
      expect(['pending', 'accepted', 'rejection_pending', 'rejected', 'resolved', 'closed']).toContain(r.status);
      expect(['village', 'township', 'county']).toContain(r.level);
      expect(Array.isArray(r.handlers)).toBe(true);
      expect(r.events[0]).toMatchObject({ type: 'received', at: r.receivedAt });
    }
    const accepted = requests[2];
    expect(accepted).toMatchObject({ status: 'accepted', village: 'guangou', owner: { id: 'li', name: '李四' }, satisfaction: null, resolvedAt: null, closedAt: null });
    expect(accepted.acceptedAt).toMatch(ISO);
    expect(accepted.deadline).toMatch(ISO);
  });

  it('filters by status, village and since', async () => {
    expect(await list('?status=accepted')).toEqual(['村口路灯坏了三天了']);
    expect(await list('?status=pending')).toEqual(['关沟村低保怎么申请', '白垭村自来水停了']);
    expect(await list('?status=pending,accepted')).toHaveLength(3);
    expect(await list('?village=baiya')).toEqual(['白垭村自来水停了']);
    expect(await list('?village=guangou&status=pending')).toEqual(['关沟村低保怎么申请']);
    expect(await list('?village=nowhere')).toEqual([]);
    expect(await list(`?since=${encodeURIComponent('2026-11-26T11:00:00+08:00')}`)).toEqual(['关沟村低保怎么申请', '白垭村自来水停了']);
    expect(await list('?since=2026-11-26T03:00:00Z')).toEqual(['关沟村低保怎么申请', '白垭村自来水停了']);
    expect(await list('?since=2026-11-26T11:30')).toEqual(['关沟村低保怎么申请']);
    expect(await list('?since=2026-11-27')).toEqual([]);
    expect(await list('?limit=1')).toEqual(['关沟村低保怎么申请']);
  });

  it('takes a since typed with a raw + (which a query string reads as a space)', async () => {
    expect(await list('?since=2026-11-26T11:00:00+08:00')).toEqual(['关沟村低保怎么申请', '白垭村自来水停了']);
  });

  it('refuses a bad filter with 400 and a Chinese message', async () => {
    for (const q of ['?status=open', '?since=yesterday', '?since=2026-13-01']) {
      const res = await get(`/requests${q}`);
      expect(res.status).toBe(400);
      const { error } = await json(res);
      expect(error.code).toBe('bad_request');
      expect(error.message).toMatch(/^请求有误/);
    }
  });

  it('gets one request by id or by code', async () => {
    const { requests } = await json(await get('/requests'));
    const one = requests[1];
    expect(await (await get(`/requests/${one.id}`)).json()).toEqual(one);
    expect(await (await get(`/requests/${one.code}`)).json()).toEqual(one);
  });

  it('answers 404 with a Chinese message for a request that does not exist, or a route that does not', async () => {
    for (const path of ['/requests/99999', '/requests/20991231-001', '/nothing-here']) {
      const res = await get(path);
      expect(res.status).toBe(404);
      const { error } = await json(res);
      expect(error.code).toBe('not_found');
      expect(error.message).toMatch(/^没有找到/);
    }
  });
});

describe('read API without ADMIN_TOKEN, and health without a database', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl('sqlite'), platform: 'sandbox', env: { ADMIN_TOKEN: '' } });
  });
  afterAll(() => h.close());

  it('keeps the API closed, whatever token is sent', async () => {
    for (const init of [{}, { headers: { authorization: 'Bearer anything-at-all' } }, { headers: { authorization: 'Bearer ' } }]) {
      const res = await h.fetch('/api/v1/requests', init);
      expect(res.status).toBe(403);
      expect((await json(res)).error).toEqual({ code: 'api_closed', message: '接口未开放：请设置 ADMIN_TOKEN' });
    }
  });

  it('answers /healthz with 503 once the database is gone', async () => {
    expect((await h.fetch('/healthz')).status).toBe(200);
    await h.app.db.ds.destroy();
    const res = await h.fetch('/healthz');
    expect(res.status).toBe(503);
    expect((await json(res)).ok).toBe(false);
  });
});
