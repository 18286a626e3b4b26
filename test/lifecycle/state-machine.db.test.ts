import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, SHORT_ZH, startSandbox } from './sandbox';

/**
 * the state machine. Every transition leaves one timeline event saying who did
 * what, when, from which channel; an action that is not allowed is refused with a short Chinese
 * explanation to the one who tried, and nothing about the request changes.
 */
describe.each(dialects())('lifecycle: state machine and timeline (%s)', (dialect) => {
  let sb: Sandbox;
  let yuan: string;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
    yuan = await sb.villager('袁志弟');
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  const minutes = (n: number) => sb.h.clock.advance(n * 60_000);

  it('pending → accepted → resolved → closed, one event per step with who, when, what and channel', async () => {
    const r = await sb.report(yuan, '村口路灯坏了三天了');
    const v = `villager:${yuan.slice(1)}`;
    expect(r).toMatchObject({ status: 'pending', owner: null, acceptedAt: null, deadline: null });

    minutes(5);
    await sb.accept('li', r.code);
    expect(await sb.req(r.id)).toMatchObject({ status: 'accepted', owner: { id: 'li' }, acceptedAt: '2026-11-26T10:05:00+08:00' });

    minutes(5);
    await sb.send('li', `进展 ${r.code} 已联系镇供电所电工`);
    minutes(10);
    await sb.tap('li', await sb.card('li', r.code, '您负责的群众诉求'), '办结');
    expect((await sb.req(r.id)).status).toBe('accepted'); // asked for the result first
    expect(await sb.last('li')).toContain('请回复事项');
    minutes(1);
    await sb.send('li', '路灯已更换灯泡，恢复照明');
    expect(await sb.req(r.id)).toMatchObject({ status: 'resolved', resolvedAt: '2026-11-26T10:21:00+08:00' });

    minutes(9);
    await sb.tap(yuan, await sb.card(yuan, r.code), '满意');
    const done = await sb.req(r.id);
    expect(done).toMatchObject({ status: 'closed', satisfaction: 'satisfied', closedAt: '2026-11-26T10:30:00+08:00' });

    expect(done.events.map((e: any) => [e.type, e.actor, e.channel, e.at.slice(11, 16)])).toEqual([
      ['received', v, 'sandbox', '10:00'],
      ['accepted', 'person:li', 'sandbox', '10:05'],
      ['progress', 'person:li', 'sandbox', '10:10'],
      ['resolved', 'person:li', 'sandbox', '10:21'],
      ['rated', v, 'sandbox', '10:30'],
      ['closed', 'system', null, '10:30'],
    ]);
    expect(done.events[0].data.text).toBe('村口路灯坏了三天了');
    expect(done.events[1].data).toMatchObject({ owner: 'li', tier: 'general' });
    expect(done.events[3].data.result).toBe('路灯已更换灯泡，恢复照明');
    expect(done.events[4].data.value).toBe('satisfied');
  });

  describe('refuses what is not allowed, to the one who tried, and changes nothing', () => {
    /** Runs `act`; the request is unchanged, `who` got one short Chinese line matching `says`, nobody else anything. */
    async function refused(id: number, who: string, act: () => Promise<void>, says: RegExp, watch: string[] = []) {
      const before = await sb.req(id);
      const others = await Promise.all(watch.map((w) => sb.texts(w)));
      const got = await sb.during(who, act);
      expect(await sb.req(id)).toEqual(before);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatch(SHORT_ZH);
      expect(got[0]).toMatch(says);
      for (const [i, w] of watch.entries()) expect(await sb.texts(w)).toEqual(others[i]);
    }

    it('a second 受理, a villager or a stranger on a cadre\'s button, 办结 on a closed request', async () => {
      const r = await sb.report(yuan, '村口路灯坏了三天了');
      await sb.accept('li', r.code);
      // 罗先运 got the same new-request card; his 受理 comes too late.
      const luoCopy = await sb.card('luo', r.code, '新的群众诉求');
      await refused(r.id, 'luo', () => sb.tap('luo', { ...luoCopy, buttons: [{ key: 'accept', label: '受理' }] }, '受理'), /已由李四受理/, ['li', yuan]);

      const owner = await sb.card('li', r.code, '您负责的群众诉求');
      await refused(r.id, yuan, () => sb.tap(yuan, owner, '办结'), /无法操作|工作人员/, ['li']);
      await refused(r.id, 'wuwei', () => sb.tap('wuwei', owner, '办结'), /不是该事项的经办人/, ['li', yuan]);
      await refused(r.id, 'wuwei', () => sb.tap('wuwei', owner, '否定报备'), /不是该事项的经办人/, ['li', yuan]);
      await refused(r.id, 'zhangsan', () => sb.send('zhangsan', `办结 ${r.code} 修好了`), /不是该事项的经办人/, ['li', yuan]);

      await sb.send('li', `办结 ${r.code} 已修好`);
      await sb.tap(yuan, await sb.card(yuan, r.code), '满意');
      expect((await sb.req(r.id)).status).toBe('closed');
      // A button on a card that was closed (here at 办结) acts on nothing.
      await refused(r.id, 'li', () => sb.tap('li', owner, '办结'), /^该卡片已处理：已办结。$/, [yuan]);
      await refused(r.id, 'li', () => sb.send('li', `办结 ${r.code} 又修了一次`), /已销号/, [yuan]);
      await refused(r.id, yuan, () => sb.send(yuan, `评价 2 ${r.code}`), /已销号/, ['li']);
    });

    it('nobody approves their own refusal; a villager cannot rate someone else\'s request', async () => {
      const r = await sb.report(yuan, '想把自家宅基地边上的集体空地围起来');
      await sb.accept('li', r.code);
      await sb.send('li', `否定 ${r.code} 依据：《土地管理法》第六十二条；理由：集体土地不能个人占用`);
      expect((await sb.req(r.id)).status).toBe('rejection_pending');
      // 李四 is the village secretary, but he filed it: the township leaders approve.
      expect((await sb.card('wang', r.code)).buttons.map((b) => b.label)).toEqual(['同意', '驳回']);
      expect(await sb.cards('li').then((cs) => cs.filter((c) => c.title === '否定报备待您审批'))).toEqual([]);
      await refused(r.id, 'li', () => sb.send('li', `同意 ${r.code}`), /不能由本人审批/, [yuan, 'wang']);
      const approval = await sb.card('wang', r.code);
      await refused(r.id, 'li', () => sb.tap('li', approval, '同意'), /不能由本人审批/, [yuan, 'wang']);
      await refused(r.id, 'zhangsan', () => sb.tap('zhangsan', approval, '同意'), /不是该事项的经办人/, [yuan, 'li']);
      await refused(r.id, yuan, () => sb.tap(yuan, approval, '同意'), /工作人员|无法操作/, ['li']);

      const ma = await sb.villager('马桂兰');
      const other = await sb.report(ma, '家里自来水停了');
      await sb.accept('li', other.code);
      await sb.send('li', `办结 ${other.code} 水管已修复`);
      const feedback = await sb.card(ma, other.code);
      await refused(other.id, yuan, () => sb.tap(yuan, feedback, '满意'), /本人反映/, [ma, 'li']);
      await refused(other.id, yuan, () => sb.send(yuan, `评价 1 ${other.code}`), /没有待评价/, [ma, 'li']);
    });
  });
});
