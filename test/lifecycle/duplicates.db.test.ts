import type { CardContent } from '../../cards/content';
import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from './sandbox';

/**
 * Likely duplicates on intake (docs/interface.md#duplicates): a new request close to an open one of
 * the same village from the last 30 days names it on its new-request card (疑似重复：CODE) with a 合并
 * button that merges the new one into it. Another village, an older request, or a closed one: no hint.
 */
describe.each(dialects())('lifecycle: 疑似重复 (%s)', (dialect) => {
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

  it('names the open request a new one repeats, and 合并 merges it there', async () => {
    const a = await sb.report(yuan, '村口路灯坏了三天了，晚上黑得很');
    sb.h.clock.advance(3600_000);
    const b = await sb.report(ma, '村口那盏路灯不亮了');
    expect(b.events.map((e: any) => e.type)).toEqual(['received', 'likely_duplicate']);
    expect(b.events[1]).toMatchObject({ actor: 'system', data: { of: a.code } });

    const card = await sb.card('li', b.code, '新的群众诉求');
    expect(card.fields).toContainEqual({ label: '疑似重复', value: a.code });
    expect(card.buttons.map((x) => x.label)).toEqual(['受理', '转办', '合并']);
    // The first request's card is as before.
    expect((await sb.card('li', a.code, '新的群众诉求')).buttons.map((x) => x.label)).toEqual(['受理', '转办']);

    const toLi = await sb.during('li', () => sb.tap('li', card, '合并'));
    expect(toLi).toEqual([`事项 ${b.code} 已并入 ${a.code}，一并办理。`]);
    expect(await sb.req(b.id)).toMatchObject({ status: 'pending' });
    expect((await sb.events(b.id)).at(-1)).toMatchObject({ type: 'merged', actor: 'person:li', data: { into: a.code } });
    expect((await sb.card('luo', b.code, '新的群众诉求')).closedNote).toBe(`已并入${a.code}`);
    expect(await sb.last(ma)).toBe(`您反映的问题（编号 ${b.code}）与编号 ${a.code} 是同一问题，已合并办理，办结后会告诉您结果。`);
  });

  it('merges into an accepted one too, and the new one follows its owner and deadline', async () => {
    const a = await sb.report(yuan, '三组停水两天了');
    await sb.accept('li', a.code);
    const b = await sb.report(ma, '我们三组这边自来水断了两天');
    // The one who owns the earlier request (李四 is on duty, so his card has the button) merges it in;
    // a resident cadre with no right on the earlier one may not (docs/interface.md#rights: both requests).
    await sb.tap('luo', await sb.card('luo', b.code, '新的群众诉求'), '合并');
    expect((await sb.req(b.id)).status).toBe('pending');
    const card = await sb.card('li', b.code, '新的群众诉求');
    expect(card.fields).toContainEqual({ label: '疑似重复', value: a.code });
    await sb.tap('li', card, '合并');
    expect(await sb.req(b.id)).toMatchObject({ status: 'accepted', owner: { id: 'li' } });
  });

  it('gives no hint for another matter, another village, a request over 30 days old, or one already closed', async () => {
    const wang = await sb.villager('王秀英'); // 白垭村
    const old = await sb.report(yuan, '村口路灯坏了三天了');
    sb.h.clock.advance(31 * 24 * 3600_000);
    const otherMatter = await sb.report(ma, '低保申请材料不知道怎么交');
    const otherVillage = await sb.report(wang, '村口路灯坏了三天了');
    sb.h.clock.advance(3 * 60_000);
    const tooLate = await sb.report(ma, '村口路灯坏了好几天了');
    for (const r of [otherMatter, otherVillage]) expect(r.events.map((e: any) => e.type)).toEqual(['received']);
    // The 31-day-old one is not named; the one of today is the only candidate left for the next.
    expect(tooLate.events.map((e: any) => e.type)).toEqual(['received']);
    expect(old.code).not.toBe(tooLate.code);
    // (31 days on is a Sunday: the village's Sunday duty and the township duty have the cards.)
    await sb.accept('zhangsan', tooLate.code);
    await sb.send('zhangsan', `办结 ${tooLate.code} 已修好`);
    sb.h.clock.advance(3 * 60_000);
    const again = await sb.report(yuan, '村口路灯又坏了三天了');
    expect(again.events.map((e: any) => e.type)).toEqual(['received']);
    expect((await sb.card('zhangsan', again.code, '新的群众诉求')).buttons.map((x) => x.label)).toEqual(['受理', '转办']);
  });

  it('sends the command on a DingTalk ActionCard: 合并 新编号 原编号', async () => {
    const { toDingtalkActionCard } = await import('../../cards/dingtalk');
    const a = await sb.report(yuan, '村口路灯坏了三天了');
    const b = await sb.report(ma, '村口路灯不亮了');
    const card = await sb.card('li', b.code, '新的群众诉求');
    const ac = toDingtalkActionCard(card as unknown as CardContent);
    expect(ac.msgKey).toBe('sampleActionCard3');
    expect(ac.msgParam.actionTitle3).toBe('合并');
    expect(decodeURIComponent(ac.msgParam.actionURL3)).toBe(`dtmd://dingtalkclient/sendMessage?content=合并 ${b.code} ${a.code}`);
    expect(ac.msgParam.text).toContain(`**疑似重复**：${a.code}`);
  });
});
