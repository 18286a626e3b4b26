import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from './sandbox';

/**
 * 上报. village → township 民情处理站 (its people get a card; a general matter
 * becomes 需镇研究, 3 working days) → county 民情处理中心 (a promised date is required). The level
 * is recorded, the owner does not change, and the top level cannot go further.
 */
describe.each(dialects())('lifecycle: 上报 (%s)', (dialect) => {
  let sb: Sandbox;
  let yuan: string;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
    yuan = await sb.villager('袁志弟');
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  it('village → township → county, with cards for each level, tier and deadline reconsidered, the owner kept', async () => {
    const r = await sb.report(yuan, '村里的桥被洪水冲坏了，需要重建');
    await sb.accept('li', r.code);
    sb.h.clock.advance(24 * 3600_000); // Fri 27 Nov 10:00

    const toLi = await sb.during('li', async () => sb.tap('li', await sb.card('li', r.code, '您负责的群众诉求'), '上报'));
    // 3 working days from Friday: 30 Nov, 1 Dec, 2 Dec.
    expect(toLi).toEqual([`事项 ${r.code} 已上报镇民情处理站，办结时限：12月2日 17:30。您仍是首问责任人，请跟进到办结。`]);
    let now = await sb.req(r.id);
    expect(now).toMatchObject({ level: 'township', tier: 'township', deadline: '2026-12-02T17:30:00+08:00', owner: { id: 'li' }, status: 'accepted' });
    expect(now.handlers.map((p: any) => p.id)).toEqual(['sun', 'zhao']);
    expect(now.events.at(-1)).toMatchObject({ type: 'escalated', actor: 'person:li', channel: 'sandbox', data: { from: 'village', to: 'township', tier: 'township' } });
    for (const who of ['zhao', 'sun']) {
      const card = await sb.card(who, r.code);
      expect(card.title).toBe('关沟村上报的群众诉求');
      expect(card.buttons.map((b) => b.label)).toEqual(['办结', '转办', '上报']);
    }
    expect(await sb.last(yuan)).toBe(`您反映的问题（编号 ${r.code}）已上报镇民情处理站协调办理，办结时限调整为 12月2日 17:30。`);

    // The township office takes it further: the county needs a promised date.
    const zhaoCard = await sb.card('zhao', r.code);
    const asked = await sb.during('zhao', () => sb.tap('zhao', zhaoCard, '上报'));
    expect(asked).toEqual([`事项 ${r.code} 上报县民情处理中心需要承诺办结时限，请回复日期，例如 2026-12-31 或 12月31日（30分钟内有效）。`]);
    expect((await sb.req(r.id)).level).toBe('township');
    expect(await sb.during('zhao', () => sb.send('zhao', '月底'))).toEqual(['没看懂这个日期，请按 2026-12-31 或 12月31日 的格式回复。']);
    expect(await sb.during('zhao', () => sb.send('zhao', '2026-11-01'))).toEqual(['承诺日期不能早于今天，请重新回复。']);
    expect((await sb.req(r.id)).level).toBe('township');

    const heard = await sb.during('li', () => sb.send('zhao', '12月31日'));
    expect(heard).toEqual([`事项 ${r.code} 已上报县民情处理中心，办结时限：12月31日 17:30。您仍是首问责任人，请跟进到办结。`]);
    now = await sb.req(r.id);
    expect(now).toMatchObject({ level: 'county', tier: 'beyond', deadline: '2026-12-31T17:30:00+08:00', owner: { id: 'li' } });
    expect(now.handlers.map((p: any) => p.id)).toEqual(['sun', 'zhao', 'xian']);
    expect(now.events.at(-1)).toMatchObject({ type: 'escalated', actor: 'person:zhao', data: { from: 'township', to: 'county', tier: 'beyond' } });
    expect(await sb.card('xian', r.code)).toMatchObject({ title: '镇民情处理站上报的群众诉求' });
    expect(await sb.last(yuan)).toContain('已上报县民情处理中心协调办理，办结时限调整为 12月31日 17:30');

    // The county is the top.
    const before = await sb.req(r.id);
    const top = await sb.during('xian', async () => sb.tap('xian', await sb.card('xian', r.code), '上报'));
    expect(top).toEqual([`事项 ${r.code} 已在县民情处理中心，无法继续上报。`]);
    expect(await sb.req(r.id)).toEqual(before);
    expect(now.events.filter((e: any) => e.type === 'escalated')).toHaveLength(2);
  });

  it('上报 编号 2026-12-31 by text, straight from a township-level request; not from a resolved one', async () => {
    // A villager with no village: the request starts at the township office.
    const zhang = await sb.newVillager('赵大妈');
    const r = await sb.report(zhang, '家里危房需要改造');
    expect(r.level).toBe('township');
    await sb.accept('zhao', r.code, 'township');
    await sb.send('zhao', `上报 ${r.code} 2026-12-31`);
    const now = await sb.req(r.id);
    expect(now).toMatchObject({ level: 'county', tier: 'beyond', deadline: '2026-12-31T17:30:00+08:00', owner: { id: 'zhao' }, handlers: [{ id: 'xian' }] });

    await sb.send('xian', `办结 ${r.code} 已列入明年危房改造计划`);
    const resolved = await sb.req(r.id);
    expect(await sb.during('zhao', () => sb.send('zhao', `上报 ${r.code}`))).toEqual([expect.stringContaining('已办结')]);
    expect(await sb.req(r.id)).toEqual(resolved);
    // A stranger cannot escalate.
    const other = await sb.report(await sb.villager('袁志弟'), '村口路灯坏了');
    await sb.accept('li', other.code);
    const before = await sb.req(other.id);
    expect(await sb.during('wuwei', () => sb.send('wuwei', `上报 ${other.code}`))).toEqual([expect.stringContaining('不是该事项的经办人')]);
    expect(await sb.req(other.id)).toEqual(before);
  });
});
