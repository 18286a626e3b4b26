import fs from 'node:fs';
import path from 'node:path';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { FakeWecom } from '../helpers/fake-wecom';
import { Harness, startHarness } from '../helpers/harness';
import { freePort, Jar } from '../helpers/pages';
import { mediaXml, seal, textXml } from '../helpers/wecom';

/**
 * A request's photo opens for whoever may see the request's page (docs/interface.md#media): a cadre
 * logged in who works on it, the villager by their signed link — and for nobody else: a cadre of
 * another village, a link for another request, no session.
 */
describe.each(dialects())('media behind the pages\' sessions (%s)', (dialect) => {
  let h: Harness;
  let wecom: FakeWecom;
  let base: string;
  const ts = () => Math.floor(h.clock.now().getTime() / 1000);
  const post = async (plain: string) => {
    const { query, body } = seal(plain, { timestamp: ts() });
    expect((await h.fetch(`/wecom/callback?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } })).status).toBe(200);
  };
  const jpg = fs.readFileSync(path.join(__dirname, '..', 'media', 'fixtures', 'image.jpg'));

  beforeEach(async () => {
    wecom = await new FakeWecom().start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'wecom', wecom, port, env: { PUBLIC_BASE_URL: base, WECOM_OAUTH_BASE: wecom.base } });
  });
  afterEach(async () => {
    await h.close();
    await wecom.stop();
  });
  afterAll(dropCreatedDatabases);

  async function photoRequest(from: string, text: string) {
    wecom.media.set(`m-${from}`, { body: jpg, type: 'image/jpeg' });
    await post(textXml({ from, content: text, createTime: ts() }));
    await post(mediaXml({ from, type: 'image', mediaId: `m-${from}`, createTime: ts() }));
    await h.app.settle();
    const { requests } = await h.api('/requests');
    return requests.find((r: any) => r.text === text) as { id: number; code: string; attachments: { id: number }[] };
  }
  async function login(userid: string) {
    wecom.loginAs = { userid };
    const jar = new Jar();
    await jar.follow(`${base}/h5/todo`, base);
    return jar;
  }

  it('serves the photo to the cadres of its village and to no one else', async () => {
    const req = await photoRequest('YuanZhiDi', '村口路灯坏了三天了');
    const url = `${base}/media/${req.attachments[0].id}`;
    expect((await fetch(url)).status).toBe(403);
    const li = await login('LiSi');
    const ok = await li.fetch(url);
    expect(ok.status).toBe(200);
    expect(Buffer.from(await ok.arrayBuffer()).equals(jpg)).toBe(true);
    // 刘明 is 白垭村's secretary: 关沟村's photo is not his to see.
    const other = await login('LiuMing');
    expect((await other.fetch(url)).status).toBe(403);
  });

  it('serves the villager their own photo by their link, and not another request\'s', async () => {
    const mine = await photoRequest('YuanZhiDi', '村口路灯坏了三天了');
    const theirs = await photoRequest('MaGuiLan', '我家门口的水管爆了');
    const receipt = wecom.callsTo('/cgi-bin/message/send').map((c) => String(c.body.text?.content ?? '')).find((t) => t.includes(`/h5/requests/${mine.code}?t=`))!;
    const link = /https?:\/\/\S+/.exec(receipt)![0];
    const jar = new Jar();
    expect((await jar.follow(link, base)).status).toBe(200);
    expect((await jar.fetch(`${base}/media/${mine.attachments[0].id}`)).status).toBe(200);
    expect((await jar.fetch(`${base}/media/${theirs.attachments[0].id}`)).status).toBe(403);
  });
});
