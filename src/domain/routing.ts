import type { Directory, Person } from './directory';
import { shanghaiDay } from './time';

/** What routing needs of the calendar (a `WorkCalendar` will do). */
export interface WorkdayCalendar {
  isWorkday(day: string): boolean;
}

const unique = (list: Person[]) => [...new Map(list.map((p) => [p.id, p])).values()];

/**
 * Who gets a new request's card (docs/interface.md#cards): the village's on-duty cadres for the day (Shanghai
 * weekday) and its resident cadres; with no village — or nobody on the roster — the township office.
 *
 * Given a calendar, on a day that is not a working day (docs/interface.md#year): the village's duty for that
 * weekday (if any) and the township duty for that day; with no village, the township duty. When
 * neither roster has anyone active, the working-day rule above decides (so nobody is left out).
 * Without a calendar, or on a working day, exactly the working-day rule.
 */
export function newRequestRecipients(dir: Directory, villageId: string | null, at: Date, cal?: WorkdayCalendar): Person[] {
  if (cal && !cal.isWorkday(shanghaiDay(at))) {
    const village = villageId && dir.village(villageId)?.active ? dir.onDuty(villageId, at) : [];
    const list = unique([...village, ...dir.townshipDutyOn(at)]);
    if (list.length) return list;
  }
  if (villageId && dir.village(villageId)?.active) {
    const list = unique([...dir.onDuty(villageId, at), ...dir.residents(villageId)]);
    if (list.length) return list;
  }
  return dir.withRole('township_office');
}

/** Whom a request can be handed to (转办): the village's cadres and resident cadres, then the township office. */
export function forwardTargets(dir: Directory, villageId: string | null): Person[] {
  const list = villageId ? [...dir.cadres(villageId), ...dir.residents(villageId)] : [];
  list.push(...dir.withRole('township_office'));
  return [...new Map(list.map((p) => [p.id, p])).values()];
}
