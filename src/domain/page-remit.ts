import type { Person, Village } from './directory';
import { reviewersOf } from './diary-review';

/**
 * Who may see what on the leaders' and clerks' pages (docs/interface.md#dashboard-and-ledger). Pure:
 * the directory and a person in, a remit (or a refusal) out.
 *
 * - **Dashboard**: a township leader sees the whole township; a village secretary their own
 *   village(s) — the remits of the weekly digest (`jobs/reports/common.ts` `remits`). Nobody else.
 * - **Ledger** and the printables of a request: leaders, the 镇民情处理站 and the 县民情处理中心 see the
 *   whole township; a village's secretary, director, 两委 cadres and resident cadre see that
 *   village; everyone also sees the requests they own (首问责任人) or handle (承办人), wherever they are.
 * - **民情日记**: the person themselves, their reviewers (seed 002 §四.(二), `diary-review.ts`) and
 *   township leaders.
 */
export interface PageOrg {
  activePeople(): Person[];
  activeVillages(): Village[];
}

/** The requests a person may list: those of `villages` (null: all, township-level included), and their own. */
export interface Remit {
  villages: ReadonlySet<string | null> | null;
  personId: string;
}

const WHOLE_TOWNSHIP_ROLES = ['leader', 'township_office', 'county_centre'] as const;

const isLeader = (p: Person) => p.active && p.roles.includes('leader');

/** The villages whose secretary this person is (active villages only). */
export function secretaryOf(org: PageOrg, personId: string): Village[] {
  return org.activeVillages().filter((v) => v.secretaryId === personId);
}

/** The dashboard's remit: null for the whole township, a set of villages, or undefined (not allowed). */
export function dashboardVillages(org: PageOrg, p: Person): ReadonlySet<string | null> | null | undefined {
  if (!p.active) return undefined;
  if (isLeader(p)) return null;
  const own = secretaryOf(org, p.id);
  return own.length ? new Set(own.map((v) => v.id)) : undefined;
}

/** The villages a person works in: as secretary, director, 两委 cadre or resident cadre. */
export function villagesOf(org: PageOrg, personId: string): Village[] {
  return org.activeVillages().filter((v) => v.secretaryId === personId || v.directorId === personId || v.cadreIds.includes(personId) || v.residentIds.includes(personId));
}

/** The ledger's remit of an active person (every person has one: at least their own requests). */
export function ledgerRemit(org: PageOrg, p: Person): Remit | undefined {
  if (!p.active) return undefined;
  if (p.roles.some((r) => (WHOLE_TOWNSHIP_ROLES as readonly string[]).includes(r))) return { villages: null, personId: p.id };
  return { villages: new Set(villagesOf(org, p.id).map((v) => v.id)), personId: p.id };
}

/** Whether a request lies in a remit. */
export function inRemit(remit: Remit, r: { villageId: string | null; ownerId: string | null }, handlerIds: readonly string[]): boolean {
  if (!remit.villages || remit.villages.has(r.villageId)) return true;
  return r.ownerId === remit.personId || handlerIds.includes(remit.personId);
}

/** Whether a village (id, or null for township-level) is in a remit's villages. */
export function villageInRemit(remit: Remit, villageId: string | null): boolean {
  return !remit.villages || remit.villages.has(villageId);
}

/** Whether `viewer` may read the 民情日记 of `personId`. */
export function mayReadDiary(org: PageOrg, viewer: Person, personId: string): boolean {
  if (!viewer.active) return false;
  if (viewer.id === personId || isLeader(viewer)) return true;
  return reviewersOf(org, personId).includes(viewer.id);
}

/** Whether `viewer` may print a 督办单: leaders, the person it is for, who issued it, or anyone whose remit holds its request. */
export function mayReadSupervision(viewer: Person, s: { personId: string; issuedBy: string }, requestInRemit: boolean): boolean {
  if (!viewer.active) return false;
  return isLeader(viewer) || s.personId === viewer.id || s.issuedBy === viewer.id || requestInRemit;
}
