import { dialects, dropCreatedDatabases } from '../helpers/db';
import { closeUnrated } from '../../src/operations/close-unrated';
import { Sandbox, startSandbox } from './sandbox';

/**
 * 合并. Two villagers report the same problem; a cadre merges one into the other
 * (合并 A B: A into B). Every reporter gets the result and is asked for satisfaction, and each
 * request closes on its own answer.
 */
describe.each(dialects())('lifecycle: 合并 (%s)', (dialect) => {
  let sb: Sandbox;
  let yuan: string;
  let ma: string;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
    yuan = await sb.villager('袁志弟');
    ma = await sb.villager('马桂兰');
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  async function mergedPair() {
    const a = await sb.report(yuan, '村口路灯坏了三天了');
    await sb.accept('li', a.code);
    const b = await sb.report(ma, '村口的路灯不亮了');
    const toLi = await sb.during('li', () => sb.send('li', `合并 ${b.code} ${a.code}`));
    expect(toLi).toEqual([`事项 ${b.code} 已并入 ${a.code}，一并办理。`]);
    expect(await sb.last(ma)).toBe(`您反映的问题（编号 ${b.code}）与编号 ${a.code} 是同一问题，已合并办理，办结后会告诉您结果。`);
    const merged = await sb.req(b.id);
    expect(merged).toMatchObject({ status: 'accepted', owner: { id: 'li' }, deadline: '2026-11-27T17:30:00+08:00' });
    expect(merged.events.at(-1)).toMatchObject({ type: 'merged', actor: 'person:li', data: { into: a.code } });
    expect((await sb.events(a.id)).at(-1)).toMatchObject({ type: 'merged_in', data: { from: b.code } });
    // B's new-request cards say where it went; nobody can take it any more.
    expect((await sb.card('luo', b.code, '新的群众诉求')).closedNote).toBe(`已并入${a.code}`);
    return { a, b };
  }

  it('both reporters get the result and are asked; each request closes on its own answer', async () => {
    const { a, b } = await mergedPair();
    await sb.send('li', `办结 ${a.code} 已更换灯泡，恢复照明`);
    for (const [who, r] of [[yuan, a], [ma, b]] as const) {
      expect(await sb.last(who)).toBe(`您反映的问题（编号 ${r.code}）已办结。\n办理结果：已更换灯泡，恢复照明\n请在下方卡片评价。`);
      expect((await sb.card(who, r.code)).buttons.map((x) => x.label)).toEqual(['满意', '不满意']);
    }
    expect(await sb.req(b.id)).toMatchObject({ status: 'resolved', owner: { id: 'li' } });
    expect((await sb.events(b.id)).at(-1)).toMatchObject({ type: 'resolved', actor: 'person:li', data: { via: a.code } });

    await sb.tap(yuan, await sb.card(yuan, a.code), '满意');
    expect(await sb.req(a.id)).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
    expect((await sb.req(b.id)).status).toBe('resolved');

    // 马桂兰 is not satisfied: her request reopens on its own; Yuan's stays closed.
    await sb.tap(ma, await sb.card(ma, b.code), '不满意');
    expect(await sb.req(b.id)).toMatchObject({ status: 'accepted', satisfaction: 'unsatisfied', owner: { id: 'li' } });
    expect((await sb.req(a.id)).status).toBe('closed');
    await sb.send(ma, '我家门口那盏还是不亮');
    await sb.send('li', `办结 ${b.code} 门口那盏也已更换`);
    expect(await sb.last(ma)).toContain('门口那盏也已更换');
    await sb.send(ma, '1');
    expect(await sb.req(b.id)).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
    expect(await sb.req(a.id)).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
  });

  it('a merged reporter who does not answer closes as 未评价 on their own', async () => {
    const { a, b } = await mergedPair();
    await sb.send('li', `办结 ${a.code} 已更换灯泡`);
    await sb.send(yuan, '满意');
    sb.h.clock.set(new Date('2026-12-01T17:31:00+08:00'));
    expect(await closeUnrated(sb.h.app.deps)).toEqual([b.code]);
    expect(await sb.req(b.id)).toMatchObject({ status: 'closed', satisfaction: null });
    expect(await sb.req(a.id)).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
  });

  it('an approved refusal reaches every reporter, and each may appeal', async () => {
    const { a, b } = await mergedPair();
    await sb.send('li', `否定 ${a.code} 依据：《公路法》第八条；理由：该路段路灯由县交通局管理`);
    await sb.tap('wang', await sb.card('wang', a.code), '同意');
    for (const [who, r] of [[yuan, a], [ma, b]] as const) {
      expect(await sb.req(r.id)).toMatchObject({ status: 'rejected' });
      expect(await sb.last(who)).toBe(
        `很抱歉，您反映的问题（编号 ${r.code}）经审核暂时无法办理。\n理由：该路段路灯由县交通局管理\n依据：《公路法》第八条\n如有异议，请回复“申诉”，我们会转镇领导重新处理。`,
      );
    }
    await sb.send(ma, '申诉');
    expect(await sb.req(b.id)).toMatchObject({ status: 'accepted', level: 'township' });
    expect((await sb.req(a.id)).status).toBe('rejected');
  });

  it('refuses a merge into itself, into a closed request, or by someone not working on it', async () => {
    const { a } = await mergedPair();
    sb.h.clock.advance(3 * 60_000);
    const c = await sb.report(yuan, '自来水停了');
    const before = await sb.req(c.id);
    expect(await sb.during('li', () => sb.send('li', `合并 ${c.code} ${c.code}`))).toEqual(['不能把事项并入它自己。']);
    expect(await sb.during('wuwei', () => sb.send('wuwei', `合并 ${c.code} ${a.code}`))).toEqual([expect.stringContaining('不是该事项的经办人')]);
    await sb.send('li', `办结 ${a.code} 已修好`);
    expect(await sb.during('li', () => sb.send('li', `合并 ${c.code} ${a.code}`))).toEqual([`事项 ${a.code} 已结束，不能并入。`]);
    expect(await sb.req(c.id)).toEqual(before);
  });
});
