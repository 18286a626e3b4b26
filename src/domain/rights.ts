import type { Role } from './org';
import type { Status } from './status';
import { STATUS_LABELS, T, TS, TY } from './texts';

/**
 * Who may run which operation, on a request in which state — the one matrix (docs/rules.md#1–#5).
 * Pure: an operation, a request's state and the actor's standing in; `null` (allowed) or a short
 * Chinese refusal out. Every door (card, text command, reply, page) goes through `refusal` once.
 */
export type OpName =
  | 'report'
  | 'supplement'
  | 'query'
  | 'help'
  | 'rate'
  | 'reason'
  | 'appeal'
  | 'accept'
  | 'forward'
  | 'escalate'
  | 'reject'
  | 'approve'
  | 'deny'
  | 'comment'
  | 'resolve'
  | 'notify'
  | 'progress'
  | 'set_deadline'
  | 'approve_deadline'
  | 'deny_deadline'
  | 'set_category'
  | 'merge'
  | 'phoned'
  | 'supervise'
  | 'fulfil'
  | 'walk_in'
  | 'diary'
  | 'visit'
  | 'worklist'
  | 'close_unrated'
  // The township's whole year (docs/interface.md#year)
  | 'heads_meeting'
  | 'review_diary'
  | 'self_assessment'
  | 'handover'
  | 'callback'
  | 'split_off'
  | 'split';

/** What the rules need to know of a request. */
export interface RequestState {
  code: string;
  status: Status;
  /** 限时办结 tier (general, township, complaint, complaint_special, beyond, joint). */
  tier: string;
  ownerId: string | null;
  level: string;
  villageId: string | null;
  reporterVillagerId: number | null;
  mergedInto: number | null;
  refusal: { by: string; decidedBy?: string; decision?: 'approved' | 'denied' } | null;
}

/** How a person stands to a request. */
export interface PersonStanding {
  kind: 'person';
  id: string;
  roles: readonly Role[];
  isOwner: boolean;
  isHandler: boolean;
  /** Got one of this request's cards. */
  isRecipient: boolean;
  /** Village secretary of the request's village, or a township leader. */
  isResponsibleLeader: boolean;
  /** Must approve this request's pending refusal. */
  isApprover: boolean;
  /** Has an open 督办单 on it. */
  isSupervisee: boolean;
  /** The request's owner has left (deactivated in the org file): its work waits for a 交接. */
  ownerLeft?: boolean;
  /** Through a card door: how they stand to the card they tapped. */
  tapped?: Tapped;
}

/**
 * A tap: whether the tapper is one of the card's recipients. A card is for the people it went to —
 * a group chat shows a villager's card to every member, a forwarded screenshot shows it to anyone —
 * so a tap by anyone else is refused, whatever else they may do on the request.
 */
export interface Tapped {
  isRecipient: boolean;
}

export type Standing = PersonStanding | { kind: 'villager'; id: number; tapped?: Tapped } | { kind: 'system' };

/** The names the refusals quote (the owner, the leader who decided). */
export type NameOf = (personId: string | null | undefined) => string | undefined;

interface Rule {
  /** Who may run it at all. */
  who: 'person' | 'villager' | 'anyone' | 'system';
  /** The states it runs in; null: it needs no request, or any state will do. */
  from: readonly Status[] | null;
  /** For a person: the standing that allows it (absent: any person). */
  may?: (s: PersonStanding, req: RequestState) => boolean;
  /** Rights of the person alone, checked before the request is looked up. */
  role?: Role;
  /** Allowed on a request merged into another (the others are done on that one). */
  onMerged?: boolean;
  /** A more exact answer when the request has already moved past this operation (checked first). */
  moved?: (req: RequestState, s: Standing, name: NameOf) => string | null;
  /** Instead of the generic refusal: to a person without the right, to a villager. */
  notAllowed?: string;
  villager?: string;
}

const working = (s: PersonStanding) => s.isOwner || s.isHandler;
const ANY: readonly Status[] = ['pending', 'accepted', 'rejection_pending', 'rejected', 'resolved', 'closed'];

/** 已由王建国同意 */
export function decisionNote(r: RequestState['refusal'], name: NameOf): string {
  return r?.decision ? T.decidedBy(name(r.decidedBy) ?? r.decidedBy ?? '', r.decision === 'approved') : T.handled;
}

const alreadyTaken = (req: RequestState, s: Standing, name: NameOf): string | null => {
  if (req.status === 'pending' && !req.ownerId) return null;
  if (s.kind === 'person' && req.ownerId === s.id) return T.alreadyYours(req.code);
  const owner = name(req.ownerId);
  return owner ? T.alreadyTakenByOther(req.code, owner) : T.notPending(req.code, STATUS_LABELS[req.status] ?? req.status);
};

const alreadyDecided = (req: RequestState, s: Standing, name: NameOf): string | null => {
  if (req.status === 'rejection_pending' || !req.refusal?.decision || s.kind !== 'person') return null;
  return req.refusal.decidedBy === s.id || s.isResponsibleLeader ? T.decided(decisionNote(req.refusal, name)) : null;
};

export const RULES: Record<OpName, Rule> = {
  // Villagers
  report: { who: 'villager', from: null },
  supplement: { who: 'villager', from: ['pending', 'accepted', 'rejection_pending', 'resolved'], onMerged: true },
  query: { who: 'villager', from: null },
  help: { who: 'anyone', from: null },
  reason: { who: 'villager', from: null, onMerged: true },
  appeal: { who: 'villager', from: ['rejected'] },
  // The villager — or, the one exception, a person on the feedback card they were sent to record the
  // villager's answer (a walk-in, a closed reply window: the owner's proxy card). Nobody else rates.
  rate: { who: 'villager', from: ['resolved'], onMerged: true, may: (s) => s.tapped?.isRecipient === true, notAllowed: TS.rateNotYours },
  // People working on requests
  accept: { who: 'person', from: ['pending'], may: (s) => s.isRecipient, moved: alreadyTaken },
  forward: { who: 'person', from: ['pending', 'accepted'], may: (s, r) => (r.status === 'pending' ? s.isRecipient : working(s) || s.isResponsibleLeader) },
  escalate: { who: 'person', from: ['accepted'], may: (s) => working(s) || s.isResponsibleLeader },
  reject: { who: 'person', from: ['accepted'], may: (s) => s.isOwner },
  approve: { who: 'person', from: ['rejection_pending'], may: (s) => s.isApprover, moved: alreadyDecided },
  deny: { who: 'person', from: ['rejection_pending'], may: (s) => s.isApprover, moved: alreadyDecided },
  comment: { who: 'person', from: null, may: (s) => s.isResponsibleLeader },
  resolve: { who: 'person', from: ['accepted'], may: working },
  notify: { who: 'person', from: ['pending', 'accepted'], may: (s, r) => (r.status === 'pending' ? s.isRecipient : working(s)) },
  progress: { who: 'person', from: ['accepted', 'rejection_pending', 'resolved'], may: (s) => working(s) || s.isResponsibleLeader },
  // The owner asks (applied at once only where the tier leaves the date to them, see deadlineNeedsApproval); a leader decides.
  set_deadline: { who: 'person', from: ['accepted'], may: (s) => s.isOwner || s.isResponsibleLeader },
  approve_deadline: { who: 'person', from: ['accepted'], may: (s) => s.isResponsibleLeader && !s.isOwner },
  deny_deadline: { who: 'person', from: ['accepted'], may: (s) => s.isResponsibleLeader && !s.isOwner },
  set_category: { who: 'person', from: ANY, onMerged: true, may: (s) => working(s) || s.isRecipient || s.isResponsibleLeader },
  merge: { who: 'person', from: ['pending', 'accepted'], may: (s, r) => working(s) || s.isResponsibleLeader || (r.status === 'pending' && s.isRecipient) },
  phoned: { who: 'person', from: ['accepted', 'rejection_pending', 'rejected', 'resolved', 'closed'], onMerged: true, may: working, villager: T.staffOnly },
  supervise: { who: 'person', from: null, role: 'leader', notAllowed: T.superviseLeadersOnly },
  fulfil: { who: 'person', from: null, onMerged: true, may: (s) => s.isSupervisee, notAllowed: T.supervisionNotYours, villager: T.supervisionNotForYou },
  walk_in: { who: 'person', from: null },
  diary: { who: 'person', from: null },
  visit: { who: 'person', from: null },
  worklist: { who: 'person', from: null },
  close_unrated: { who: 'system', from: ['resolved'], onMerged: true },
  // The township's whole year (docs/interface.md#year). Whose diary a person may sign off is the seeds'
  // hierarchy (src/domain/diary-review.ts), checked by the operation: it is about a person, not a request.
  heads_meeting: { who: 'person', from: null },
  review_diary: { who: 'person', from: null },
  self_assessment: { who: 'person', from: null },
  // 交接: the village secretary or a township leader hands an open request of someone who left to another.
  handover: { who: 'person', from: ['accepted', 'rejection_pending', 'resolved'], may: (s) => s.isResponsibleLeader && s.ownerLeft === true, notAllowed: TY.handoverNotAllowed },
  // 回访: the township office or a leader calls the villager back — never the request's own owner.
  callback: { who: 'person', from: ['closed'], may: (s) => !s.isOwner && (s.roles.includes('township_office') || s.roles.includes('leader')), notAllowed: TY.callbackNotAllowed },
  // A message added to a request turned into its own (docs/interface.md#text-commands 新问题 / 拆分)
  split_off: { who: 'villager', from: ['pending', 'accepted', 'rejection_pending', 'resolved'], onMerged: true },
  split: { who: 'person', from: ['pending', 'accepted', 'rejection_pending', 'resolved'], may: (s, r) => working(s) || s.isResponsibleLeader || (r.status === 'pending' && s.isRecipient) },
};

/**
 * 时限 (docs/interface.md#rights): the tiers fix the deadline (CONTRACT §6: the 1st / 3rd working day,
 * 7 / 15 days) except 需上级审批 and 联办, whose date is promised or agreed by the owner. So the
 * owner's change applies at once only on those; elsewhere a responsible leader approves it. A
 * responsible leader's own change applies at once — unless they own the request: nobody approves
 * their own.
 */
export function deadlineNeedsApproval(req: Pick<RequestState, 'tier'>, s: PersonStanding): boolean {
  if (s.isResponsibleLeader && !s.isOwner) return false;
  return !(req.tier === 'beyond' || req.tier === 'joint');
}

/** Whether `op` is something this kind of actor can ask for at all (before any request is looked up). */
export function refusalForActor(op: OpName, s: Standing | { kind: 'person'; roles: readonly Role[] }): string | null {
  const rule = RULES[op];
  if (rule.who === 'anyone') return null;
  if (s.kind === 'system') return rule.who === 'system' ? null : T.notAllowed;
  if (s.kind === 'villager') return rule.who === 'villager' ? null : (rule.villager ?? T.notAllowed);
  if (rule.who === 'villager' && !rule.may) return T.notAllowed;
  if (rule.role && !s.roles.includes(rule.role)) return rule.notAllowed ?? T.notAllowed;
  return null;
}

/** null when the actor may run `op` on `req` now; otherwise what to tell them. */
export function refusal(op: OpName, req: RequestState, s: Standing, name: NameOf = () => undefined): string | null {
  const rule = RULES[op];
  const moved = rule.moved?.(req, s, name);
  if (moved) return moved;
  if (req.mergedInto && !rule.onMerged) return T.mergedElsewhere;
  const who = refusalForActor(op, s);
  if (who) return who;
  if (s.kind === 'villager' && req.reporterVillagerId !== s.id) return T.onlyOwnRequests;
  if (s.kind === 'person' && rule.may && !rule.may(s, req)) {
    if ((op === 'approve' || op === 'deny') && req.refusal?.by === s.id) return T.noSelfApproval;
    return rule.notAllowed ?? T.notAllowed;
  }
  // A card is for its recipients: someone who could otherwise do this (the owner on the villager's
  // card, a handler or a leader on the owner's) must use their own card or a command.
  if (s.kind !== 'system' && s.tapped && !s.tapped.isRecipient) return TS.notYourCard;
  if (rule.from && !rule.from.includes(req.status)) return T.wrongState(req.status, T.actions[op] ?? TS.actions[op]);
  return null;
}
