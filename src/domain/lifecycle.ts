/**
 * The request state machine (CONTRACT §5) and who may do what (DOMAIN rules 1–5, issue rule 11).
 * Pure: a request's state and an actor in, `null` (allowed) or a short Chinese refusal out.
 *
 *   pending ──受理/转办──▶ accepted ──办结──▶ resolved ──满意 / 3 working days──▶ closed
 *                           │  ▲                 └──不满意──▶ accepted (reopened)
 *                    否定报备 │  │ 驳回
 *                           ▼  │
 *                    rejection_pending ──同意──▶ rejected ──申诉──▶ accepted (to a township leader)
 */
export type Status = 'pending' | 'accepted' | 'rejection_pending' | 'rejected' | 'resolved' | 'closed';

export type Action =
  | 'accept'
  | 'forward'
  | 'escalate'
  | 'reject'
  | 'approve'
  | 'deny'
  | 'resolve'
  | 'notify'
  | 'progress'
  | 'set_deadline'
  | 'set_category'
  | 'merge'
  | 'phoned'
  | 'satisfied'
  | 'unsatisfied'
  | 'appeal'
  | 'supplement';

export interface RequestState {
  status: string;
  ownerId: string | null;
  level: string;
  villageId: string | null;
  reporterVillagerId: number | null;
  mergedInto: number | null;
  refusalBy?: string | null;
}

/** Who is acting, and how they stand to the request. */
export type Actor =
  | {
      kind: 'person';
      id: string;
      isOwner: boolean;
      isHandler: boolean;
      /** Got one of this request's cards. */
      isRecipient: boolean;
      /** Village secretary of the request's village, or a township leader. */
      isResponsibleLeader: boolean;
      /** The person who must approve this request's refusal. */
      isApprover: boolean;
    }
  | { kind: 'villager'; id: number };

const ALLOWED_FROM: Record<Action, Status[]> = {
  accept: ['pending'],
  forward: ['pending', 'accepted'],
  escalate: ['accepted'],
  reject: ['accepted'],
  approve: ['rejection_pending'],
  deny: ['rejection_pending'],
  resolve: ['accepted'],
  notify: ['pending', 'accepted'],
  progress: ['accepted', 'rejection_pending', 'resolved'],
  set_deadline: ['accepted'],
  set_category: ['pending', 'accepted', 'rejection_pending', 'resolved', 'rejected', 'closed'],
  merge: ['pending', 'accepted'],
  phoned: ['accepted', 'rejection_pending', 'rejected', 'resolved', 'closed'],
  satisfied: ['resolved'],
  unsatisfied: ['resolved'],
  appeal: ['rejected'],
  supplement: ['pending', 'accepted', 'rejection_pending', 'resolved'],
};

const WHY_NOT: Record<Status, string> = {
  pending: '该事项还未受理',
  accepted: '该事项正在办理中',
  rejection_pending: '该事项的否定报备正在等待领导审批',
  rejected: '该事项已经领导批准否定',
  resolved: '该事项已办结，正在等待群众评价',
  closed: '该事项已销号',
};

export const NOT_ALLOWED = '抱歉，您不是该事项的经办人，无法操作。如有疑问请联系镇民情处理站。';

/** null when `actor` may do `action` on `req` now; otherwise what to tell them. */
export function refusal(action: Action, req: RequestState, actor: Actor): string | null {
  const mergedOk: Action[] = ['set_category', 'satisfied', 'unsatisfied', 'phoned', 'supplement'];
  if (req.mergedInto && !mergedOk.includes(action)) return '该事项已并入其他事项，请在合并后的事项上操作。';
  if (actor.kind === 'villager') {
    if (!['satisfied', 'unsatisfied', 'appeal', 'supplement'].includes(action)) return '抱歉，这个操作需要工作人员来办理。';
    if (req.reporterVillagerId !== actor.id) return '抱歉，只能查看和评价您本人反映的事项。';
  } else {
    const p = actor;
    const working = p.isOwner || p.isHandler;
    const allowed: Record<Action, boolean> = {
      accept: p.isRecipient,
      forward: req.status === 'pending' ? p.isRecipient : working || p.isResponsibleLeader,
      escalate: working || p.isResponsibleLeader,
      reject: p.isOwner,
      approve: p.isApprover,
      deny: p.isApprover,
      resolve: working,
      notify: req.status === 'pending' ? p.isRecipient : working,
      progress: working || p.isResponsibleLeader,
      set_deadline: p.isOwner || p.isResponsibleLeader,
      set_category: working || p.isRecipient || p.isResponsibleLeader,
      merge: working || p.isResponsibleLeader || (req.status === 'pending' && p.isRecipient),
      phoned: working,
      satisfied: working,
      unsatisfied: working,
      appeal: false,
      supplement: false,
    };
    if (!allowed[action]) {
      if ((action === 'approve' || action === 'deny') && req.refusalBy === p.id) return '否定报备不能由本人审批。';
      return NOT_ALLOWED;
    }
  }
  const from = ALLOWED_FROM[action];
  if (!from.includes(req.status as Status)) {
    return `${WHY_NOT[req.status as Status] ?? '该事项当前状态'}，不能${ACTION_ZH[action]}。`;
  }
  return null;
}

export const ACTION_ZH: Record<Action, string> = {
  accept: '受理',
  forward: '转办',
  escalate: '上报',
  reject: '否定报备',
  approve: '同意',
  deny: '驳回',
  resolve: '办结',
  notify: '一次性告知',
  progress: '记录办理过程',
  set_deadline: '调整时限',
  set_category: '设置分类',
  merge: '合并',
  phoned: '确认电话告知',
  satisfied: '评价',
  unsatisfied: '评价',
  appeal: '申诉',
  supplement: '补充',
};

/** village → township 民情处理站 → county 民情处理中心 (DOMAIN rule 9). */
export const LEVELS = ['village', 'township', 'county'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_ZH: Record<Level, string> = { village: '村', township: '镇民情处理站', county: '县民情处理中心' };

export function nextLevel(level: string): Level | null {
  const i = LEVELS.indexOf(level as Level);
  return i >= 0 && i < LEVELS.length - 1 ? LEVELS[i + 1] : null;
}
