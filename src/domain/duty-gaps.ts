import type { Directory } from './directory';
import { WEEK, Weekday } from './org';
import { addDays, weekdayOfDay } from './time';
import type { WorkdayCalendar } from './routing';

/**
 * Holes in the duty rosters, for a warning at start and after an org import:
 * - a village with a weekday that has no active person on duty (seed 001 §二.3: at least one village
 *   cadre sits in the village office every day, docs/rules.md#sources);
 * - a Saturday or Sunday with nobody on township duty (seed 000 §二: a township leader is on duty every
 *   weekend and holiday, docs/rules.md#sources); with a calendar, also each day off in the coming `days` (e.g. 国庆) with
 *   nobody on township duty;
 * - people named on a roster who are no longer active (or not in the directory at all).
 */
export interface DutyGaps {
  villages: { villageId: string; name: string; days: Weekday[] }[];
  townshipWeekdays: Weekday[];
  townshipDates: string[];
  inactive: { personId: string; name: string | null; roster: string }[];
}

export interface DutyGapOptions {
  calendar: WorkdayCalendar;
  /** First day to check (YYYY-MM-DD, Shanghai). */
  from: string;
  /** How many days from `from` (default 60). */
  days?: number;
}

const WEEKEND: Weekday[] = ['sat', 'sun'];
const KEY_OF_WEEKDAY: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export function dutyGaps(dir: Directory, opts?: DutyGapOptions): DutyGaps {
  const active = (id: string) => Boolean(dir.person(id)?.active);
  const inactive: DutyGaps['inactive'] = [];
  const note = (ids: string[] | undefined, roster: string) => {
    for (const id of ids ?? []) if (!active(id)) inactive.push({ personId: id, name: dir.person(id)?.name ?? null, roster });
  };

  const villages: DutyGaps['villages'] = [];
  for (const v of dir.activeVillages()) {
    const days = WEEK.filter((d) => !(v.duty[d] ?? []).some(active));
    if (days.length) villages.push({ villageId: v.id, name: v.name, days });
    for (const d of WEEK) note(v.duty[d], `${v.id}.${d}`);
  }

  const roster = dir.townshipDutyRoster();
  for (const [key, ids] of Object.entries(roster)) note(ids, `township.${key}`);
  const townshipWeekdays = WEEKEND.filter((d) => !(roster[d] ?? []).some(active));

  const townshipDates: string[] = [];
  if (opts) {
    for (let i = 0; i < (opts.days ?? 60); i++) {
      const day = addDays(opts.from, i);
      if (opts.calendar.isWorkday(day) || dir.townshipDutyOn(day).length) continue;
      const weekday = KEY_OF_WEEKDAY[weekdayOfDay(day)];
      // A weekend with no weekday roster is reported once, as the weekday.
      if (townshipWeekdays.includes(weekday) && roster[day] === undefined) continue;
      townshipDates.push(day);
    }
  }
  return { villages, townshipWeekdays, townshipDates, inactive };
}

const ZH_DAY: Record<Weekday, string> = { mon: '周一', tue: '周二', wed: '周三', thu: '周四', fri: '周五', sat: '周六', sun: '周日' };

/** One English log line per gap (names stay as the org file writes them); empty when all is covered. */
export function dutyGapWarnings(g: DutyGaps): string[] {
  const lines = g.villages.map((v) => `duty: village ${v.villageId} has nobody active on duty on ${v.days.join(', ')}`);
  if (g.townshipWeekdays.length) lines.push(`duty: no township duty on ${g.townshipWeekdays.join(', ')} (org file township.duty)`);
  if (g.townshipDates.length) lines.push(`duty: no township duty on the days off ${g.townshipDates.join(', ')}`);
  for (const p of g.inactive) lines.push(`duty: ${p.name ?? p.personId} (${p.personId}) is on the ${p.roster} roster but not active`);
  return lines;
}

/** The same, in short Chinese, for a message to the township office or leaders. */
export function dutyGapTexts(g: DutyGaps): string[] {
  const lines = g.villages.map((v) => `${v.name}${v.days.map((d) => ZH_DAY[d]).join('、')}无人值班`);
  if (g.townshipWeekdays.length) lines.push(`镇里${g.townshipWeekdays.map((d) => ZH_DAY[d]).join('、')}未安排领导值班`);
  if (g.townshipDates.length) lines.push(`镇里以下节假日未安排值班：${g.townshipDates.join('、')}`);
  for (const p of g.inactive) lines.push(`${p.name ?? p.personId}已不在岗，仍在值班表上`);
  return lines;
}
