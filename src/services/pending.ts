import { PendingInputRow } from '../db/entities';
import { Tx } from './context';

/**
 * Replies we wait for: after a cadre taps 办结 we need the 办理结果; after 否定报备, the 依据 and
 * 理由; after 不满意, the villager's reason. One open question per person, for a while.
 */
export type PendingKind = 'resolve_result' | 'refusal_form' | 'notice_text' | 'deny_comment' | 'unsatisfied_reason' | 'escalate_date' | 'supervision_result';

export const PENDING_TTL_MS = 30 * 60 * 1000;

export async function expectReply(tx: Tx, actor: string, kind: PendingKind, requestId: number, data: Record<string, unknown> = {}, ttlMs = PENDING_TTL_MS): Promise<void> {
  await tx.em.getRepository(PendingInputRow).save({ actor, kind, requestId, data, expiresAt: tx.now + ttlMs });
}

/** The open question for `actor`, taken (removed) if still fresh. */
export async function takeReply(tx: Tx, actor: string): Promise<PendingInputRow | null> {
  const repo = tx.em.getRepository(PendingInputRow);
  const row = await repo.findOneBy({ actor });
  if (!row) return null;
  await repo.delete({ actor });
  return row.expiresAt >= tx.now ? row : null;
}
