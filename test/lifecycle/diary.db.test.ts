import { AttachmentRow, DiaryEntryRow } from '../../src/db/entities';
import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from './sandbox';

/**
 * 民情日记. One matter, one record: 事由 in the villager's words with what they
 * sent, 办理过程 by the owner and handlers, 办理结果; a category suggested from keywords and set by
 * the cadre; and diary entries of their own (日记 …).
 */
describe.each(dialects())('lifecycle: 民情日记 (%s)', (dialect) => {
  let sb: Sandbox;
  let yuan: string;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
    yuan = await sb.villager('袁志弟');
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  const diary = () => sb.h.app.db.ds.getRepository(DiaryEntryRow).find({ order: { id: 'ASC' } });

  it('keeps 事由 verbatim with attachments, 办理过程 by owner and handler, 办理结果, and the category', async () => {
    const words = '路边垃圾成堆没人管，夏天臭得很！\n  已经半个月了😢';
    const r = await sb.report(yuan, `  ${words}  `);
    expect(r.text).toBe(words);
    expect(r.events[0]).toMatchObject({ type: 'received', data: { text: words } });
    expect(r.category).toBe(7);

    await sb.send(yuan, '', { type: 'image' });
    expect(await sb.last(yuan)).toBe(`已收到您发来的图片，已补充到问题（编号 ${r.code}）中。`);
    const [photo] = await sb.h.app.db.ds.getRepository(AttachmentRow).findBy({ requestId: r.id });
    expect(photo).toMatchObject({ kind: 'image', platform: 'sandbox', mediaId: expect.stringMatching(/^sandbox-image-/) });
    expect((await sb.events(r.id)).at(-1)).toMatchObject({ type: 'attachment', actor: `villager:${yuan.slice(1)}`, data: { kind: 'image', mediaId: photo.mediaId } });

    await sb.accept('li', r.code);
    await sb.send('li', `转办 ${r.code} 张三`);
    expect(await sb.during('li', () => sb.send('li', `进展 ${r.code} 原因：保洁员请假无人清运。措施：联系镇环卫所派车`))).toEqual([`已记入事项 ${r.code} 的办理过程。`]);
    sb.h.clock.advance(3600_000);
    expect(await sb.during('li', () => sb.send('zhangsan', `进展 ${r.code} 环卫车已清运，张三在场负责`))).toEqual([`张三记录了事项 ${r.code} 的办理过程：环卫车已清运，张三在场负责`]);
    // The category as the cadre sees it.
    expect(await sb.during('li', () => sb.send('li', `分类 ${r.code} 5`))).toEqual([`事项 ${r.code} 的分类已设为：5 群众关注的热点难点。`]);
    expect(await sb.during('li', () => sb.send('li', `分类 ${r.code} 9`))).toEqual(['格式：分类 编号 1-8']);
    await sb.send('li', `分类 ${r.code} 7`);
    await sb.send('zhangsan', `办结 ${r.code} 垃圾已清运，已安排每周二、五定时清运`);

    const now = await sb.req(r.id);
    expect(now).toMatchObject({ text: words, category: 7, result: '垃圾已清运，已安排每周二、五定时清运' });
    expect(now.events.filter((e: any) => e.type === 'categorized').map((e: any) => [e.actor, e.data.category])).toEqual([
      ['person:li', 5],
      ['person:li', 7],
    ]);
    expect(now.events.filter((e: any) => e.type === 'progress').map((e: any) => [e.actor, e.data.text, e.at])).toEqual([
      ['person:li', '原因：保洁员请假无人清运。措施：联系镇环卫所派车', '2026-11-26T10:00:00+08:00'],
      ['person:zhangsan', '环卫车已清运，张三在场负责', '2026-11-26T11:00:00+08:00'],
    ]);
    expect(now.events.find((e: any) => e.type === 'resolved')).toMatchObject({ actor: 'person:zhangsan', data: { result: '垃圾已清运，已安排每周二、五定时清运' } });
    expect((await diary()).map((d) => [d.personId, d.requestId, d.kind, d.text])).toEqual([
      ['li', r.id, 'process', '原因：保洁员请假无人清运。措施：联系镇环卫所派车'],
      ['zhangsan', r.id, 'process', '环卫车已清运，张三在场负责'],
    ]);

    // Someone with nothing to do with it writes nothing into its record.
    expect(await sb.during('wuwei', () => sb.send('wuwei', `进展 ${r.code} 随便写写`))).toEqual([expect.stringContaining('不是该事项的经办人')]);
    expect(await diary()).toHaveLength(2);
  });

  it('a picture alone starts a request of its own, uncategorised until a cadre says', async () => {
    await sb.send(yuan, '', { type: 'image' });
    const [r] = (await sb.h.api('/requests')).requests;
    expect(r).toMatchObject({ text: '（群众发来图片）', category: null });
    expect(r.events.map((e: any) => e.type)).toEqual(['received', 'attachment']);
    expect(await sb.last(yuan)).toContain(r.code);
  });

  it('日记 … is an entry of the cadre\'s own diary, not tied to a request', async () => {
    expect(await sb.during('luo', () => sb.send('luo', '日记 周二在关沟村坐班，接待群众5人，解答低保政策3件'))).toEqual(['已记入您的民情日记，分类：5 群众关注的热点难点（系统判断，如不对可发“日记 分类号 内容”重记）。']);
    expect(await sb.during('luo', () => sb.send('luo', '日记'))).toEqual(['格式：日记 [分类1-8] 内容']);
    expect((await diary()).map((d) => [d.personId, d.requestId, d.kind, d.text, d.at])).toEqual([
      ['luo', null, 'free', '周二在关沟村坐班，接待群众5人，解答低保政策3件', new Date('2026-11-26T10:00:00+08:00').getTime()],
    ]);
    expect((await sb.h.api('/requests')).requests).toEqual([]);
    // From a villager, the same words are a request.
    const r = await sb.report(yuan, '日记 我想反映个事');
    expect(r.text).toBe('日记 我想反映个事');
  });
});
