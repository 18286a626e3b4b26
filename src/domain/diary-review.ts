import type { Person, Village } from './directory';
import { Position, POSITIONS } from './positions';

/**
 * Who keeps a 民情日记 and who reviews whose (seed 002 §二, §四.(二), docs/rules.md#sources):
 * - every 镇机关 civil servant and 工勤, every village 两委 cadre and every 驻村干部 keeps one — not
 *   only village and resident cadres;
 * - each quarter 镇党委书记 reviews the 党政班子成员; 专职副书记 and 组织委员 review the other 镇机关干部,
 *   the 驻村干部 and the 村党组织书记; each 村党组织书记 reviews their village's 两委 members.
 *
 * A person's position comes from the org file's `position`, else from their title, else from their
 * roles (`positionOf`). Where the township has no 副书记 or 组织委员 in the file, the party secretary
 * reviews their group; where it has no party secretary either, any 班子 member does. The party
 * secretary's own diary is reviewed above the township (the county): `reviewers` is empty.
 */
export type ReviewGroup = 'top' | 'team' | 'staff' | 'village_secretary' | 'village_member';

export const REVIEW_GROUP_LABELS: Record<ReviewGroup, string> = {
  top: '镇党委书记',
  team: '党政班子成员',
  staff: '镇机关干部、驻村干部',
  village_secretary: '村党组织书记',
  village_member: '村两委成员',
};

export interface DiaryDuty {
  personId: string;
  group: ReviewGroup;
  /** Who may sign off this person's diary (any one of them); empty for the party secretary. */
  reviewers: string[];
}

export interface OrgView {
  activePeople(): Person[];
  activeVillages(): Village[];
}

const isPosition = (s: unknown): s is Position => (POSITIONS as readonly string[]).includes(s as string);
const TOWNSHIP_ROLES = ['leader', 'township_office', 'resident_cadre'] as const;

/**
 * A township person's position: the org file's, else read from the title (镇党委书记, 副书记, 组织委员,
 * 镇长 / 副镇长 / 纪委书记 / 人大主席 / …委员 → 班子), else from the roles (leader → 班子; township office and
 * resident cadre → 镇机关干部; county centre → a shared account). Null for a village cadre, whose post
 * the village's `secretary` says.
 */
export function positionOf(p: Pick<Person, 'roles' | 'title' | 'position'>): Position | null {
  if (isPosition(p.position)) return p.position;
  const township = p.roles.some((r) => (TOWNSHIP_ROLES as readonly string[]).includes(r));
  if (!township) return p.roles.includes('county_centre') ? 'shared_account' : null;
  const title = p.title ?? '';
  if (/副书记/.test(title)) return 'deputy_secretary';
  if (/组织委员/.test(title)) return 'organization_member';
  if (/(镇|乡)?党委书记/.test(title) && !/纪委/.test(title)) return 'party_secretary';
  if (/镇长|乡长|纪委书记|人大主席|委员|部长/.test(title) || p.roles.includes('leader')) return 'team_member';
  return 'township_staff';
}

/** Who keeps a 民情日记 (seed 002 §二, docs/rules.md#sources): township people other than shared accounts, and village cadres. */
export function keepsDiary(p: Person, org: OrgView): boolean {
  if (!p.active) return false;
  const pos = positionOf(p);
  if (pos === 'shared_account') return false;
  if (pos) return true;
  return p.roles.includes('village_cadre') || org.activeVillages().some((v) => v.cadreIds.includes(p.id) || v.secretaryId === p.id);
}

export function diaryKeepers(org: OrgView): Person[] {
  return org.activePeople().filter((p) => keepsDiary(p, org));
}

/** Every diary keeper with their group and reviewers, in directory order. */
export function diaryDuties(org: OrgView): DiaryDuty[] {
  const people = org.activePeople();
  const villages = org.activeVillages();
  const byPos = (...pos: Position[]) => people.filter((p) => pos.includes(positionOf(p) as Position)).map((p) => p.id);
  const secretaries = byPos('party_secretary');
  const team = byPos('party_secretary', 'deputy_secretary', 'organization_member', 'team_member');
  const first = (...lists: string[][]) => lists.find((l) => l.length) ?? [];
  const forTeam = first(secretaries, team);
  const forStaff = first(byPos('deputy_secretary', 'organization_member'), secretaries, team);

  return diaryKeepers(org).map((p): DiaryDuty => {
    const pos = positionOf(p);
    const not = (ids: string[]) => ids.filter((id) => id !== p.id);
    if (pos === 'party_secretary') return { personId: p.id, group: 'top', reviewers: [] };
    if (pos === 'deputy_secretary' || pos === 'organization_member' || pos === 'team_member') return { personId: p.id, group: 'team', reviewers: not(forTeam) };
    if (pos === 'township_staff') return { personId: p.id, group: 'staff', reviewers: not(forStaff) };
    if (villages.some((v) => v.secretaryId === p.id)) return { personId: p.id, group: 'village_secretary', reviewers: not(forStaff) };
    // A 两委 member: their village's secretary (every village they sit in), else as a secretary would be.
    const own = [...new Set(villages.filter((v) => v.cadreIds.includes(p.id) && v.secretaryId).map((v) => v.secretaryId!))].filter((id) => people.some((x) => x.id === id));
    return { personId: p.id, group: 'village_member', reviewers: not(own.length ? own : forStaff) };
  });
}

export function reviewersOf(org: OrgView, personId: string): string[] {
  return diaryDuties(org).find((d) => d.personId === personId)?.reviewers ?? [];
}

/** Each reviewer with the diaries they review, for the quarterly 审阅 list (reviewers in directory order). */
export function reviewPlan(org: OrgView): { reviewerId: string; reviewees: string[] }[] {
  const duties = diaryDuties(org);
  const plan = new Map<string, string[]>();
  for (const p of org.activePeople()) {
    const reviewees = duties.filter((d) => d.reviewers.includes(p.id)).map((d) => d.personId);
    if (reviewees.length) plan.set(p.id, reviewees);
  }
  return [...plan].map(([reviewerId, reviewees]) => ({ reviewerId, reviewees }));
}
