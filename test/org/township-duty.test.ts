import { WorkCalendar } from '../../src/domain/calendar';
import { dutyGaps, dutyGapTexts, dutyGapWarnings } from '../../src/domain/duty-gaps';
import { parseOrg } from '../../src/domain/org';
import { newRequestRecipients } from '../../src/domain/routing';
import { directoryOf } from '../helpers/org-dir';

/** docs/interface.md#year / seed 000 §二 (docs/rules.md#sources): a township leader is on duty every weekend and holiday. */
const cal = new WorkCalendar();
const at = (iso: string) => new Date(`${iso}+08:00`);

function org(edit: (o: any) => void = () => undefined): any {
  const o: any = {
    township: { name: '县河镇', duty: { sat: ['chen'], sun: ['chen', 'zhao'], '2026-10-01': ['wang', 'zhao'] } },
    people: [
      { id: 'wang', name: '王建国', roles: ['leader'] },
      { id: 'chen', name: '陈丽', roles: ['leader'] },
      { id: 'zhao', name: '赵平', roles: ['township_office'] },
      { id: 'luo', name: '罗先运', roles: ['resident_cadre'] },
      { id: 'li', name: '李四', roles: ['village_cadre'] },
      { id: 'zhangsan', name: '张三', roles: ['village_cadre'] },
    ],
    villages: [
      {
        id: 'guangou', name: '关沟村', resident: ['luo'], cadres: ['li', 'zhangsan'], secretary: 'li',
        duty: { mon: ['li'], tue: ['li'], wed: ['li'], thu: ['li'], fri: ['li'], sat: ['zhangsan'], sun: ['zhangsan'] },
      },
      { id: 'baiya', name: '白垭村', resident: [], cadres: [], duty: {} },
    ],
  };
  edit(o);
  return o;
}
const ids = (list: { id: string }[]) => list.map((p) => p.id);

describe('the org file’s township duty', () => {
  it('takes weekday and date keys, and refuses other keys and unknown people', () => {
    expect(parseOrg(org()).township.duty).toEqual({ sat: ['chen'], sun: ['chen', 'zhao'], '2026-10-01': ['wang', 'zhao'] });
    expect(parseOrg(org((o) => delete o.township.duty)).township.duty).toBeUndefined(); // old files stay valid
    expect(() => parseOrg(org((o) => (o.township.duty.saturday = ['chen'])))).toThrow(/township\.duty\.saturday: must be a weekday/);
    expect(() => parseOrg(org((o) => (o.township.duty['2026-02-30'] = ['chen'])))).toThrow(/township\.duty\.2026-02-30/);
    expect(() => parseOrg(org((o) => (o.township.duty.sat = ['nobody'])))).toThrow(/township\.duty\.sat\.0: no person with id "nobody"/);
  });
});

describe('Directory.townshipDutyOn', () => {
  const dir = directoryOf(org());
  it('reads a date before its weekday', () => {
    expect(ids(dir.townshipDutyOn('2026-10-01'))).toEqual(['wang', 'zhao']); // a Thursday, 国庆
    expect(ids(dir.townshipDutyOn('2026-10-03'))).toEqual(['chen']); // a Saturday with no date of its own
    expect(ids(dir.townshipDutyOn('2026-11-29'))).toEqual(['chen', 'zhao']);
    expect(ids(dir.townshipDutyOn('2026-10-02'))).toEqual([]); // a Friday off, no roster for it
  });
  it('takes an instant as its Shanghai day', () => {
    expect(ids(dir.townshipDutyOn(new Date('2026-09-30T16:30:00Z')))).toEqual(['wang', 'zhao']); // 00:30 on 1 Oct in Shanghai
  });
  it('leaves out people who are not active, and an empty date list wins over the weekday', () => {
    expect(ids(directoryOf(org(), ['zhao']).townshipDutyOn('2026-11-29'))).toEqual(['chen']);
    expect(ids(directoryOf(org((o) => (o.township.duty['2026-11-28'] = []))).townshipDutyOn('2026-11-28'))).toEqual([]);
  });
  it('is empty for an org file without township duty', () => {
    expect(directoryOf(org((o) => delete o.township.duty)).townshipDutyOn('2026-11-28')).toEqual([]);
  });
});

describe('newRequestRecipients with a calendar', () => {
  const dir = directoryOf(org());
  it('on a working day routes exactly as without one: duty and resident cadres', () => {
    for (const t of ['2026-11-26T10:00:00', '2026-10-10T10:00:00']) { // a Thursday; a 调休 Saturday that is a working day
      expect(ids(newRequestRecipients(dir, 'guangou', at(t), cal))).toEqual(ids(newRequestRecipients(dir, 'guangou', at(t))));
    }
    expect(ids(newRequestRecipients(dir, 'guangou', at('2026-11-26T10:00:00'), cal))).toEqual(['li', 'luo']);
    expect(ids(newRequestRecipients(dir, 'guangou', at('2026-10-10T10:00:00'), cal))).toEqual(['zhangsan', 'luo']);
    expect(ids(newRequestRecipients(dir, null, at('2026-11-26T10:00:00'), cal))).toEqual(['zhao']);
  });
  it('on a weekend: the village’s duty for the weekday and the township duty', () => {
    expect(ids(newRequestRecipients(dir, 'guangou', at('2026-11-28T10:00:00'), cal))).toEqual(['zhangsan', 'chen']);
    expect(ids(newRequestRecipients(dir, 'guangou', at('2026-11-29T10:00:00'), cal))).toEqual(['zhangsan', 'chen', 'zhao']);
  });
  it('on a holiday weekday: the date’s township duty, beside the village duty for that weekday', () => {
    expect(ids(newRequestRecipients(dir, 'guangou', at('2026-10-01T09:00:00'), cal))).toEqual(['li', 'wang', 'zhao']);
  });
  it('a village with no duty that day, or no village yet, gets the township duty', () => {
    expect(ids(newRequestRecipients(dir, 'baiya', at('2026-11-28T10:00:00'), cal))).toEqual(['chen']);
    expect(ids(newRequestRecipients(dir, null, at('2026-10-01T09:00:00'), cal))).toEqual(['wang', 'zhao']);
  });
  it('with nobody on either roster, falls back to the working-day rule', () => {
    const none = directoryOf(org((o) => delete o.township.duty));
    expect(ids(newRequestRecipients(none, 'baiya', at('2026-11-28T10:00:00'), cal))).toEqual(['zhao']);
    const noVillageDuty = directoryOf(org((o) => { delete o.township.duty; o.villages[0].duty = {}; }));
    expect(ids(newRequestRecipients(noVillageDuty, 'guangou', at('2026-11-28T10:00:00'), cal))).toEqual(['luo']);
  });
  it('without a calendar keeps today’s weekend routing', () => {
    expect(ids(newRequestRecipients(dir, 'guangou', at('2026-11-28T10:00:00')))).toEqual(['zhangsan', 'luo']);
  });
});

describe('dutyGaps', () => {
  it('finds nothing in a township where every day is covered', () => {
    const full = directoryOf(org((o) => (o.villages = [o.villages[0]])));
    expect(dutyGaps(full)).toEqual({ villages: [], townshipWeekdays: [], townshipDates: [], inactive: [] });
    expect(dutyGapWarnings(dutyGaps(full))).toEqual([]);
  });
  it('names a village’s weekdays with nobody active on duty, and inactive people on rosters', () => {
    const dir = directoryOf(org(), ['zhangsan', 'chen']);
    const g = dutyGaps(dir);
    expect(g.villages).toEqual([
      { villageId: 'guangou', name: '关沟村', days: ['sat', 'sun'] },
      { villageId: 'baiya', name: '白垭村', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
    ]);
    expect(g.townshipWeekdays).toEqual(['sat']); // Sunday still has 赵平
    expect(g.inactive).toEqual([
      { personId: 'zhangsan', name: '张三', roster: 'guangou.sat' },
      { personId: 'zhangsan', name: '张三', roster: 'guangou.sun' },
      { personId: 'chen', name: '陈丽', roster: 'township.sat' },
      { personId: 'chen', name: '陈丽', roster: 'township.sun' },
    ]);
    expect(dutyGapWarnings(g)[0]).toBe('duty: village guangou has nobody active on duty on sat, sun');
    expect(dutyGapTexts(g)).toContain('关沟村周六、周日无人值班');
    expect(dutyGapTexts(g)).toContain('镇里周六未安排领导值班');
  });
  it('with a calendar, names the days off ahead that have no township duty (国庆 weekdays)', () => {
    const g = dutyGaps(directoryOf(org()), { calendar: cal, from: '2026-09-28', days: 14 });
    // 1 Oct has a date roster; 2, 5, 6, 7 Oct are weekdays off with none; 3–4 Oct fall back to sat/sun.
    expect(g.townshipDates).toEqual(['2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']);
    expect(dutyGapWarnings(g)).toContain('duty: no township duty on the days off 2026-10-02, 2026-10-05, 2026-10-06, 2026-10-07');
  });
  it('reports a weekend without a roster once, as the weekday', () => {
    const g = dutyGaps(directoryOf(org((o) => (o.township.duty = {}))), { calendar: cal, from: '2026-11-23', days: 7 });
    expect(g.townshipWeekdays).toEqual(['sat', 'sun']);
    expect(g.townshipDates).toEqual([]);
  });
});
