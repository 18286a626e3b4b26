import { WorkCalendar } from './calendar';
import { shanghaiMinutes, shanghaiDay } from './time';
import { WORK_END, WORK_START, workingMsBetween } from './worktime';

/**
 * Which reminder stages are due for something with a deadline (docs/rules.md#2, #8):
 * - `warn`: due within 4 working hours (DEADLINE_WARN_WORKING_HOURS) — only during working hours;
 * - `overdue`: past due;
 * - `overdue_leader`: a full working day past due.
 * Each stage is sent once per deadline (the caller records it); nothing outside 08:00–20:00.
 */
export type Stage = 'warn' | 'overdue' | 'overdue_leader' | 'unaccepted';

export const WARN_WITHIN_MS = 4 * 3600_000;
export const ONE_WORKING_DAY_MS = 9 * 3600_000;
/** A new request nobody has taken for this long is chased. */
export const UNACCEPTED_AFTER_MS = 2 * 3600_000;

export function inWorkingHours(cal: WorkCalendar, now: Date): boolean {
  const m = shanghaiMinutes(now);
  return cal.isWorkday(shanghaiDay(now)) && m >= WORK_START[0] * 60 + WORK_START[1] && m < WORK_END[0] * 60 + WORK_END[1];
}

export function inNoticeHours(now: Date): boolean {
  const m = shanghaiMinutes(now);
  return m >= 8 * 60 && m <= 20 * 60;
}

export function deadlineStages(cal: WorkCalendar, now: number, deadline: number, warnWithinMs = WARN_WITHIN_MS): Stage[] {
  if (deadline > now) {
    return inWorkingHours(cal, new Date(now)) && workingMsBetween(cal, now, deadline) <= warnWithinMs ? ['warn'] : [];
  }
  return workingMsBetween(cal, deadline, now) >= ONE_WORKING_DAY_MS ? ['overdue', 'overdue_leader'] : ['overdue'];
}

export function unacceptedDue(cal: WorkCalendar, now: number, receivedAt: number, afterMs = UNACCEPTED_AFTER_MS): boolean {
  return workingMsBetween(cal, receivedAt, now) >= afterMs;
}
