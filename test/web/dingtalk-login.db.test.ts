import vm from 'node:vm';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { DingtalkHarness, startDingtalk } from '../helpers/dingtalk';
import { Jar } from '../helpers/pages';

/**
 * DingTalk H5 免登 (docs/interface.md#pages): inside DingTalk a page without a session is a 401 page
 * whose script gets an auth code and posts it with this browser's login state; the server asks
 * topapi/v2/user/getuserinfo whose it is.
 */
describe.each(dialects())('DingTalk page login (%s)', (dialect) => {
  let d: DingtalkHarness;
  const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 AliApp(DingTalk/7.6.0) DingTalk/7.6.0';
  beforeEach(async () => {
    d = await startDingtalk({ databaseUrl: await freshDatabaseUrl(dialect), mode: 'http' });
  });
  afterEach(async () => {
    await d.close();
  });
  afterAll(dropCreatedDatabases);

  async function loginPage(jar: Jar) {
    const r = await jar.fetch(`${d.h.base}/h5/todo`, { headers: { 'user-agent': UA } });
    expect(r.status).toBe(401);
    const html = await r.text();
    expect(html).toContain('/h5/assets/login.js');
    return /data-state="([^"]+)"/.exec(html)![1];
  }
  const post = (jar: Jar, body: unknown) => jar.fetch(`${d.h.base}/h5/auth/dingtalk`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': UA }, body: JSON.stringify(body) });

  it('logs 李四 in with an auth code and his login state, and goes back to the page first asked for', async () => {
    const jar = new Jar();
    const state = await loginPage(jar);
    d.fake.loginCodes.set('authcode-1', '0451');
    const r = await post(jar, { authCode: 'authcode-1', state });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, next: '/h5/todo' });
    const todo = await jar.fetch(`${d.h.base}/h5/todo`, { headers: { 'user-agent': UA } });
    expect(todo.status).toBe(200);
    expect(await todo.text()).toContain('李四，您好');
    expect(d.fake.calls.filter((c) => c.path === '/topapi/v2/user/getuserinfo').map((c) => c.body)).toEqual([{ code: 'authcode-1' }]);
  });

  it('refuses a wrong state, a code DingTalk does not know and a POST with no login under way (403), setting no session', async () => {
    const jar = new Jar();
    const state = await loginPage(jar);
    d.fake.loginCodes.set('authcode-2', '0451');
    expect((await post(jar, { authCode: 'authcode-2', state: `${state}x` })).status).toBe(403);
    expect(d.fake.calls.some((c) => c.path === '/topapi/v2/user/getuserinfo')).toBe(false);
    const again = await loginPage(jar);
    const unknown = await post(jar, { authCode: 'nosuchcode', state: again });
    expect(unknown.status).toBe(403);
    expect(await unknown.text()).toContain('没有确认您的身份');
    expect((await post(new Jar(), { authCode: 'authcode-2', state: again })).status).toBe(403);
    expect(jar.cookies.has('mq_s')).toBe(false);
    expect(d.h.logs().filter((l) => l.msg === 'page refused').map((l) => l.reason)).toEqual(
      expect.arrayContaining(['client login state does not match this browser', 'login code refused by the platform']),
    );
  });
});

describe('dingtalk-jsapi for the browser', () => {
  it('bundles the union entry and requestAuthCode into one script that sets window.dd', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { dingtalkJsapiBundle } = require('../../bot/dingtalk/jsapi-bundle') as typeof import('../../bot/dingtalk/jsapi-bundle');
    const code = dingtalkJsapiBundle();
    const window: Record<string, any> = {};
    const navigator = { userAgent: 'Mozilla/5.0 AliApp(DingTalk/7.6.0) DingTalk/7.6.0' };
    const location = { href: 'https://mq.example.cn/h5/todo', search: '' };
    const document = { addEventListener: () => undefined, readyState: 'complete' };
    vm.runInNewContext(code, { window, navigator, location, document, self: window });
    expect(typeof window.dd.runtime.permission.requestAuthCode).toBe('function');
    expect(typeof window.dd.ready).toBe('function');
    expect(Buffer.byteLength(code)).toBeLessThan(150_000);
  });
});
