import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MediaAccess } from '../../src/http/media';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { Harness, startHarness } from '../helpers/harness';
import { mediaXml, seal } from '../helpers/wecom';

/**
 * `/media/:id` asks the access hook about the attachment's request (docs/interface.md#media): the pages
 * answer it from their session or signed link. Here the hook is a stand-in for both — a link signed for
 * one request, and a viewer who belongs to one village — to show that the route asks about the right
 * request and gives nothing to a forged link or to someone from another village.
 */
const SECRET = 'test-link-secret';
const sign = (requestId: number) => crypto.createHmac('sha256', SECRET).update(String(requestId)).digest('hex');
const jpg = fs.readFileSync(path.join(__dirname, 'fixtures', 'image.jpg'));

describe.each(dialects())('who may fetch a file (%s)', (dialect) => {
  let h: Harness;
  const asked: number[] = [];
  const ts = () => Math.floor(h.clock.now().getTime() / 1000);
  const photo = async (from: string, mediaId: string) => {
    const { query, body } = seal(mediaXml({ from, type: 'image', mediaId, createTime: ts() }), { timestamp: ts() });
    await h.fetch(`/wecom/callback?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
  };
  /** PUBLIC_BASE_URL is http://localhost:0 in the harness: the same path on the port it listens on. */
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url.replace('http://localhost:0', h.base), { headers });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
  };

  beforeEach(async () => {
    asked.length = 0;
    const access: MediaAccess = async (ctx, requestId) => {
      asked.push(requestId);
      if (typeof ctx.query.t === 'string') return ctx.query.t === sign(requestId);
      const viewer = ctx.get('x-test-village');
      return Boolean(viewer) && (await h.app.db.read.requests.byId(requestId))?.villageId === viewer;
    };
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'wecom', overrides: { mediaAccess: access } });
    h.wecom!.media.set('m-guangou', { body: jpg });
    h.wecom!.media.set('m-baiya', { body: fs.readFileSync(path.join(__dirname, 'fixtures', 'image.png')) });
    await photo('YuanZhiDi', 'm-guangou'); // 关沟村
    await photo('WangXiuYing', 'm-baiya'); // 白垭村
    await h.app.settle();
  });
  afterEach(async () => {
    await h.close();
  });
  afterAll(dropCreatedDatabases);

  const byVillage = async () => {
    const { requests } = await h.api('/requests');
    const of = (v: string) => requests.find((r: any) => r.village === v);
    return { guangou: of('guangou'), baiya: of('baiya') };
  };

  it('serves a request\'s file to a link signed for that request, and not to a link for another or a forged one', async () => {
    const { guangou, baiya } = await byVillage();
    const url = guangou.attachments[0].url;
    expect(await get(`${url}?t=${sign(guangou.id)}`)).toEqual({ status: 200, body: jpg });
    expect((await get(`${url}?t=${sign(baiya.id)}`)).status).toBe(403);
    expect((await get(`${url}?t=${'0'.repeat(64)}`)).status).toBe(403);
    expect(asked).toEqual([guangou.id, guangou.id, guangou.id]);
  });

  it('refuses a viewer from another village, and serves one from the request\'s own', async () => {
    const { guangou, baiya } = await byVillage();
    expect((await get(guangou.attachments[0].url, { 'x-test-village': 'baiya' })).status).toBe(403);
    expect((await get(baiya.attachments[0].url, { 'x-test-village': 'baiya' })).status).toBe(200);
    const refusals = h.logs().filter((l) => l.msg === 'media refused');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ attachmentId: guangou.attachments[0].id, requestId: guangou.id });
    expect(JSON.stringify(refusals[0])).not.toMatch(/YuanZhiDi|袁志弟|baiya/);
  });

  it('does not ask the hook when the API token is given, and never for an attachment that does not exist', async () => {
    const { guangou } = await byVillage();
    expect((await get(guangou.attachments[0].url, { authorization: 'Bearer test-admin-token' })).status).toBe(200);
    expect((await get(`${h.base}/media/424242?t=x`)).status).toBe(404);
    expect(asked).toEqual([]);
  });
});
