import type { Directory, Person } from './directory';

interface Req {
  villageId: string | null;
  level: string;
}

const unique = (list: Person[]) => [...new Map(list.map((p) => [p.id, p])).values()];

/** The leaders who answer for a request: its village's secretary and the township leaders. */
export function responsibleLeaders(dir: Directory, req: Req): Person[] {
  const sec = dir.person(dir.village(req.villageId)?.secretaryId);
  return unique([...(sec?.active ? [sec] : []), ...dir.withRole('leader')]);
}

/**
 * Who approves a refusal (否定报备, docs/rules.md#3): the village secretary for a village-level
 * request, a township leader above that — never the person who filed it.
 */
export function approversFor(dir: Directory, req: Req, filedBy: string): Person[] {
  const sec = dir.person(dir.village(req.villageId)?.secretaryId);
  if (req.level === 'village' && sec?.active && sec.id !== filedBy) return [sec];
  return dir.withRole('leader').filter((p) => p.id !== filedBy);
}
