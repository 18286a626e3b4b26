import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { Harness, startHarness } from '../helpers/harness';
import { json } from '../helpers/json';

/**
 * The sandbox platform over real HTTP, as the /sandbox page drives it: act as a villager, send,
 * switch to the on-duty cadre, tap 受理, and see every copy of the card and the villager's chat
 * change. 2026-11-26 (the harness's day) is a Thursday: 关沟村's duty is 李四 (li), its resident
 * cadre 罗先运 (luo).
 */
interface Msg {
  id: number;
  direction: 'in' | 'out';
  kind: string;
  payload: any;
  at: number;
}

describe.each(dialects())('sandbox platform (%s)', (dialect) => {
  let h: Harness;

  const post = (path: string, body: unknown) =>
    h.fetch(`/sandbox/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const send = (as: string, text: string, extra: Record<string, unknown> = {}) => post('send', { as, text, type: 'text', ...extra });
  const tap = (as: string, taskId: string, action: string, extra: Record<string, unknown> = {}) => post('tap', { as, taskId, action, clientId: `tap-${as}-${action}-${Math.random()}`, ...extra });
  const inbox = async (as: string, since = 0): Promise<{ now: number; messages: Msg[] }> => json(await h.fetch(`/sandbox/api/inbox?as=${encodeURIComponent(as)}&since=${since}`));
  const texts = async (as: string) => (await inbox(as)).messages.filter((m) => m.direction === 'out' && m.kind === 'text').map((m) => m.payload.text as string);
  const cards = async (as: string) => (await inbox(as)).messages.filter((m) => m.kind === 'card').map((m) => m.payload);
  const identities = async () => (await json(await h.fetch('/sandbox/api/identities'))).identities as any[];
  const idOf = async (label: string) => {
    const found = (await identities()).find((i) => i.label === label);
    expect(found).toBeDefined();
    return found.id as string;
  };

  beforeEach(async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox' });
  });
  afterEach(async () => {
    await h.close();
  });
  afterAll(dropCreatedDatabases);

  it('serves the chat page with its identity picker, its own CSS and JS, and the township from the org file', async () => {
    const res = await h.fetch('/sandbox');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).toContain('id="who-list"');
    // The township's name is not written into the page: the page reads it from the org file, with the
    // identities, and shows "县河镇 · 民情直通车" (test/sandbox/page.browser.test.ts sees it drawn).
    expect(html).not.toContain('县河镇');
    expect(((await (await h.fetch('/sandbox/api/identities')).json()) as { township: string }).township).toBe('县河镇');
    // Its script and style are its own files from this server; nothing comes from another origin.
    const assets = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('data:'));
    expect(assets.sort()).toEqual(['/sandbox/assets/sandbox.css', '/sandbox/assets/sandbox.js']);
    const files = [html];
    for (const a of assets) {
      const r = await h.fetch(a);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(a.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      files.push(await r.text());
    }
    const page = files.join('\n');
    expect(page).toContain('/sandbox/api/identities');
    expect(page).toContain('/sandbox/api/inbox');
    for (const group of ['村民', '村干部', '驻村干部', '镇民情处理站', '县民情中心', '镇领导']) expect(page).toContain(`'${group}'`);
    // Self-contained, and nothing typed by a person is ever parsed as markup.
    expect(page).not.toMatch(/https?:\/\/(?!\/)|@import|url\((?!data:)/);
    expect(page).not.toContain('innerHTML');
  });

  it('lists everyone one can act as, with the villages and who is on duty today', async () => {
    const res = await json(await h.fetch('/sandbox/api/identities'));
    const labels = res.identities.map((i: any) => i.label);
    expect(labels).toContain('袁志弟 (关沟村村民)');
    expect(res.identities.find((i: any) => i.id === 'li')).toMatchObject({ kind: 'person', onDuty: true, roles: ['village_cadre'] });
    expect(labels).toContain('李四 (关沟村党支部书记 · 今日值班)');
    expect(res.identities.find((i: any) => i.id === 'zhangsan')).toMatchObject({ onDuty: false });
    expect(res.identities.find((i: any) => i.id === 'luo')).toMatchObject({ roles: ['resident_cadre'], onDuty: false });
    expect(res.villages.map((v: any) => v.name).sort()).toEqual(['关沟村', '白垭村', '财梁村'].sort());
  });

  it('runs the story: send, receipt, card, 受理, every copy updated, the villager told who and by when', async () => {
    const yuan = await idOf('袁志弟 (关沟村村民)');
    expect(yuan).toMatch(/^v\d+$/);

    const sent = await send(yuan, '村口路灯坏了三天了', { clientId: 'c-1' });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toEqual({ ok: true, duplicate: false });
    await h.app.settle();

    const [req] = (await h.api('/requests')).requests;
    expect(req).toMatchObject({ status: 'pending', village: 'guangou', text: '村口路灯坏了三天了', channel: 'sandbox' });
    const chat = (await inbox(yuan)).messages;
    expect(chat[0]).toMatchObject({ direction: 'in', kind: 'text', payload: { text: '村口路灯坏了三天了' } });
    expect(chat[1]).toMatchObject({ direction: 'out', kind: 'text' });
    expect(chat[1].payload.text).toContain(req.code);

    const [liCard] = await cards('li');
    expect(liCard.title).toBe('新的群众诉求');
    expect(liCard.quote).toBe('村口路灯坏了三天了');
    expect(liCard.buttons.map((b: any) => b.label)).toEqual(['受理', '转办']);
    expect(liCard.closedNote).toBeUndefined();
    const [luoCard] = await cards('luo');
    expect(luoCard.buttons.map((b: any) => b.label)).toEqual(['受理', '转办']);
    expect(await cards('zhangsan')).toEqual([]);

    const before = (await inbox('luo')).now;
    h.clock.advance(60_000);
    expect(liCard.select).toMatchObject({ key: 'tier' });
    // The page sends the card's select as it is shown: its first option unless another is picked.
    expect((await tap('li', liCard.taskId, 'accept', { selected: { tier: [liCard.select.options[0].id] } })).status).toBe(200);
    await h.app.settle();

    // luo's copy is replaced in place (same row id), and shows up for a page polling since `before`.
    const changed = (await inbox('luo', before)).messages.filter((m) => m.kind === 'card');
    expect(changed).toHaveLength(1);
    expect(changed[0].payload).toMatchObject({ taskId: luoCard.taskId, closedNote: '已由李四受理', buttons: [] });
    expect((await inbox('luo')).messages.filter((m) => m.kind === 'card')).toHaveLength(1);
    expect((await cards('li'))[0]).toMatchObject({ closedNote: '已由李四受理', buttons: [] });

    const after = await h.api(`/requests/${req.id}`);
    expect(after).toMatchObject({ status: 'accepted', owner: { id: 'li', name: '李四' }, deadline: '2026-11-27T17:30:00+08:00' });
    const told = (await texts(yuan)).at(-1)!;
    expect(told).toContain('李四');
    expect(told).toContain(req.code);
    expect(told).toContain('11月27日 17:30');
  });

  it('takes a send repeated with the same clientId once', async () => {
    const yuan = await idOf('袁志弟 (关沟村村民)');
    const copies = await Promise.all([1, 2, 3].map(() => send(yuan, '水管爆了', { clientId: 'same-1' })));
    const bodies = await Promise.all(copies.map((r) => json(r)));
    expect(copies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
    await h.app.settle();
    expect((await h.api('/requests')).requests).toHaveLength(1);
    const chat = (await inbox(yuan)).messages;
    expect(chat.filter((m) => m.direction === 'in')).toHaveLength(1);
    expect(chat.filter((m) => m.direction === 'out')).toHaveLength(1);
    expect(await cards('li')).toHaveLength(1);
  });

  it('refuses politely a tap by someone who did not get the card, and changes nothing', async () => {
    const yuan = await idOf('袁志弟 (关沟村村民)');
    await send(yuan, '村口路灯坏了三天了');
    await h.app.settle();
    const [card] = await cards('li');

    expect((await tap('wuwei', card.taskId, 'accept')).status).toBe(200);
    expect((await tap(yuan, card.taskId, 'accept')).status).toBe(200);
    await h.app.settle();

    expect((await h.api('/requests')).requests[0]).toMatchObject({ status: 'pending', owner: null });
    expect((await texts('wuwei')).at(-1)).toContain('无法操作');
    expect((await texts(yuan)).at(-1)).toContain('无法操作');
    expect((await cards('wuwei'))).toEqual([]);
    expect((await cards('li'))[0].buttons.map((b: any) => b.label)).toEqual(['受理', '转办']);
    expect((await cards('luo'))[0].closedNote).toBeUndefined();
  });

  it('answers bad JSON and missing fields with 400, a clear error and a log line', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['send', '{not json', /JSON/],
      ['send', { text: '你好' }, /^as: /],
      ['send', { as: 'v1', text: '   ' }, /^text: /],
      ['send', { as: 'v1', type: 'sticker' }, /^type: /],
      ['tap', { as: 'li', action: 'accept' }, /^taskId: /],
      ['tap', [], /expected object/],
      ['villagers', { village: 'baiya' }, /^name: /],
      ['villagers', { name: '赵大妈', village: '火星村' }, /^village: /],
      ['unread', { seen: { li: 'yesterday' } }, /^seen\.li: /],
    ];
    for (const [path, body, error] of cases) {
      const before = h.logs().length;
      const res = await post(path, body);
      expect(res.status).toBe(400);
      expect((await json(res)).error).toMatch(error);
      const lines = h.logs().slice(before).filter((l) => l.msg === 'sandbox request rejected');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ route: `/sandbox/api/${path}` });
    }
    const noAs = await h.fetch('/sandbox/api/inbox');
    expect(noAs.status).toBe(400);
    expect((await json(noAs)).error).toMatch(/^as: /);
    await h.app.settle();
    expect((await h.api('/requests')).requests).toHaveLength(0);
  });

  it('asks a new villager without a village where they live, and records "白垭村"', async () => {
    const created = await post('villagers', { name: '赵大妈' });
    expect(created.status).toBe(201);
    const { id } = await json(created);
    expect(await idOf('赵大妈 (村民，未定村)')).toBe(id);

    await send(id, '家门口的水渠堵了');
    await h.app.settle();
    const [req] = (await h.api('/requests')).requests;
    expect(req).toMatchObject({ village: null, reporterName: '赵大妈' });
    expect((await texts(id))[0]).toContain('请回复您所在的村名');
    expect(await cards('zhao')).toHaveLength(1);

    await send(id, '白垭村');
    await h.app.settle();
    expect((await texts(id)).at(-1)).toBe('好的，已记下您是白垭村村民。');
    expect(await idOf('赵大妈 (白垭村村民)')).toBe(id);
    expect((await h.api('/requests')).requests).toHaveLength(1);

    const withVillage = await json(await post('villagers', { name: '钱大爷', village: '财梁村' }));
    expect(await idOf('钱大爷 (财梁村村民)')).toBe(withVillage.id);
  });

  it('attaches a picture or a location to the open request', async () => {
    const yuan = await idOf('袁志弟 (关沟村村民)');
    await send(yuan, '村口路灯坏了三天了');
    await h.app.settle();
    await post('send', { as: yuan, type: 'image', clientId: 'img-1' });
    await post('send', { as: yuan, type: 'location', text: '村口', clientId: 'loc-1' });
    await h.app.settle();
    const [req] = (await h.api('/requests')).requests;
    expect(req.events.filter((e: any) => e.type === 'attachment').map((e: any) => e.data.kind)).toEqual(['image', 'location']);
    const said = await texts(yuan);
    expect(said.at(-2)).toContain(`已收到您发来的图片，已补充到问题（编号 ${req.code}）中`);
    expect(said.at(-1)).toContain('位置');
    expect((await inbox(yuan)).messages.filter((m) => m.direction === 'in').map((m) => m.kind)).toEqual(['text', 'image', 'location']);
  });

  it('counts unread messages per identity since each was last seen', async () => {
    const yuan = await idOf('袁志弟 (关沟村村民)');
    await send(yuan, '村口路灯坏了三天了');
    await h.app.settle();
    const count = async (seen: Record<string, number>) => (await json(await post('unread', { seen }))).unread;
    expect(await count({})).toMatchObject({ li: 1, luo: 1, [yuan]: 1 });
    const seenLi = (await inbox('li')).now;
    h.clock.advance(1000);
    const [card] = await cards('li');
    await tap('li', card.taskId, 'accept');
    await h.app.settle();
    const after = await count({ li: seenLi, luo: (await inbox('luo')).now });
    expect(after.li).toBeGreaterThanOrEqual(2); // the updated card and the owner's working card
    expect(after.luo ?? 0).toBe(0);
  });
});
