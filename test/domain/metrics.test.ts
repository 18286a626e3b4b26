import { WorkCalendar } from '../../src/domain/calendar';
import { byDimension, countChange, figures, pct, rateChange, respondedInTime, total } from '../../src/domain/metrics';
import { repeatProblems, RepeatItem } from '../../src/domain/repeats';

/** The pure side of the reports: rates, changes, 2 working hours, repeat problems. */
describe('metrics', () => {
  const cal = new WorkCalendar();
  const at = (s: string) => Date.parse(s);

  it('counts 2 working hours across a night and a holiday, not in wall time', () => {
    expect(respondedInTime(cal, at('2026-11-27T17:00:00+08:00'), at('2026-11-30T10:00:00+08:00'))).toBe(true); // Fri 30 min + Mon 90 min
    expect(respondedInTime(cal, at('2026-11-27T17:00:00+08:00'), at('2026-11-30T10:01:00+08:00'))).toBe(false);
    expect(respondedInTime(cal, at('2026-09-30T17:00:00+08:00'), at('2026-10-08T09:30:00+08:00'))).toBe(true); // across National Day
    expect(respondedInTime(cal, at('2026-11-26T10:00:00+08:00'), null)).toBe(false);
  });

  it('rolls rows up by dimension and shows a rate with nothing to count as —', () => {
    const rows = [
      { village: 'a', owner: 'li', category: 5, received: 2, responded: 1, considered: 2, done: 1, resolved: 1, onTime: 1 },
      { village: 'a', owner: 'zhang', category: 7, received: 1, considered: 1, rated: 2, satisfied: 1 },
      { village: 'b', owner: 'li', category: 5, overdue: 3 },
    ];
    expect(total(rows)).toMatchObject({ received: 3, responded: 1, done: 1, overdue: 3, rated: 2, satisfied: 1 });
    expect(byDimension(rows, 'owner').get('li')).toMatchObject({ received: 2, overdue: 3 });
    const f = figures(byDimension(rows, 'village').get('b')!);
    expect([pct(f.responseRate), pct(f.onTimeRate), pct(f.satisfactionRate)]).toEqual(['—', '—', '—']);
    expect(pct(figures(total(rows)).closeRate)).toBe('33%');
    expect([countChange(5, 3), countChange(3, 5), countChange(4, 4)]).toEqual(['+2', '−2', '持平']);
    expect(rateChange({ n: 9, d: 10, value: 0.9 }, { n: 1, d: 2, value: 0.5 })).toBe('+40');
    expect(rateChange({ n: 9, d: 10, value: 0.9 }, { n: 0, d: 0, value: null })).toBe('');
  });

  it('finds the same problem in one place three times, and the same villager three times', () => {
    let id = 0;
    const item = (villageId: string, text: string, o: Partial<RepeatItem> = {}): RepeatItem => ({
      id: ++id, code: `C${id}`, villageId, category: 5, text, reporterVillagerId: id, reporterName: null, receivedAt: id, ...o,
    });
    const groups = repeatProblems([
      item('a', '村口路灯坏了三天了'),
      item('a', '村口的路灯又坏了'),
      item('b', '村口路灯坏了'),
      item('a', '路灯坏了，村口一片黑'),
      item('a', '低保申请材料不知道怎么交', { category: 5 }),
      item('c', '邻居占了我家宅基地', { reporterVillagerId: 99, reporterName: '袁志弟', category: 4 }),
      item('c', '水渠堵了', { reporterVillagerId: 99, reporterName: '袁志弟' }),
      item('c', '合作社收购价格不合理', { reporterVillagerId: 99, reporterName: '袁志弟', category: 1 }),
    ]);
    expect(groups.map((g) => [g.kind, g.villageId, g.items.map((r) => r.code)])).toEqual([
      ['place', 'a', ['C1', 'C2', 'C4']],
      ['villager', 'c', ['C6', 'C7', 'C8']],
    ]);
    expect(groups[1].who).toBe('袁志弟');
  });
});
