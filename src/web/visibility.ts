import type { RequestRow } from '../db/entities';
import type { Directory } from '../domain/directory';
import type { Standing } from '../domain/rights';
import { TP } from '../domain/texts';
import type { Viewer } from './viewer';

/** The roles that see every request of the township (its offices and leaders). */
const TOWNSHIP_WIDE = ['leader', 'township_office', 'county_centre'] as const;

/**
 * Whether the viewer may open the request's page (docs/interface.md#pages), and if not, why — pure.
 * A villager: their own requests only. A person who came by a link: that request only. A person:
 * anyone it concerns (owner, handler, card recipient, approver, supervisee, the village's secretary),
 * the village's own cadres and resident cadres, and the township's offices and leaders.
 */
export function viewRefusal(v: Viewer, req: RequestRow, s: Standing, dir: Directory): { text: string; reason: string } | null {
  if (v.kind === 'villager') return req.reporterVillagerId === v.villager.id ? null : { text: TP.notYours, reason: 'villager: not their request' };
  if (v.link && v.link.requestId !== req.id) return { text: TP.linkOnlyThis, reason: `link session for request ${v.link.requestId}` };
  if (s.kind !== 'person') return { text: TP.noAuthority, reason: 'not a person' };
  if (s.isOwner || s.isHandler || s.isRecipient || s.isResponsibleLeader || s.isApprover || s.isSupervisee) return null;
  if (v.person.roles.some((r) => (TOWNSHIP_WIDE as readonly string[]).includes(r))) return null;
  if (req.villageId && [...dir.cadres(req.villageId), ...dir.residents(req.villageId)].some((p) => p.id === v.person.id)) return null;
  return { text: TP.noAuthority, reason: `person ${v.person.id} has no authority over village ${req.villageId ?? '-'}` };
}
