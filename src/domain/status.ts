/**
 * A request's status (docs/interface.md#request) and the sets of statuses the rules speak of —
 * defined here once.
 *
 *   pending ──受理/转办──▶ accepted ──办结──▶ resolved ──满意 / 3 working days──▶ closed
 *                           │  ▲                 └──不满意──▶ accepted (reopened)
 *                    否定报备 │  │ 驳回
 *                           ▼  │
 *                    rejection_pending ──同意──▶ rejected ──申诉──▶ accepted (to a township leader)
 */
export const STATUSES = ['pending', 'accepted', 'rejection_pending', 'rejected', 'resolved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

export function isStatus(s: string): s is Status {
  return (STATUSES as readonly string[]).includes(s);
}

/** Open: still being worked on — not yet done, refused or closed. What the ledger's 在办 and the overdue figures count. */
export const OPEN: readonly Status[] = ['pending', 'accepted', 'rejection_pending'];
/** Working: in someone's hands (taken, not yet done). Deadlines run for these. */
export const WORKING: readonly Status[] = ['accepted', 'rejection_pending'];
/** Done: the work is finished, rated or not yet. */
export const DONE: readonly Status[] = ['resolved', 'closed'];
/** Closed: nothing more will happen (销号, or a refusal approved). */
export const CLOSED: readonly Status[] = ['rejected', 'closed'];
/** Unfinished for the villager: open, or done and waiting for their answer — where their follow-ups go. */
export const UNFINISHED: readonly Status[] = [...OPEN, 'resolved'];

export const isOpen = (s: string) => (OPEN as readonly string[]).includes(s);
export const isWorking = (s: string) => (WORKING as readonly string[]).includes(s);
