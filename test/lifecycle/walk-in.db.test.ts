import { ADMIN } from '../helpers/harness';
import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from './sandbox';
import { json } from '../helpers/json';

/**
 * 补录 (docs/interface.md#api POST /api/v1/requests). A matter taken at the window, by phone,
 * by letter or on the Tuesday desk: `takenBy` owns it from the start, `receivedAt` is as given and the
 * deadline counts from that day; from there the same rules apply, and at the end the owner records
 * the villager's answer on a card of their own.
 */
describe.each(dialects())('lifecycle: 补录 (%s)', (dialect) => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  const create = async (body: unknown) => {
    const res = await sb.h.fetch('/api/v1/requests', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await json(res) };
  };
  const tuesday = { village: 'guangou', text: '想咨询危房改造补助怎么申请', channel: 'visit', receivedAt: '2026-11-24T09:30:00+08:00', reporterName: '王大爷', takenBy: 'luo' };

  it('records it with takenBy as owner, receivedAt as given and the deadline from that day', async () => {
    const { status, body } = await create(tuesday);
    expect(status).toBe(201);
    expect(body).toMatchObject({
      code: '20261124-001',
      status: 'accepted',
      village: 'guangou',
      channel: 'visit',
      text: '想咨询危房改造补助怎么申请',
      reporterName: '王大爷',
      owner: { id: 'luo', name: '罗先运' },
      level: 'village',
      tier: 'general',
      category: 5,
      receivedAt: '2026-11-24T09:30:00+08:00',
      acceptedAt: '2026-11-26T10:00:00+08:00',
      deadline: '2026-11-25T17:30:00+08:00',
    });
    expect(body.events.map((e: any) => [e.type, e.actor, e.channel])).toEqual([
      ['received', 'person:luo', 'visit'],
      ['accepted', 'person:luo', 'visit'],
    ]);
    expect(await sb.h.api(`/requests/${body.id}`)).toEqual(body);
    await sb.h.app.settle();
    // Only the owner gets a card: it is already taken.
    expect((await sb.cards('luo')).map((c) => c.title)).toEqual(['您负责的群众诉求']);
    for (const who of ['li', 'zhangsan', 'zhao']) expect(await sb.cards(who)).toEqual([]);

    // A phone call on a Friday, 需镇研究: three working days from that Friday.
    const phone = await create({ ...tuesday, channel: 'phone', receivedAt: '2026-11-20T16:00:00+08:00', tier: 'township', village: null, takenBy: 'zhao' });
    expect(phone.status).toBe(201);
    expect(phone.body).toMatchObject({ code: '20261120-001', village: null, level: 'township', tier: 'township', owner: { id: 'zhao' }, deadline: '2026-11-25T17:30:00+08:00' });
  });

  it('the owner works it like any other and, at the end, records the villager\'s answer', async () => {
    const { body: r } = await create(tuesday);
    await sb.h.app.settle();
    await sb.send('luo', `进展 ${r.code} 已上门查看房屋，符合申请条件`);
    const said = await sb.during('luo', () => sb.send('luo', `办结 ${r.code} 已指导填写申请表，镇里受理`));
    expect(said).toEqual([`事项 ${r.code} 已办结。群众暂时无法在线收到结果，请电话或当面告知，并在卡片上代群众评价。`]);
    const proxy = await sb.card('luo', r.code, '请代群众评价（当面或电话）');
    expect(proxy.buttons.map((b) => b.label)).toEqual(['满意', '不满意']);
    expect(proxy.fields).toContainEqual({ label: '办理结果', value: '已指导填写申请表，镇里受理' });
    // Someone else cannot answer for the villager.
    const before = await sb.req(r.id);
    await sb.tap('li', proxy, '满意');
    expect(await sb.req(r.id)).toEqual(before);

    await sb.tap('luo', proxy, '满意');
    expect(await sb.last('luo')).toBe(`已代群众记录评价：满意（事项 ${r.code}）。`);
    const done = await sb.req(r.id);
    expect(done).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
    expect(done.events.map((e: any) => e.type)).toEqual(['received', 'accepted', 'progress', 'resolved', 'rated', 'closed']);
    expect(done.events[4]).toMatchObject({ actor: 'person:luo', channel: 'sandbox', data: { value: 'satisfied' } });
  });

  it('answers a body that is not JSON with 400 and records nothing', async () => {
    const { status, body } = await create('{"text": ');
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^请求有误/) });
    expect((await sb.h.api('/requests')).requests).toEqual([]);
  });

  it.each<[string, unknown, RegExp]>([
    ['no text', { ...tuesday, text: undefined }, /text/],
    ['empty text', { ...tuesday, text: '   ' }, /text/],
    ['a channel that is not visit, phone or letter', { ...tuesday, channel: 'email' }, /channel/],
    ['no receivedAt', { ...tuesday, receivedAt: undefined }, /receivedAt/],
    ['a receivedAt that is not a time', { ...tuesday, receivedAt: 'last Tuesday' }, /receivedAt/],
    ['a receivedAt in the future', { ...tuesday, receivedAt: '2026-11-27T09:00:00+08:00' }, /receivedAt/],
    ['an unknown takenBy', { ...tuesday, takenBy: 'nobody' }, /takenBy/],
    ['no takenBy', { ...tuesday, takenBy: undefined }, /takenBy/],
    ['an unknown village', { ...tuesday, village: 'mars' }, /village/],
    ['a category out of range', { ...tuesday, category: 9 }, /category/],
    ['a tier that does not exist', { ...tuesday, tier: 'someday' }, /tier/],
    ['a list instead of an object', [tuesday], /必须是一个 JSON 对象/],
  ])('answers %s with 400 and a Chinese message, and records nothing', async (_what, body, field) => {
    const { status, body: res } = await create(body);
    expect(status).toBe(400);
    expect(res.error.message).toMatch(field);
    // The reason is said in Chinese (naming the field), not in the validator's English.
    expect(res.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(res.error.message.replace(/text|channel|receivedAt|takenBy|village|category|tier|ISO-8601|visit|phone|letter|JSON|body|general|township|complaint_special|complaint|beyond|joint/g, '')).not.toMatch(/[A-Za-z]{3,}/);
    expect((await sb.h.api('/requests')).requests).toEqual([]);
  });
});
