import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from './sandbox';

/**
 * Undoing an append (docs/interface.md#text-commands): a message within 2 minutes of the last one
 * joins that request, and its receipt says how to make it a separate matter. The villager's `新问题`
 * (right after, within 10 minutes) or the owner's `拆分 编号` turns it into a request of its own — its
 * own code, card and receipt — and both timelines name the other.
 */
describe.each(dialects())('lifecycle: 新问题 / 拆分 (%s)', (dialect) => {
  let sb: Sandbox;
  let yuan: string;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
    yuan = await sb.villager('袁志弟');
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  const appended = (code: string) => `已补充到您的问题（编号 ${code}）中。如果这是另一件事，请在10分钟内回复“新问题”，我们会单独登记。`;

  it('the villager\'s 新问题 right after an append makes it a request of its own', async () => {
    const a = await sb.report(yuan, '村口路灯坏了三天了');
    await sb.accept('li', a.code);
    sb.h.clock.advance(60_000);
    await sb.send(yuan, '另外我家低保的事也想问问');
    expect(await sb.last(yuan)).toBe(appended(a.code));
    sb.h.clock.advance(3 * 60_000);
    const toLi = await sb.during('li', () => sb.send(yuan, '新问题'));

    const { requests } = await sb.h.api('/requests');
    expect(requests).toHaveLength(2);
    const b = requests[0];
    expect(b).toMatchObject({ text: '另外我家低保的事也想问问', status: 'pending', village: 'guangou', category: 5, receivedAt: '2026-11-26T10:01:00+08:00' });
    expect(await sb.last(yuan)).toBe(`好的，已单独登记为新问题，编号 ${b.code}（原问题 ${a.code} 照常办理）。我们会尽快安排工作人员受理。`);
    expect(toLi).toContain(`群众说补充到事项 ${a.code} 的内容是另一件事，已单独登记为 ${b.code}：另外我家低保的事也想问问`);
    expect((await sb.card('luo', b.code, '新的群众诉求')).quote).toBe('另外我家低保的事也想问问');
    expect((await sb.events(a.id)).at(-1)).toMatchObject({ type: 'split_out', actor: `villager:${yuan.slice(1)}`, data: { to: b.code, text: '另外我家低保的事也想问问' } });
    expect(b.events.map((e: any) => e.type)).toEqual(['received', 'split_from']);
    expect(b.events[1]).toMatchObject({ data: { from: a.code } });
    expect(await sb.req(a.id)).toMatchObject({ status: 'accepted', text: '村口路灯坏了三天了' });

    // Only once.
    await sb.send(yuan, '新问题');
    expect(await sb.last(yuan)).toBe('没有可以单独登记的补充内容。如有新的问题，请直接发送。');
    expect((await sb.h.api('/requests')).requests).toHaveLength(2);
  });

  it('does nothing after the 10 minutes, after a message that was not an addition, or with nothing appended', async () => {
    const none = '没有可以单独登记的补充内容。如有新的问题，请直接发送。';
    await sb.send(yuan, '新问题');
    expect(await sb.last(yuan)).toBe(none);
    const a = await sb.report(yuan, '村口路灯坏了三天了');
    await sb.send(yuan, '已经三天了');
    sb.h.clock.advance(11 * 60_000);
    await sb.send(yuan, '新问题');
    expect(await sb.last(yuan)).toBe(none);

    // An addition, then (3 minutes on, a new request) another message: 新问题 no longer applies.
    const b = await sb.report(yuan, '河边垃圾没人清');
    sb.h.clock.advance(60_000);
    await sb.send(yuan, '臭得很');
    expect(await sb.last(yuan)).toBe(appended(b.code));
    sb.h.clock.advance(3 * 60_000);
    await sb.report(yuan, '自来水也停了');
    await sb.send(yuan, '新问题');
    expect(await sb.last(yuan)).toBe(none);
    expect((await sb.h.api('/requests')).requests).toHaveLength(3);
    expect((await sb.events(a.id)).map((e: any) => e.type)).not.toContain('split_out');
  });

  it('the owner\'s 拆分 编号 splits the last appended message, and the villager is told its code', async () => {
    const a = await sb.report(yuan, '村口路灯坏了三天了');
    await sb.accept('li', a.code);
    await sb.send(yuan, '河边垃圾也没人清');
    sb.h.clock.advance(30 * 60_000);
    const toLi = await sb.during('li', () => sb.send('li', `拆分 ${a.code}`));
    const b = (await sb.h.api('/requests')).requests[0];
    expect(b).toMatchObject({ text: '河边垃圾也没人清', category: 7 });
    expect(toLi).toEqual([`已把事项 ${a.code} 最后补充的内容单独登记为 ${b.code}，并发给值班干部。`]);
    expect(await sb.last(yuan)).toBe(`您补充到问题（编号 ${a.code}）中的内容是另一件事，已单独登记为新问题，编号 ${b.code}。`);
    expect((await sb.events(a.id)).at(-1)).toMatchObject({ type: 'split_out', actor: 'person:li', data: { to: b.code } });
    // Nothing left to split; someone with no part in it may not.
    expect(await sb.during('li', () => sb.send('li', `拆分 ${a.code}`))).toEqual([`事项 ${a.code} 没有可以拆分的补充内容。`]);
    expect(await sb.during('liuming', () => sb.send('liuming', `拆分 ${a.code}`))).toEqual(['抱歉，您不是该事项的经办人，无法操作。如有疑问请联系镇民情处理站。']);
    expect(await sb.during('li', () => sb.send('li', '拆分'))).toEqual(['格式：拆分 编号']);
  });
});
