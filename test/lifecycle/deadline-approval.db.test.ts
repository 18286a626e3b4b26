import { periodRows } from '../../src/db/repos/metrics';
import { weeklyCounts } from '../../src/db/repos/trend';
import { total } from '../../src/domain/metrics';
import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from './sandbox';

/**
 * 时限 and the tiers (CONTRACT §6, docs/interface.md#rights): where the tier fixes the deadline the
 * owner's change waits for a responsible leader's 同意 / 驳回; on 需上级审批 and 联办 the date is the
 * owner's to promise; a leader's own 时限 applies at once. Whatever moves it, the 按时办结率 counts
 * against the deadline the rules set.
 */
describe.each(dialects())('rights: 时限 by the tier (%s)', (dialect) => {
  let sb: Sandbox;
  let yuan: string;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
    yuan = await sb.villager('袁志弟');
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  async function ownedBy(owner: string, tier?: string, text = '村口路灯坏了三天了') {
    const r = await sb.report(yuan, text);
    await sb.accept(owner, r.code, tier);
    return sb.req(r.id);
  }

  it('on 需上级审批 the owner sets the promised date at once', async () => {
    const r = await ownedBy('luo', 'beyond:20');
    expect(await sb.during('luo', () => sb.send('luo', `时限 ${r.code} 2027-01-15`))).toEqual([`事项 ${r.code} 的办结时限已调整为 1月15日 17:30。`]);
    expect((await sb.req(r.id)).deadline).toBe('2027-01-15T17:30:00+08:00');
    expect(await sb.cards('li').then((cs) => cs.filter((c) => c.title === '时限调整待您审批'))).toEqual([]);
  });

  it("on a 一般 matter the village secretary decides: 驳回 keeps it, 同意 moves it; only the card's leader may tap it", async () => {
    const r = await ownedBy('luo');
    expect(await sb.during('luo', () => sb.send('luo', `时限 ${r.code} 2026-12-20`))).toEqual([
      `事项 ${r.code} 的办结时限调整为 12月20日 17:30 需领导审批，已提交李四，审批前原时限不变。`,
    ]);
    const ask = await sb.card('li', r.code, '时限调整待您审批');
    expect(ask.buttons.map((b) => b.label)).toEqual(['同意', '驳回']);
    expect(await sb.during('luo', () => sb.tap('li', ask, '驳回'))).toEqual([`李四未同意调整事项 ${r.code} 的办结时限，请按原时限办结。`]);
    expect(await sb.req(r.id)).toMatchObject({ deadline: '2026-11-27T17:30:00+08:00' });
    expect((await sb.card('li', r.code, '时限调整待您审批')).closedNote).toBe('已由李四驳回');

    await sb.send('luo', `时限 ${r.code} 2026-12-10`);
    const again = await sb.card('li', r.code, '时限调整待您审批');
    // The owner cannot approve his own ask, nor a leader the card did not go to.
    const before = await sb.req(r.id);
    expect(await sb.during('luo', () => sb.tap('luo', again, '同意'))).toEqual(['抱歉，您不是该事项的经办人，无法操作。如有疑问请联系镇民情处理站。']);
    expect(await sb.during('wang', () => sb.tap('wang', again, '同意'))).toEqual(['抱歉，这张卡片不是发给您的，无法操作。']);
    expect(await sb.req(r.id)).toEqual(before);
    await sb.tap('li', again, '同意');
    expect((await sb.req(r.id)).deadline).toBe('2026-12-10T17:30:00+08:00');
    expect(await sb.last(yuan)).toBe(`您反映的问题（编号 ${r.code}）办结时限调整为 12月10日 17:30。`);
    // A second tap on the decided card changes nothing.
    expect(await sb.during('li', () => sb.tap('li', again, '驳回'))).toEqual(['该卡片已处理：已由李四同意。']);
  });

  it("a leader's own 时限 applies at once and settles the ask that was waiting", async () => {
    const r = await ownedBy('luo');
    await sb.send('luo', `时限 ${r.code} 2026-12-20`);
    expect(await sb.during('wang', () => sb.send('wang', `时限 ${r.code} 2026-12-04`))).toEqual([`事项 ${r.code} 的办结时限已调整为 12月4日 17:30。`]);
    expect((await sb.req(r.id)).deadline).toBe('2026-12-04T17:30:00+08:00');
    const ask = await sb.card('li', r.code, '时限调整待您审批');
    expect(ask.closedNote).toBe('已由王建国直接调整');
  });

  it('moving the deadline does not make a late request on time in the figures', async () => {
    const late = await ownedBy('luo', undefined, '村口路灯坏了三天了');
    sb.h.clock.advance(10 * 60_000);
    const onTime = await ownedBy('luo', undefined, '自来水管漏水');
    // Due Fri 11-27 17:30; 王建国 moves the first to 12-20; both are resolved on Tue 12-01.
    await sb.send('wang', `时限 ${late.code} 2026-12-20`);
    await sb.send('luo', `办结 ${onTime.code} 已修好`);
    sb.h.clock.set('2026-12-01T10:00:00+08:00');
    await sb.send('luo', `办结 ${late.code} 已更换灯泡`);
    expect(await sb.req(late.id)).toMatchObject({ status: 'resolved', deadline: '2026-12-20T17:30:00+08:00' });

    const week = { from: Date.parse('2026-11-23T00:00:00+08:00'), to: Date.parse('2026-12-07T00:00:00+08:00') };
    const c = total(await periodRows(sb.h.app.db, sb.h.app.deps.calendar, week, null));
    expect(c).toMatchObject({ resolved: 2, onTime: 1 });
    // The dashboard's trend and previous-period totals (weeklyCounts) count it the same way.
    const [w] = await weeklyCounts(sb.h.app.db, sb.h.app.deps.calendar, [week], null);
    expect(w).toMatchObject({ resolved: 2, onTime: 1 });
  });
});
