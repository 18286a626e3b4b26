import type { VillagerRow } from '../db/entities';
import type { Person } from '../domain/directory';

/**
 * Who is looking at a page (docs/interface.md#pages): a person of the directory or a villager, as
 * the session cookie says. `link` is set when they came by a signed link (`?t=`): then the session
 * opens that request (a person's link opens nothing else).
 */
export type Viewer = ({ kind: 'person'; person: Person } | { kind: 'villager'; villager: VillagerRow }) & { link?: { requestId: number } };

/** `person:<id>` or `villager:<id>`: whom a session or a link is for. */
export type ViewerRef = `person:${string}` | `villager:${number}`;

export function viewerRef(v: Viewer): ViewerRef {
  return v.kind === 'person' ? `person:${v.person.id}` : `villager:${v.villager.id}`;
}

export function viewerName(v: Viewer): string {
  return v.kind === 'person' ? v.person.name : (v.villager.name ?? '群众');
}
