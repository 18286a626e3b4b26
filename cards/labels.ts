/**
 * Button labels (docs/interface.md#cards). People — and acceptance tests — find buttons by these words,
 * on every platform.
 */
export const LABELS = {
  accept: '受理',
  forward: '转办',
  resolve: '办结',
  escalate: '上报',
  reject: '否定报备',
  approve: '同意',
  deny: '驳回',
  satisfied: '满意',
  unsatisfied: '不满意',
  phoned: '已电话告知',
  notify: '一次性告知',
  fulfil: '已落实',
  handover: '交接',
  /** On a new request that looks like an open one (疑似重复): merge it into that one. */
  merge_dup: '合并',
  approve_deadline: '同意',
  deny_deadline: '驳回',
} as const;

export type ActionKey = keyof typeof LABELS;

export function isActionKey(s: string): s is ActionKey {
  return Object.prototype.hasOwnProperty.call(LABELS, s);
}
