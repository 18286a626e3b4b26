import { assignCallers, sample, sampleSize } from '../../src/domain/callback-sample';
import { ADMIN } from '../helpers/harness';
import { dialects, dropCreatedDatabases } from '../helpers/db';
import { json } from '../helpers/json';
import { Sandbox, startSandbox } from '../lifecycle/sandbox';

describe('回访 sample (pure)', () => {
  it('takes a tenth, at least three and at most ten, the same for the same week, and never gives a caller their own', () => {
    expect([0, 2, 5, 30, 31, 200].map(sampleSize)).toEqual([0, 2, 3, 3, 4, 10]);
    const items = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, ownerId: i % 2 ? 'zhao' : 'li' }));
    expect(sample(items, '2026-11-16')).toEqual(sample([...items].reverse(), '2026-11-16'));
    expect(sample(items, '2026-11-16')).not.toEqual(sample(items, '2026-11-23'));
    const calls = assignCallers(items.slice(0, 4), ['sun', 'zhao']);
    expect(calls.map((c) => [c.item.ownerId, c.caller])).toEqual([['li', 'sun'], ['zhao', 'sun'], ['li', 'zhao'], ['zhao', 'sun']]);
    expect(assignCallers([{ ownerId: 'zhao' }], ['zhao'])).toEqual([{ item: { ownerId: 'zhao' }, caller: null }]);
  });
});

/**
 * 回访 (docs/interface.md#year): each week the township office gets a sample of last week's closed
 * requests to call back (someone other than the owner), records what the villager said with
 * `回访 编号 满意|不满意 说明`, and a 不满意 reopens the request.
 */
describe.each(dialects())('回访 (%s)', (dialect) => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox(dialect, { at: '2026-11-18T10:00:00+08:00' });
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  /** A request reported, taken by li, resolved and rated 满意 on Wednesday of the week before. */
  const closedOne = async (villager: string, text: string, minute: number) => {
    sb.h.clock.set(`2026-11-18T10:${String(minute).padStart(2, '0')}:00+08:00`);
    const v = await sb.villager(villager);
    const req = await sb.report(v, text);
    await sb.accept(villager === '王秀英' ? 'zhoufang' : 'li', req.code);
    await sb.send(villager === '王秀英' ? 'zhoufang' : 'li', `办结 ${req.code} 已处理`);
    await sb.tap(v, await sb.card(v, req.code, '您反映的问题已办结'), '满意');
    return req;
  };

  it('sends the office a sample of last week\'s closed requests; 不满意 on 回访 reopens it', async () => {
    const a = await closedOne('袁志弟', '村口路灯坏了', 0);
    await closedOne('王秀英', '水管漏水', 5);
    await closedOne('袁志弟', '垃圾没人清', 10);
    await closedOne('马桂兰', '家门口排水沟堵了', 15);

    const at = new Date('2026-11-23T09:30:00+08:00');
    const r = await sb.h.app.runJob('callback-sample', { at, dryRun: true });
    expect(r.summary).toBe('4 closed last week, 3 sampled for 回访 to 2 callers');
    expect(r.planned.map((l) => l.to)).toEqual(['sun', 'zhao']);
    expect(r.planned[0].text).toMatch(/^孙敏您好，本周回访：上周（11月16日—11月22日）销号 4 件，请电话回访以下 2 件，听听群众的评价：\n· 2026111\d-00\d /);
    expect(r.planned[0].text).toContain('（无电话，可在线联系），首问责任人：');
    expect(r.planned[0].text).toMatch(/回访后请发送：回访 编号 满意 群众原话/);

    sb.h.clock.set(at.toISOString());
    const v = await sb.villager('袁志弟');
    expect(await sb.during('sun', () => sb.send('sun', `回访 ${a.code} 满意 群众说灯亮了，很满意`))).toEqual([`已记录事项 ${a.code} 的回访：满意。`]);
    const told = await sb.during('li', () => sb.send('zhao', `回访 ${a.code} 不满意 灯又不亮了`));
    expect(told).toEqual([`赵平回访事项 ${a.code} 时群众表示不满意：灯又不亮了。事项已重新打开，请继续办理。`]);
    expect(await sb.last('zhao')).toBe(`已记录事项 ${a.code} 的回访：不满意。事项已重新打开，交首问责任人继续办理。`);
    expect(await sb.last(v)).toBe(`感谢您接受回访。您对问题（编号 ${a.code}）的办理仍不满意，我们已重新安排办理，办结后会再告诉您。`);
    const after = await sb.req(a.id);
    expect(after).toMatchObject({ status: 'accepted', owner: { id: 'li' }, satisfaction: 'unsatisfied', closedAt: null, deadline: '2026-11-24T17:30:00+08:00' });
    expect(after.events.slice(-3).map((e: any) => [e.type, e.actor, e.data])).toEqual([
      ['callback', 'person:sun', { value: 'satisfied', note: '群众说灯亮了，很满意' }],
      ['callback', 'person:zhao', { value: 'unsatisfied', note: '灯又不亮了' }],
      ['reopened', 'system', { reason: 'callback' }],
    ]);
    // Not on an open request; not by a village cadre.
    expect(await sb.during('sun', () => sb.send('sun', `回访 ${a.code} 满意`))).toEqual(['该事项正在办理中，不能记录回访。']);
    expect(await sb.during('li', () => sb.send('li', `回访 ${a.code} 满意`))).toEqual(['回访由镇民情处理站或镇领导办理，且不能由该事项的首问责任人本人回访。']);
  });

  it('the owner never records the 回访 of their own request', async () => {
    const res = await sb.h.fetch('/api/v1/requests', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: '咨询社保转移', channel: 'phone', receivedAt: '2026-11-18T09:00:00+08:00', reporterName: '来电群众', takenBy: 'zhao' }),
    });
    const r = await json(res);
    await sb.h.app.settle();
    await sb.send('zhao', `办结 ${r.code} 已电话答复`);
    await sb.tap('zhao', await sb.card('zhao', r.code, '请代群众评价（当面或电话）'), '满意');
    expect(await sb.during('zhao', () => sb.send('zhao', `回访 ${r.code} 满意`))).toEqual(['回访由镇民情处理站或镇领导办理，且不能由该事项的首问责任人本人回访。']);
    expect(await sb.during('sun', () => sb.send('sun', `回访 ${r.code} 满意 说清楚了`))).toEqual([`已记录事项 ${r.code} 的回访：满意。`]);
    expect(await sb.during('sun', () => sb.send('sun', `回访 ${r.code} 一般`))).toEqual(['格式：回访 编号 满意|不满意 群众说的话']);
  });
});
