import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { FakeWecom } from '../helpers/fake-wecom';
import { Harness, startHarness } from '../helpers/harness';
import { csrfIn, freePort, Jar } from '../helpers/pages';

/**
 * The leaders' and clerks' pages behind the same session as every other page (docs/interface.md#pages):
 * without a session WeCom's login starts; logged in, a leader reaches the dashboard, the ledger and its
 * download, and a village cadre is refused the dashboard. The pages' own files need no session.
 */
describe.each(dialects())('report pages in the app (%s)', (dialect) => {
  let h: Harness;
  let wecom: FakeWecom;
  let base: string;

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

  async function login(userid: string, path: string) {
    wecom.loginAs = { userid };
    const jar = new Jar();
    return { jar, res: await jar.follow(`${base}${path}`, base) };
  }

  it('asks for a login first, then shows a leader the dashboard, the ledger and its XLSX', async () => {
    const first = await new Jar().fetch(`${base}/h5/dashboard`);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toContain('/connect/oauth2/authorize');

    const { jar, res } = await login('WangJianGuo', '/h5/dashboard');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<html');
    expect((await jar.fetch(`${base}/h5/ledger`)).status).toBe(200);
    const xlsx = await jar.fetch(`${base}/h5/ledger.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
  });

  it('refuses a village cadre the dashboard with a Chinese page', async () => {
    const { res } = await login('ZhangSan', '/h5/dashboard');
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/[\u4e00-\u9fff]/);
  });

  it('lets a reviewer sign off a diary and its keeper write the 自评 on its page, with the token, and refuses anyone else', async () => {
    h.clock.set('2026-10-09T10:00:00+08:00');
    const { jar, res } = await login('LiSi', '/h5/diary/zhangsan');
    const html = await res.text();
    expect(html).toContain('签署2026年第3季度审阅意见');
    const token = csrfIn(html);
    const post = (j: Jar, body: Record<string, string>) =>
      j.fetch(`${base}/h5/diary/zhangsan/review`, { method: 'POST', body: new URLSearchParams(body), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

    // No token, a wrong token: 403, nothing recorded.
    expect((await post(jar, { text: '记录详实' })).status).toBe(403);
    expect((await post(jar, { text: '记录详实', _csrf: 'forged' })).status).toBe(403);
    expect(await h.app.db.read.diaryReviews.ofPerson('zhangsan')).toEqual([]);

    const done = await post(jar, { text: '  记录详实，注意跟踪办理结果 ', _csrf: token });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/h5/diary/zhangsan?period=2026-Q3#review');
    const after = await (await jar.fetch(`${base}/h5/diary/zhangsan?period=2026-Q3`)).text();
    expect(after).toContain('已记录：您审阅了张三2026年第3季度的民情日记，意见已转告本人。');
    expect(after).toMatch(/data-review="li">[^<]*李四审阅2026年第3季度：记录详实，注意跟踪办理结果</);
    const rows = await h.app.db.read.diaryReviews.ofPerson('zhangsan');
    expect(rows.map((r) => [r.kind, r.reviewerId, r.period, r.text])).toEqual([['review', 'li', '2026-Q3', '记录详实，注意跟踪办理结果']]);
    await h.app.settle();
    const told = wecom.callsTo('/cgi-bin/message/send').filter((c) => c.body.touser === 'ZhangSan').map((c) => c.body.text?.content);
    expect(told).toContain('李四审阅了您2026年第3季度的民情日记：记录详实，注意跟踪办理结果');

    // Too long: 400, nothing more recorded.
    expect((await post(jar, { text: '长'.repeat(501), _csrf: token })).status).toBe(400);
    // A leader may read 张三's diary but does not review it (李四 does): no form, and a POST is refused.
    const wang = await login('WangJianGuo', '/h5/diary/zhangsan');
    const wangHtml = await wang.res.text();
    expect(wangHtml).not.toContain('rp-review-form');
    const refused = await post(wang.jar, { text: '好', _csrf: csrfIn(wangHtml) });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('张三的民情日记由李四审阅。');
    expect(await h.app.db.read.diaryReviews.ofPerson('zhangsan')).toHaveLength(1);

    // The keeper writes their 自评 on their own book; nobody writes it for them.
    const zs = await login('ZhangSan', '/h5/diary/zhangsan');
    const zsHtml = await zs.res.text();
    expect(zsHtml).toContain('写2026年第3季度自评');
    expect(zsHtml).not.toContain('data-kind="review"');
    const self = (j: Jar, t: string, who = 'zhangsan') =>
      j.fetch(`${base}/h5/diary/${who}/self`, { method: 'POST', body: new URLSearchParams({ text: t, _csrf: csrfIn(zsHtml) }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect((await self(zs.jar, '   ')).status).toBe(400);
    expect((await self(zs.jar, '替李四写', 'li')).status).toBe(403);
    expect((await self(zs.jar, '本季度调解纠纷两起，走访还不够')).status).toBe(303);
    const book = await (await zs.jar.fetch(`${base}/h5/diary/zhangsan?period=2026-Q3`)).text();
    expect(book).toContain('已记录您2026年第3季度民情日记的自评。');
    expect(book).toMatch(/data-self>[^<]*本人2026年第3季度自评：本季度调解纠纷两起，走访还不够</);
    expect((await h.app.db.read.diaryReviews.ofPerson('zhangsan')).map((r) => r.kind)).toEqual(['review', 'self']);
    expect(await h.app.db.read.diaryReviews.ofPerson('li')).toEqual([]);
  });

  it('serves the pages\' scripts and styles without a session', async () => {
    expect((await fetch(`${base}/h5/reports/assets/echarts.simple.min.js`)).status).toBe(200);
  });
});
