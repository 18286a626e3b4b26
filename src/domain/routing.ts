import type { Directory, Person } from './directory';

/**
 * Who gets a new request's card (CONTRACT §7): the village's on-duty cadres for the day (Shanghai
 * weekday) and its resident cadres; with no village — or nobody on the roster — the township office.
 */
export function newRequestRecipients(dir: Directory, villageId: string | null, at: Date): Person[] {
  const unique = (list: Person[]) => [...new Map(list.map((p) => [p.id, p])).values()];
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
