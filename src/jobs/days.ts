import { firstWorkdayFrom, firstWorkdayOfWeek } from '../domain/worktime';
import { shanghaiDay } from '../domain/time';
import { DayRule } from './types';

/** Which days a job runs on. Each says why when it does not. */
export const everyDay: DayRule = () => ({ run: true });

export const workdaysOnly: DayRule = (cal, at) => {
  const day = shanghaiDay(at);
  return cal.isWorkday(day) ? { run: true } : { run: false, why: `${day} is not a working day` };
};

/** Monday, or the week's first working day when Monday is a holiday. */
export const firstWorkdayOfTheWeek: DayRule = (cal, at) => {
  const day = shanghaiDay(at);
  const first = firstWorkdayOfWeek(cal, day);
  if (first === day) return { run: true };
  return { run: false, why: cal.isWorkday(day) ? `${day} is not the week's first working day (${first})` : `${day} is not a working day` };
};

/** The first working day on or after day-of-month `n` (1 = the month's first working day). */
export const firstWorkdayFromDayOfMonth =
  (n: number): DayRule =>
  (cal, at) => {
    const day = shanghaiDay(at);
    const first = firstWorkdayFrom(cal, `${day.slice(0, 8)}${String(n).padStart(2, '0')}`);
    return first === day ? { run: true } : { run: false, why: `${day} is not the first working day from the ${n}th (${first})` };
  };
