import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { FakeWecom } from '../helpers/fake-wecom';
import { Harness, startHarness } from '../helpers/harness';
import { freePort, Jar } from '../helpers/pages';

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

  it('serves the pages\' scripts and styles without a session', async () => {
    expect((await fetch(`${base}/h5/reports/assets/echarts.simple.min.js`)).status).toBe(200);
  });
});
