import { WorkCalendar } from '../../src/domain/calendar';
import { sameDayAnswerBy } from '../../src/domain/same-day';

/** 当日回复 (docs/interface.md#year): 17:30 of the day taken, or of the next working day when taken later. */
describe('the same-day answer', () => {
  const cal = WorkCalendar.fromFile(undefined);
  const at = (s: string) => Date.parse(s);
  it('is due at 17:30 of a working day, else of the next working day', () => {
    expect(sameDayAnswerBy(cal, at('2026-11-26T10:00:00+08:00'))).toBe(at('2026-11-26T17:30:00+08:00'));
    expect(sameDayAnswerBy(cal, at('2026-11-26T18:00:00+08:00'))).toBe(at('2026-11-27T17:30:00+08:00'));
    expect(sameDayAnswerBy(cal, at('2026-11-28T10:00:00+08:00'))).toBe(at('2026-11-30T17:30:00+08:00')); // Saturday
    expect(sameDayAnswerBy(cal, at('2026-10-02T10:00:00+08:00'))).toBe(at('2026-10-08T17:30:00+08:00')); // National Day
  });
});
