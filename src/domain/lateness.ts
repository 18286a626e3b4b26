import type { WorkCalendar } from './calendar';
import { WORK_END, WORK_START, workingMsBetween } from './worktime';

const HOUR_MS = 3600_000;
/** One working day: 08:30–17:30. */
export const WORKDAY_MS = (WORK_END[0] * 60 + WORK_END[1] - WORK_START[0] * 60 - WORK_START[1]) * 60_000;

/**
 * How late an overdue item is, in working time (08:30–17:30 on working days, as the figures count response):
 * whole working days once it is a day or more late, else working hours (at least 1). Pure.
 */
export function lateness(cal: WorkCalendar, deadline: number, now: number): { days: number; hours: number } {
  const ms = workingMsBetween(cal, deadline, now);
  if (ms >= WORKDAY_MS) return { days: Math.floor(ms / WORKDAY_MS), hours: 0 };
  return { days: 0, hours: Math.max(1, Math.ceil(ms / HOUR_MS)) };
}
