import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from './sandbox';

/**
 * 限时办结. The cadre picks the tier on the card's 办结时限 select when taking the
 * request (default 一般); the deadline follows the working-day calendar with 调休; the villager is
 * told it; `时限 编号 日期` changes it (by a leader's 同意 where the tier fixes it).
 */
describe.each(dialects())('lifecycle: 限时办结 (%s)', (dialect) => {
  let sb: Sandbox;
  afterEach(() => sb?.close());
  afterAll(dropCreatedDatabases);

  async function takeWith(at: string, tier?: string, text = '村口路灯坏了三天了') {
    sb = await startSandbox(dialect, { at });
    const yuan = await sb.villager('袁志弟');
    const r = await sb.report(yuan, text);
    const card = await sb.card('li', r.code, '新的群众诉求');
    await sb.tap('li', card, '受理', tier ? { tier: [tier] } : undefined);
    return { r: await sb.req(r.id), yuan, card };
  }

  it('offers every tier on the card; 一般 is the default; the villager and the owner are told the deadline', async () => {
    const { r, yuan, card } = await takeWith('2026-11-26T10:00:00+08:00');
    expect(card.select).toMatchObject({ key: 'tier', title: '办结时限' });
    expect(card.select!.options.map((o) => o.text)).toEqual([
      '一般事项·1个工作日',
      '需镇研究·3个工作日',
      '信访投诉·7日',
      '特殊信访·15日',
      '需上级审批·承诺10个工作日',
      '需上级审批·承诺20个工作日',
      '联办·商定10个工作日',
    ]);
    expect(r).toMatchObject({ tier: 'general', deadline: '2026-11-27T17:30:00+08:00' });
    expect(await sb.last(yuan)).toBe(`您反映的问题（编号 ${r.code}）已由李四受理，负责到底。承诺办结时限：11月27日 17:30。联系电话：13800000001。`);
    expect((await sb.card('li', r.code, '您负责的群众诉求')).fields).toContainEqual({ label: '办结时限', value: '11月27日 17:30' });
  });

  it.each([
    ['township', '2026-11-26T10:00:00+08:00', 'township', '2026-12-01T17:30:00+08:00', '12月1日 17:30'],
    ['complaint', '2026-11-26T10:00:00+08:00', 'complaint', '2026-12-03T17:30:00+08:00', '12月3日 17:30'],
    ['complaint_special', '2026-11-26T10:00:00+08:00', 'complaint_special', '2026-12-11T17:30:00+08:00', '12月11日 17:30'],
    ['beyond:20', '2026-11-26T10:00:00+08:00', 'beyond', '2026-12-24T17:30:00+08:00', '12月24日 17:30'],
    // National Day 2026: 1–7 Oct off, Sat 10 Oct worked.
    [undefined, '2026-09-30T16:00:00+08:00', 'general', '2026-10-08T17:30:00+08:00', '10月8日 17:30'],
    ['township', '2026-09-30T16:00:00+08:00', 'township', '2026-10-10T17:30:00+08:00', '10月10日 17:30'],
    ['complaint', '2026-09-30T16:00:00+08:00', 'complaint', '2026-10-08T17:30:00+08:00', '10月8日 17:30'],
    ['joint:10', '2026-09-30T16:00:00+08:00', 'joint', '2026-10-20T17:30:00+08:00', '10月20日 17:30'],
    // Sun 20 Sep is worked (调休).
    [undefined, '2026-09-18T11:00:00+08:00', 'general', '2026-09-20T17:30:00+08:00', '9月20日 17:30'],
    // Spring Festival 2026: 15–23 Feb off, Sat 14 Feb worked.
    [undefined, '2026-02-13T10:00:00+08:00', 'general', '2026-02-14T17:30:00+08:00', '2月14日 17:30'],
    ['township', '2026-02-13T10:00:00+08:00', 'township', '2026-02-25T17:30:00+08:00', '2月25日 17:30'],
  ])('the select %s on %s → %s, due %s', async (choice, at, tier, deadline, zh) => {
    const { r, yuan } = await takeWith(at, choice);
    expect(r).toMatchObject({ tier, deadline, status: 'accepted' });
    expect(r.events[1]).toMatchObject({ type: 'accepted', data: { tier, deadline: expect.any(Number) } });
    expect(await sb.last(yuan)).toContain(`承诺办结时限：${zh}`);
  });

  it('时限 编号 日期 on a 一般 matter waits for a leader\'s 同意; the villager is told; bad, past or unauthorised changes are refused', async () => {
    const { r, yuan } = await takeWith('2026-11-26T10:00:00+08:00');
    sb.h.clock.advance(3600_000);
    // 李四 owns it and is the village secretary: the township leaders approve his change.
    expect(await sb.during('li', () => sb.send('li', `时限 ${r.code} 2026-12-20`))).toEqual([
      `事项 ${r.code} 的办结时限调整为 12月20日 17:30 需领导审批，已提交陈丽、王建国，审批前原时限不变。`,
    ]);
    expect((await sb.req(r.id)).deadline).toBe('2026-11-27T17:30:00+08:00');
    const ask = await sb.card('wang', r.code, '时限调整待您审批');
    expect(ask.fields).toEqual(expect.arrayContaining([{ label: '申请人', value: '李四' }, { label: '原时限', value: '11月27日 17:30' }, { label: '调整为', value: '12月20日 17:30' }]));
    expect(await sb.during('li', () => sb.tap('wang', ask, '同意'))).toEqual([`王建国已同意事项 ${r.code} 的办结时限调整为 12月20日 17:30。`]);
    let now = await sb.req(r.id);
    expect(now.deadline).toBe('2026-12-20T17:30:00+08:00');
    expect(now.events.at(-1)).toMatchObject({ type: 'deadline_set', actor: 'person:wang', channel: 'sandbox', at: '2026-11-26T11:00:00+08:00', data: { proposedBy: 'li' } });
    expect(await sb.last(yuan)).toBe(`您反映的问题（编号 ${r.code}）办结时限调整为 12月20日 17:30。`);
    expect((await sb.card('chen', r.code, '时限调整待您审批')).closedNote).toBe('已由王建国同意');

    await sb.send('li', `时限 ${r.code} 12月31日`);
    await sb.tap('chen', await sb.card('chen', r.code, '时限调整待您审批'), '同意');
    expect((await sb.req(r.id)).deadline).toBe('2026-12-31T17:30:00+08:00');

    const before = await sb.req(r.id);
    expect(await sb.during('li', () => sb.send('li', `时限 ${r.code} 下个月`))).toEqual(['没看懂这个日期，请按 2026-12-31 或 12月31日 的格式回复。']);
    expect(await sb.during('li', () => sb.send('li', `时限 ${r.code} 2026-11-20`))).toEqual(['承诺日期不能早于今天，请重新回复。']);
    expect(await sb.during('li', () => sb.send('li', `时限 ${r.code}`))).toEqual(['格式：时限 编号 2026-12-20']);
    expect(await sb.during('zhangsan', () => sb.send('zhangsan', `时限 ${r.code} 2027-01-10`))).toEqual([expect.stringContaining('不是该事项的经办人')]);
    // A township leader answers for it and may change it himself.
    await sb.send('wang', `时限 ${r.code} 2027-01-08`);
    now = await sb.req(r.id);
    expect(now.deadline).toBe('2027-01-08T17:30:00+08:00');
    expect(now.events.filter((e: any) => e.type === 'deadline_set').map((e: any) => e.actor)).toEqual(['person:wang', 'person:chen', 'person:wang']);
    expect(before.deadline).toBe('2026-12-31T17:30:00+08:00');

    await sb.send('li', `办结 ${r.code} 已修好`);
    const resolved = await sb.req(r.id);
    expect(await sb.during('li', () => sb.send('li', `时限 ${r.code} 2027-01-20`))).toEqual([expect.stringContaining('已办结')]);
    expect(await sb.req(r.id)).toEqual(resolved);
  });
});
