import fs from 'node:fs';
import path from 'node:path';
import { WorkCalendar } from '../../src/domain/calendar';
import { computeDeadline, DeadlineError, resolveTierChoice, Tier, TIER_CHOICES } from '../../src/domain/deadline';
import { isoShanghai } from '../../src/domain/time';
import { tempDir } from '../helpers/tmp';

/**
 * docs/interface.md#deadlines on the State Council calendar (chinese-days) with 调休: 2026 National Day is
 * 10-01…10-07 off with Sun 09-20 and Sat 10-10 worked; Spring Festival is 02-15…02-23 off with
 * Sat 02-14 and Sat 02-28 worked. A working day ends at 17:30 Shanghai.
 */
const cal = new WorkCalendar();
const at = (s: string) => new Date(s);
const due = (tier: Tier, from: string, promised?: string, c = cal) => isoShanghai(computeDeadline(c, tier, at(from), promised ? at(promised) : null));

describe('computeDeadline', () => {
  it.each<[Tier, string, string]>([
    // An ordinary week: Thu 26 Nov 2026.
    ['general', '2026-11-26T10:00:00+08:00', '2026-11-27T17:30:00+08:00'],
    ['township', '2026-11-26T10:00:00+08:00', '2026-12-01T17:30:00+08:00'],
    ['complaint', '2026-11-26T10:00:00+08:00', '2026-12-03T17:30:00+08:00'],
    ['complaint_special', '2026-11-26T10:00:00+08:00', '2026-12-11T17:30:00+08:00'],
    // The day received is the Shanghai day, whatever the hour: late Friday evening counts as Friday.
    ['general', '2026-11-27T23:59:00+08:00', '2026-11-30T17:30:00+08:00'],
    ['general', '2026-11-27T16:30:00Z', '2026-11-30T17:30:00+08:00'], // 00:30 Saturday in Shanghai
    ['township', '2026-11-28T10:00:00+08:00', '2026-12-02T17:30:00+08:00'], // received on a Saturday
    // National Day 2026.
    ['general', '2026-09-18T09:00:00+08:00', '2026-09-20T17:30:00+08:00'], // Sun 20 Sep is worked (调休)
    ['general', '2026-09-30T16:00:00+08:00', '2026-10-08T17:30:00+08:00'],
    ['general', '2026-10-03T11:00:00+08:00', '2026-10-08T17:30:00+08:00'],
    ['general', '2026-10-09T11:00:00+08:00', '2026-10-10T17:30:00+08:00'], // Sat 10 Oct is a working day
    ['township', '2026-09-30T16:00:00+08:00', '2026-10-10T17:30:00+08:00'], // 8, 9, 10 Oct
    ['township', '2026-09-24T09:00:00+08:00', '2026-09-30T17:30:00+08:00'], // 25–27 Sep 中秋 off: 28, 29, 30
    ['complaint', '2026-09-28T09:00:00+08:00', '2026-10-08T17:30:00+08:00'], // 5 Oct is a holiday
    ['complaint', '2026-10-03T09:00:00+08:00', '2026-10-10T17:30:00+08:00'], // 10 Oct worked
    ['complaint_special', '2026-09-26T09:00:00+08:00', '2026-10-12T17:30:00+08:00'], // Sun 11 Oct is not worked
    // Spring Festival 2026.
    ['general', '2026-02-13T10:00:00+08:00', '2026-02-14T17:30:00+08:00'], // Sat 14 Feb worked
    ['general', '2026-02-14T10:00:00+08:00', '2026-02-24T17:30:00+08:00'],
    ['township', '2026-02-13T10:00:00+08:00', '2026-02-25T17:30:00+08:00'], // 14, 24, 25 Feb
    ['township', '2026-02-26T10:00:00+08:00', '2026-03-02T17:30:00+08:00'], // 27, Sat 28 worked, 2 Mar
    ['complaint', '2026-02-10T10:00:00+08:00', '2026-02-24T17:30:00+08:00'], // 17 Feb off → 24
    ['complaint_special', '2026-02-06T10:00:00+08:00', '2026-02-24T17:30:00+08:00'], // 21 Feb off → 24
  ])('%s from %s → %s', (tier, from, want) => {
    expect(due(tier, from)).toBe(want);
  });

  it('beyond / joint take the promised date, which is required and not before receipt', () => {
    expect(due('beyond', '2026-11-26T10:00:00+08:00', '2026-12-31T17:30:00+08:00')).toBe('2026-12-31T17:30:00+08:00');
    expect(due('joint', '2026-11-26T10:00:00+08:00', '2026-12-18T12:00:00+08:00')).toBe('2026-12-18T12:00:00+08:00');
    expect(() => computeDeadline(cal, 'beyond', at('2026-11-26T10:00:00+08:00'))).toThrow(DeadlineError);
    expect(() => computeDeadline(cal, 'joint', at('2026-11-26T10:00:00+08:00'), at('2026-11-25T10:00:00+08:00'))).toThrow(DeadlineError);
  });

  it('answers the same whatever the machine\'s TZ (Shanghai arithmetic only)', () => {
    const before = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        expect(due('general', '2026-09-30T23:30:00+08:00')).toBe('2026-10-08T17:30:00+08:00');
      }
    } finally {
      process.env.TZ = before;
    }
  });
});

describe('WorkCalendar', () => {
  it('knows 调休: weekend working days and weekday holidays', () => {
    for (const d of ['2026-09-20', '2026-10-10', '2026-02-14', '2026-02-28', '2026-01-04']) expect(cal.isWorkday(d)).toBe(true);
    for (const d of ['2026-10-01', '2026-10-07', '2026-02-16', '2026-02-23', '2026-09-25', '2026-10-11']) expect(cal.isWorkday(d)).toBe(false);
    expect(cal.knowsYear(2026)).toBe(true);
  });

  describe('CALENDAR_FILE', () => {
    const dir = tempDir('minqing-cal-');
    const file = (name: string, content: string) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, content);
      return p;
    };

    it('adds holidays and 调休 working days for years the package does not know', () => {
      expect(cal.knowsYear(2027)).toBe(false);
      // Without the file 2027-01-01 (a Friday) is an ordinary working day.
      expect(due('general', '2026-12-31T10:00:00+08:00')).toBe('2027-01-01T17:30:00+08:00');
      const c = WorkCalendar.fromFile(file('cal.json', JSON.stringify({ holidays: ['2027-01-01'], workdays: ['2027-01-02'] })));
      expect(c.knowsYear(2027)).toBe(true);
      expect(due('general', '2026-12-31T10:00:00+08:00', undefined, c)).toBe('2027-01-02T17:30:00+08:00');
      expect(due('township', '2026-12-31T10:00:00+08:00', undefined, c)).toBe('2027-01-05T17:30:00+08:00'); // 2, 4, 5 Jan
      expect(due('complaint', '2026-12-25T10:00:00+08:00', undefined, c)).toBe('2027-01-02T17:30:00+08:00'); // 1 Jan off → Sat 2 worked
    });

    it('wins over the package where they disagree', () => {
      const c = WorkCalendar.fromFile(file('override.json', JSON.stringify({ holidays: ['2026-10-10'], workdays: ['2026-10-07'] })));
      expect(c.isWorkday('2026-10-10')).toBe(false);
      expect(c.isWorkday('2026-10-07')).toBe(true);
      expect(due('general', '2026-09-30T10:00:00+08:00', undefined, c)).toBe('2026-10-07T17:30:00+08:00');
      // Only one of the lists is needed.
      const only = WorkCalendar.fromFile(file('only.json', JSON.stringify({ holidays: ['2026-11-27'] })));
      expect(due('general', '2026-11-26T10:00:00+08:00', undefined, only)).toBe('2026-11-30T17:30:00+08:00');
    });

    it('refuses a file it cannot read or whose dates are not YYYY-MM-DD, naming the problem', () => {
      expect(() => WorkCalendar.fromFile(path.join(dir, 'missing.json'))).toThrow(/CALENDAR_FILE: cannot read/);
      expect(() => WorkCalendar.fromFile(file('bad.json', '{"holidays": '))).toThrow(/CALENDAR_FILE: cannot read/);
      expect(() => WorkCalendar.fromFile(file('date.json', JSON.stringify({ holidays: ['2027-02-30'] })))).toThrow(/holidays\.0: must be YYYY-MM-DD/);
      expect(() => WorkCalendar.fromFile(file('type.json', JSON.stringify({ workdays: '2027-02-07' })))).toThrow(/CALENDAR_FILE: .*workdays/);
    });
  });
});

describe('the 办结时限 choices on a new request\'s card', () => {
  const from = at('2026-09-30T16:00:00+08:00');
  it('read into a tier and, for 需上级审批 / 联办, a promised date in working days', () => {
    expect(TIER_CHOICES.map((c) => c.id)).toEqual(['general', 'township', 'complaint', 'complaint_special', 'beyond:10', 'beyond:20', 'joint:10']);
    expect(resolveTierChoice(cal, undefined, from)).toEqual({ tier: 'general', promised: null });
    expect(resolveTierChoice(cal, 'township', from)).toEqual({ tier: 'township', promised: null });
    const beyond = resolveTierChoice(cal, 'beyond:10', from);
    expect(beyond.tier).toBe('beyond');
    // 8, 9, 10 Oct, 12–16, 19, 20 Oct: the 10th working day after 30 Sep.
    expect(isoShanghai(beyond.promised!)).toBe('2026-10-20T17:30:00+08:00');
    expect(resolveTierChoice(cal, 'someday', from)).toEqual({ tier: 'general', promised: null });
  });
});
