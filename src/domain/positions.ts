/**
 * A person's place in the township's hierarchy, beside their `roles` (what the product lets them
 * do). The org file may set it on a person (`"position": "deputy_secretary"`); without it, it is read
 * from the title and the roles — see `positionOf` in `diary-review.ts`, which also says who reviews
 * whose 民情日记 by it (seed 002 §四.(二), docs/rules.md#sources).
 *
 * Village posts are not positions: a village's `secretary` and `director` say who they are, and
 * everyone else in its `cadres` is a 两委 member.
 */
export const POSITIONS = [
  'party_secretary', //    镇党委书记: reviews the 班子
  'deputy_secretary', //   专职副书记: reviews 机关干部, 驻村干部, 村书记
  'organization_member', // 组织委员: the same as the deputy secretary
  'team_member', //        党政班子成员 (镇长, 副镇长, 纪委书记, 其他委员…): reviewed by the party secretary
  'township_staff', //     镇机关在编干部、工勤: reviewed by the deputy secretary / organization member
  'shared_account', //     a shared office account, not a person (e.g. 镇民情处理站, 县民情中心): keeps no diary
] as const;
export type Position = (typeof POSITIONS)[number];

export const POSITION_LABELS: Record<Position, string> = {
  party_secretary: '镇党委书记',
  deputy_secretary: '专职副书记',
  organization_member: '组织委员',
  team_member: '党政班子成员',
  township_staff: '镇机关干部',
  shared_account: '共用账号',
};
