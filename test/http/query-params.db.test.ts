import type Koa from 'koa';
import { LIST_MAX, parseLimit } from '../../src/http/query';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { startDingtalk } from '../helpers/dingtalk';
import { ADMIN, Harness, startHarness } from '../helpers/harness';

/** Every route the app mounts, read from its routers (@koa/router marks its dispatch middleware). */
function routes(koa: Koa): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  for (const mw of koa.middleware as unknown as { router?: { stack: { path: string; methods: string[] }[] } }[]) {
    for (const layer of mw.router?.stack ?? []) {
      for (const method of layer.methods.filter((m) => m === 'GET' || m === 'POST')) out.push({ method, path: layer.path.replace(/:\w+/g, '1').replace(/\(\.\*\)$/, 'x.css') });
    }
  }
  return out;
}

/**
 * Query parameters (docs/interface.md#security-and-retention): a repeated parameter is a 400 with a
 * Chinese message on every route, never a 500; `limit` is a whole number, at most 1000.
 */
describe.each(dialects())('HTTP: query parameters (%s)', (dialect) => {
  afterAll(dropCreatedDatabases);

  async function repeatedEverywhere(h: Harness, koa: Koa): Promise<string[]> {
    const seen: string[] = [];
    for (const r of routes(koa)) {
      const res = await h.fetch(`${r.path}?status=a&status=b&as=x&as=y`, { method: r.method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: r.method === 'POST' ? '{}' : undefined });
      expect({ route: `${r.method} ${r.path}`, status: res.status }).toEqual({ route: `${r.method} ${r.path}`, status: 400 });
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/^请求有误：参数 (status|as) 只能出现一次$/);
      seen.push(`${r.method} ${r.path}`);
    }
    expect(h.logs().filter((l) => l.msg === 'request failed')).toEqual([]);
    return seen;
  }

  it('answers a repeated parameter with 400 on every route of the sandbox app and the API', async () => {
    const h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox' });
    try {
      const seen = await repeatedEverywhere(h, h.app.koa);
      expect(seen).toEqual(expect.arrayContaining(['GET /healthz', 'GET /api/v1/requests', 'GET /api/v1/requests/1', 'POST /api/v1/requests', 'GET /api/v1/ledger.csv', 'GET /api/v1/outbox', 'GET /sandbox/api/inbox', 'POST /sandbox/api/tap']));
    } finally {
      await h.close();
    }
  });

  it('answers a repeated parameter with 400 on the WeCom and DingTalk callbacks', async () => {
    const h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'wecom' });
    try {
      expect(await repeatedEverywhere(h, h.app.koa)).toEqual(expect.arrayContaining(['GET /wecom/callback', 'POST /wecom/callback']));
    } finally {
      await h.close();
    }
    const d = await startDingtalk({ databaseUrl: await freshDatabaseUrl(dialect), mode: 'http' });
    try {
      expect(await repeatedEverywhere(d.h, d.h.app.koa)).toEqual(expect.arrayContaining(['POST /dingtalk/robot', 'POST /dingtalk/card']));
    } finally {
      await d.close();
    }
  });

  it('takes limit as a whole number from 1, at most 1000; anything else is a 400', async () => {
    const h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox' });
    try {
      for (const text of ['村口路灯坏了', '自来水停了', '桥栏杆断了']) {
        await h.fetch('/sandbox/api/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: 'v1', text }) });
        await h.app.settle();
        h.clock.advance(10 * 60_000);
      }
      const list = async (q: string) => {
        const res = await h.fetch(`/api/v1/requests?${q}`, { headers: { authorization: `Bearer ${ADMIN}` } });
        return { status: res.status, body: (await res.json()) as any };
      };
      expect((await list('')).body.requests).toHaveLength(3);
      expect((await list('limit=2')).body.requests).toHaveLength(2);
      expect((await list('limit=99999999999')).body.requests).toHaveLength(3);
      for (const bad of ['-1', '0', 'abc', '1e3', '1.5', '%00']) {
        const r = await list(`limit=${bad}`);
        expect({ bad, status: r.status }).toEqual({ bad, status: 400 });
        expect(r.body.error.message).toBe('请求有误：limit 应为 1 到 1000 的整数');
      }
    } finally {
      await h.close();
    }
  });

  it('parseLimit clamps to the maximum', () => {
    expect(parseLimit(undefined)).toBe(100);
    expect(parseLimit('5')).toBe(5);
    expect(parseLimit('1000000')).toBe(LIST_MAX);
    expect(() => parseLimit(['1', '2'])).toThrow();
  });
});
