import { DEFAULT_MATTERS } from '../../src/domain/catalogue';
import { kindOf, percentChange, reception, ReceivedItem, reporterKey, sameTimeLastYear } from '../../src/domain/year-figures';

/** 接待人数, 代办/诉求/纠纷 and 同比 (docs/interface.md#figures): the rules, pure. */
describe('the year figures', () => {
  const item = (o: Partial<ReceivedItem>): ReceivedItem => ({ id: 1, villageId: 'guangou', category: 5, text: '路灯坏了', status: 'accepted', reporterVillagerId: null, reporterName: null, reporterPhone: null, ...o });

  it('sorts a request into 纠纷 by its category, 代办 by the catalogue, else 诉求', () => {
    expect(kindOf({ category: 4, text: '申请低保时和邻居吵架' }, DEFAULT_MATTERS)).toBe('dispute');
    expect(kindOf({ category: 5, text: '我想申请低保' }, DEFAULT_MATTERS)).toBe('agency');
    expect(kindOf({ category: null, text: '给孩子上户口' }, DEFAULT_MATTERS)).toBe('agency');
    expect(kindOf({ category: 7, text: '垃圾没人清' }, DEFAULT_MATTERS)).toBe('appeal');
  });

  it('counts a reporter once: by villager, else phone, else name in the village; nameless each once', () => {
    const items = [
      item({ id: 1, reporterVillagerId: 7 }), item({ id: 2, reporterVillagerId: 7, category: 4, status: 'closed' }),
      item({ id: 3, reporterPhone: '138-0000-0001', reporterName: '王大爷' }), item({ id: 4, reporterPhone: '13800000001', reporterName: '王大爷', villageId: 'baiya' }),
      item({ id: 5, reporterName: '李婶' }), item({ id: 6, reporterName: '李婶', villageId: 'baiya' }),
      item({ id: 7 }), item({ id: 8, text: '低保怎么办', status: 'resolved' }),
    ];
    expect(reporterKey(items[2])).toBe('t:13800000001');
    expect(reception(items, DEFAULT_MATTERS)).toEqual({
      people: 6, // villager 7, the phone, 李婶 twice (two villages), two nameless
      requests: 8,
      kinds: { agency: { received: 1, done: 1 }, appeal: { received: 6, done: 0 }, dispute: { received: 1, done: 1 } },
    });
  });

  it('compares with the same dates a year earlier, in percent', () => {
    const p = { from: Date.parse('2026-11-01T00:00:00+08:00'), to: Date.parse('2026-12-01T00:00:00+08:00') };
    expect(sameTimeLastYear(p)).toEqual({ from: Date.parse('2025-11-01T00:00:00+08:00'), to: Date.parse('2025-12-01T00:00:00+08:00') });
    const leap = { from: Date.parse('2028-02-29T00:00:00+08:00'), to: Date.parse('2028-03-01T00:00:00+08:00') };
    expect(sameTimeLastYear(leap)).toEqual({ from: Date.parse('2027-03-01T00:00:00+08:00'), to: Date.parse('2027-03-01T00:00:00+08:00') });
    expect([percentChange(20, 100), percentChange(5, 4), percentChange(3, 3), percentChange(0, 0), percentChange(2, 0)]).toEqual(['−80%', '+25%', '持平', '持平', '—']);
  });
});
