import type { Person, Village } from '../../src/domain/directory';
import type { Household } from '../../src/domain/households';
import { namesOf, outreachForMonth, outreachForQuarter, outreachReminders, quarterlyOutreachLines } from '../../src/domain/outreach-report';
import { monthsOf, period, periodsOf, quartersOf } from '../../src/domain/periods';
import { areaDuties, headDuties, missingPairs, OutreachInputs, pairDuties, residentDuties, resolvePairs, villageHeads, Visit } from '../../src/domain/visits';

/** Seeds 000 §五, 001 §二.4 / §二.7: the visit duties of a small township, counted by hand. */
const t = (iso: string) => Date.parse(`${iso}+08:00`);
const person = (id: string, name: string, role: Person['roles'][number], extra: Partial<Person> = {}): Person => ({
  id, name, roles: [role], title: null, phone: null, ids: {}, lastPlatform: null, active: true, ...extra,
});
const people: Person[] = [
  person('wang', '王建国', 'leader'),
  person('li', '李四', 'village_cadre', { pairs: ['马桂兰家'] }),
  person('wangwu', '王五', 'village_cadre'),
  person('zhangsan', '张三', 'village_cadre'),
  person('zhoufang', '周芳', 'village_cadre'),
  person('luo', '罗先运', 'resident_cadre', { pairs: ['1组袁志弟'] }),
  person('liuming', '刘明', 'village_cadre', { pairs: ['王秀英'] }),
  person('he', '何晓燕', 'resident_cadre', { active: false }),
  person('office', '镇民情处理站', 'resident_cadre', { position: 'shared_account' }),
];
const village = (id: string, name: string, v: Partial<Village>): Village => ({ id, name, residentIds: [], cadreIds: [], secretaryId: null, duty: {}, active: true, ...v });
const villages: Village[] = [
  village('guangou', '关沟村', { cadreIds: ['li', 'wangwu', 'zhangsan', 'zhoufang'], secretaryId: 'li', directorId: 'wangwu', residentIds: ['luo'], areas: { zhangsan: ['1组'] } }),
  village('baiya', '白垭村', { cadreIds: ['liuming'], secretaryId: 'liuming', directorId: 'liuming', residentIds: ['he'] }),
];
const hh = (id: number, villageId: string, head: string, group: string, active = true): Household => ({ id, villageId, head, group, phone: null, members: null, note: null, active });
const households = [hh(1, 'guangou', '马桂兰', '1'), hh(2, 'guangou', '袁志弟', '1'), hh(3, 'guangou', '王大', '2'), hh(4, 'guangou', '李二', '2'), hh(5, 'guangou', '赵老', '2', false), hh(6, 'baiya', '王秀英', '1')];
const v = (personId: string, householdId: number | null, iso: string, villageId?: string): Visit => ({ personId, householdId, at: t(iso), villageId });
const visits: Visit[] = [
  // 李四 in November: 马桂兰 twice on one day and once more, 袁志弟, 王大, two households not on the register.
  v('li', 1, '2026-11-03T09:00'), v('li', 1, '2026-11-03T15:00'), v('li', 1, '2026-11-20T10:00'), v('li', 2, '2026-11-04T10:00'), v('li', 3, '2026-11-05T10:00'),
  v('li', null, '2026-11-06T10:00', 'guangou'), v('li', null, '2026-11-07T10:00', 'guangou'), v('li', null, '2026-11-08T10:00', 'baiya'),
  v('li', 1, '2026-10-30T23:30'), // October in Shanghai
  v('liuming', 6, '2026-11-10T10:00'),
  // 张三 (1组): 马桂兰 in March and September, 袁志弟 once. 周芳 (the whole village): 王大 twice, the same day.
  v('zhangsan', 1, '2026-03-10T10:00'), v('zhangsan', 1, '2026-09-10T10:00'), v('zhangsan', 2, '2026-05-10T10:00'), v('zhangsan', 1, '2025-12-31T10:00'),
  v('zhoufang', 3, '2026-06-01T09:00'), v('zhoufang', 3, '2026-06-01T16:00'),
  // 罗先运: 袁志弟 in October (not November), 李二 in December, 马桂兰 in May (the first half).
  v('luo', 2, '2026-10-12T10:00'), v('luo', 4, '2026-12-01T10:00'), v('luo', 1, '2026-05-12T10:00'),
];
const meetings = [{ personId: 'luo', villageId: 'guangou', at: t('2026-08-10T19:00') }, { personId: 'luo', villageId: 'baiya', at: t('2026-11-10T19:00') }];
const { pairs, unresolved } = resolvePairs(people, villages, households);
const inputs: OutreachInputs = { people, villages, households, pairs, visits, meetings };

describe('periods', () => {
  it('are Shanghai months, quarters, halves and years', () => {
    expect(period('2026-11')).toEqual({ name: '2026-11', from: t('2026-11-01T00:00'), to: t('2026-12-01T00:00') });
    expect(period('2026-Q4').to).toBe(t('2027-01-01T00:00'));
    expect(period('2026-H1')).toMatchObject({ from: t('2026-01-01T00:00'), to: t('2026-07-01T00:00') });
    expect(periodsOf(new Date(t('2026-06-30T23:59')))).toEqual({ month: '2026-06', quarter: '2026-Q2', half: '2026-H1', year: '2026' });
    expect(monthsOf('2026-Q4')).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(quartersOf('2026-H2')).toEqual(['2026-Q3', '2026-Q4']);
    expect(() => period('2026-13')).toThrow(/not a period/);
  });
});

describe('visit duties', () => {
  it('reads pairs by household name within the villages a cadre serves', () => {
    expect(pairs).toEqual([{ personId: 'li', householdId: 1 }, { personId: 'luo', householdId: 2 }, { personId: 'liuming', householdId: 6 }]);
    expect(unresolved).toEqual([]);
    const odd = resolvePairs([person('x', 'X', 'village_cadre', { pairs: ['王秀英', '无此人'] })], [village('guangou', '关沟村', { cadreIds: ['x'] })], households);
    expect(odd).toEqual({ pairs: [], unresolved: [{ personId: 'x', text: '王秀英', reason: 'none' }, { personId: 'x', text: '无此人', reason: 'none' }] });
  });

  it('村主干 are the secretary and the director, once when one person is both', () => {
    expect([...villageHeads(people, villages)]).toEqual([['li', ['guangou']], ['wangwu', ['guangou']], ['liuming', ['baiya']]]);
  });

  it('counts the households each head visited in the month, against ten', () => {
    expect(headDuties(inputs, '2026-11')).toEqual([
      // 马桂兰, 袁志弟, 王大 + two unlinked in 关沟村; the unlinked one in 白垭村 is not his village.
      { personId: 'li', villageIds: ['guangou'], month: '2026-11', visited: 5, required: 10, short: 5 },
      { personId: 'wangwu', villageIds: ['guangou'], month: '2026-11', visited: 0, required: 10, short: 10 },
      { personId: 'liuming', villageIds: ['baiya'], month: '2026-11', visited: 1, required: 10, short: 9 },
    ]);
    expect(headDuties(inputs, '2026-10')[0]).toMatchObject({ personId: 'li', visited: 1 });
  });

  it('checks each paired household was visited in the month, and names cadres with no pair', () => {
    expect(pairDuties(inputs, '2026-11')).toEqual([
      { personId: 'li', month: '2026-11', pairs: [{ householdId: 1, visits: 2 }], missed: [] },
      { personId: 'luo', month: '2026-11', pairs: [{ householdId: 2, visits: 0 }], missed: [2] },
      { personId: 'liuming', month: '2026-11', pairs: [{ householdId: 6, visits: 1 }], missed: [] },
    ]);
    expect(pairDuties(inputs, '2026-10').find((p) => p.personId === 'luo')?.missed).toEqual([]);
    // Leaders are not required to pair; an inactive cadre and a shared account are not named.
    expect(missingPairs(inputs)).toEqual(['wangwu', 'zhangsan', 'zhoufang']);
  });

  it('other village cadres: every household of their 责任片 twice in the year', () => {
    expect(areaDuties(inputs, '2026')).toEqual([
      { personId: 'zhangsan', villageId: 'guangou', year: '2026', groups: ['1'], households: 2, done: 1, behind: [{ householdId: 2, visits: 1 }] },
      {
        personId: 'zhoufang', villageId: 'guangou', year: '2026', groups: null, households: 4, done: 0,
        behind: [{ householdId: 1, visits: 0 }, { householdId: 2, visits: 0 }, { householdId: 3, visits: 1 }, { householdId: 4, visits: 0 }],
      },
    ]);
  });

  it('resident cadres: every household once in the half-year, a 户主会 each quarter', () => {
    expect(residentDuties(inputs, '2026-H2')).toEqual([
      { personId: 'luo', villageId: 'guangou', half: '2026-H2', households: 4, visited: 2, missing: [1, 3], meetings: [{ quarter: '2026-Q3', held: 1 }, { quarter: '2026-Q4', held: 0 }] },
    ]);
    expect(residentDuties(inputs, '2026-H1')[0]).toMatchObject({ visited: 1, missing: [2, 3, 4] });
  });
});

describe('what the reminder and the quarterly review print', () => {
  const names = namesOf(people, households);
  it('one reminder per person behind, naming what is missing', () => {
    const m = outreachForMonth(inputs, '2026-11');
    const r = outreachReminders(m, names, { residents: residentDuties(inputs, '2026-H2') });
    expect(r.map((x) => x.personId)).toEqual(['li', 'wangwu', 'liuming', 'luo', 'zhangsan', 'zhoufang']);
    expect(r[0].text).toBe('李四您好，本月已走访 5 户，按要求每月不少于10户，还差 5 户。请抓紧安排（发送：走访 户主 情况）。');
    expect(r[1].text).toContain('王五您好，本月已走访 0 户');
    expect(r[1].text).toContain('您还没有结对帮扶户');
    expect(r[3].text).toBe('罗先运您好，结对帮扶户1组袁志弟本月还未走访（每月至少1次）。本半年已走访 2/4 户，还有 2 户未走访（每半年每户至少1次）。本季度还未召开户主会。请抓紧安排（发送：走访 户主 情况）。');
  });

  it('the quarter in a few lines, through its last day', () => {
    const q = outreachForQuarter(inputs, '2026-Q4');
    expect(q.months.map((m) => m.month)).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(q.residents[0]).toMatchObject({ visited: 2, missing: [1, 3] });
    expect(quarterlyOutreachLines(q, names)).toEqual([
      '【走访情况】2026年第4季度',
      '村主干（每月≥10户）：李四 10月1✗ 11月5✗ 12月0✗；王五 10月0✗ 11月0✗ 12月0✗；刘明 10月0✗ 11月1✗ 12月0✗',
      '结对帮扶：有漏访 刘明（10月、12月）、罗先运（11月、12月）、李四（12月）；未结对 王五、张三、周芳',
      '责任片（每户每年≥2次）：张三 1/2；周芳 0/4',
      '驻村干部（每半年走遍、每季度户主会）：罗先运 走访2/4 Q3户主会1次 Q4户主会0次',
    ]);
    // The third quarter does not see the fourth's visits.
    expect(outreachForQuarter(inputs, '2026-Q3').residents[0]).toMatchObject({ visited: 0, missing: [1, 2, 3, 4] });
  });
});
