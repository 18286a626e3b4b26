import { dialects, dropCreatedDatabases } from '../helpers/db';
import { NOTICE_TEMPLATES } from '../../src/domain/notice-templates';
import { Sandbox, startSandbox } from './sandbox';

/**
 * 一次性告知. The owner gets the draft for the request's category, edits it, and
 * the villager receives it in one message, once; the notice is on the timeline.
 */
describe.each(dialects())('lifecycle: 一次性告知 (%s)', (dialect) => {
  let sb: Sandbox;
  let yuan: string;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
    yuan = await sb.villager('袁志弟');
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  it('offers the draft of the request\'s category; the edited reply goes to the villager once and is recorded', async () => {
    // (A matter of the 农事村办 catalogue drafts that matter instead: test/year/catalogue.db.test.ts.)
    const r = await sb.report(yuan, '家里房子漏雨成了危房，想申请帮扶，需要准备什么材料');
    expect(r.category).toBe(5);
    await sb.accept('li', r.code);
    const card = await sb.card('li', r.code, '您负责的群众诉求');
    const draft = await sb.during('li', () => sb.tap('li', card, '一次性告知'));
    expect(draft).toEqual([`事项 ${r.code} 的一次性告知模板如下，请修改后直接回复完整内容（30分钟内有效），系统会一次性发给群众：\n${NOTICE_TEMPLATES[5]}`]);
    expect(draft[0]).toContain('户口本');

    const edited = '请携带：身份证、户口本、近三个月收入证明、银行卡。\n办理地点：村便民服务室，周二驻村干部在村。\n办理流程：材料齐全当场受理，镇里审核后15个工作日内答复。';
    sb.h.clock.advance(10 * 60_000);
    const heard = await sb.during(yuan, () => sb.send('li', edited));
    expect(heard).toEqual([`【一次性告知】关于您反映的问题（编号 ${r.code}）：\n${edited}`]);
    expect(await sb.last('li')).toBe(`一次性告知已发给事项 ${r.code} 的群众。`);
    const now = await sb.req(r.id);
    expect(now.status).toBe('accepted');
    expect(now.events.at(-1)).toMatchObject({ type: 'notice', actor: 'person:li', channel: 'sandbox', at: '2026-11-26T10:10:00+08:00', data: { text: edited } });
    expect(now.events.filter((e: any) => e.type === 'notice')).toHaveLength(1);

    // The question was answered: the owner's next words are not sent again.
    const again = await sb.during(yuan, () => sb.send('li', '好的'));
    expect(again).toEqual([]);
    expect((await sb.events(r.id)).filter((e: any) => e.type === 'notice')).toHaveLength(1);
  });

  it('follows the category the cadre set; 告知 编号 内容 sends at once; only those working on it may', async () => {
    const r = await sb.report(yuan, '村里有人乱倒建筑废料');
    await sb.accept('li', r.code);
    await sb.send('li', `分类 ${r.code} 7`);
    const draft = await sb.during('li', () => sb.send('li', `告知 ${r.code}`));
    expect(draft[0]).toContain(NOTICE_TEMPLATES[7]);

    const before = await sb.req(r.id);
    expect(await sb.during('zhangsan', () => sb.send('zhangsan', `告知 ${r.code} 请带上照片`))).toEqual([expect.stringContaining('不是该事项的经办人')]);
    expect(await sb.during(yuan, () => sb.send('wuwei', `告知 ${r.code} 请带上照片`))).toEqual([]);
    expect(await sb.req(r.id)).toEqual(before);

    const heard = await sb.during(yuan, () => sb.send('li', `告知 ${r.code} 请发一张现场照片和具体位置，我们明天上午去看。`));
    expect(heard).toEqual([`【一次性告知】关于您反映的问题（编号 ${r.code}）：\n请发一张现场照片和具体位置，我们明天上午去看。`]);
    expect((await sb.events(r.id)).filter((e: any) => e.type === 'notice').map((e: any) => e.data.text)).toEqual(['请发一张现场照片和具体位置，我们明天上午去看。']);

    // Not once it is resolved.
    await sb.send('li', `办结 ${r.code} 已清理`);
    expect(await sb.during('li', () => sb.send('li', `告知 ${r.code} 再补充一点`))).toEqual([expect.stringContaining('已办结')]);
  });
});
