import { newRequestCard } from '../../../cards/content';
import type { RequestRow, VillagerRow } from '../../db/entities';
import { suggestCategory } from '../../domain/category';
import { DUPLICATE_THRESHOLD, likelyDuplicates } from '../../domain/duplicates';
import { newRequestRecipients } from '../../domain/routing';
import { tierChoiceFor } from '../../domain/tier-choice';
import type { Address } from '../../platform/types';
import type { ActorRef, Tx } from '../tx';
import { sendCard } from './cards';
import { viewOf } from './view';

/** Open requests of the village received this long before the new one are compared with it. */
export const DUPLICATE_WINDOW_MS = 30 * 24 * 3600 * 1000;
/** At most this many of them, newest first (a village has a few dozen open at a time). */
export const DUPLICATE_CANDIDATES = 200;

/** After a message was added to a request, this long to say `新问题` and have it registered on its own. */
export const SPLIT_WINDOW_MS = 10 * 60 * 1000;
/** The question `新问题` answers (src/operations/split.ts), left open by an append (src/operations/report.ts). */
export const SPLIT_PENDING = 'split_append';

export interface NewRequestInput {
  villager: VillagerRow;
  /** The request's village (null: the township office's). */
  villageId: string | null;
  replyTo: Address | null;
  /** 事由, verbatim. */
  text: string;
  receivedAt: number;
  /** The text is the villager's own words (typed, or DingTalk's recognition of their voice): guess the category, look for duplicates. */
  words: boolean;
  actor: ActorRef;
  via: string | null;
  /** What the `received` event also records (the message id, where it came from). */
  data?: Record<string, unknown>;
}

/**
 * The open request of the same village this text most likely repeats (docs/interface.md#duplicates):
 * the open ones of the last 30 days through one indexed query, scored by `likelyDuplicates`.
 */
export async function likelyDuplicateOf(tx: Tx, req: RequestRow): Promise<{ code: string; score: number } | null> {
  if (!req.villageId) return null;
  const candidates = await tx.duplicates.openInVillageSince(req.villageId, req.receivedAt - DUPLICATE_WINDOW_MS, req.id, DUPLICATE_CANDIDATES);
  const [best] = likelyDuplicates(req.text, candidates, DUPLICATE_THRESHOLD, 1);
  return best ? { code: best.candidate.code, score: Math.round(best.score * 1000) / 1000 } : null;
}

/**
 * A new request (docs/rules.md#1): 事由 recorded verbatim, the `received` event, the new-request card to
 * the day's duty and resident cadres (or the township office) — naming a likely duplicate with a 合并
 * button. The receipt is the caller's: what it says depends on how the matter came in.
 */
export async function registerRequest(tx: Tx, n: NewRequestInput): Promise<RequestRow> {
  const req = await tx.requests.insert({
    villageId: n.villageId,
    category: n.words ? suggestCategory(n.text) : null,
    level: n.villageId ? 'village' : 'township',
    text: n.text,
    reporterVillagerId: n.villager.id,
    reporterName: n.villager.name,
    channel: n.replyTo ? tx.platforms.reach(n.replyTo).source : 'unknown',
    replyTo: n.replyTo,
    receivedAt: n.receivedAt,
  });
  // On a day off: the village's duty for that weekday and the township duty (docs/interface.md#year).
  const recipients = newRequestRecipients(tx.dir, n.villageId, new Date(n.receivedAt), tx.deps.calendar);
  await tx.event(req.id, 'received', n.actor, n.via, { text: n.text, ...n.data, recipients: recipients.map((p) => p.id) });
  if (!recipients.length) tx.log.error({ requestId: req.id }, 'no recipients for a new request: the org file has no township office');
  const dup = n.words ? await likelyDuplicateOf(tx, req) : null;
  if (dup) {
    await tx.event(req.id, 'likely_duplicate', 'system', null, { of: dup.code, score: dup.score });
    tx.log.info({ requestId: req.id, duplicateOf: dup.code, score: dup.score }, 'new request looks like an open one');
  }
  // The 时限 of the 农事村办 matter it is about, preselected (docs/interface.md#year).
  const tiers = tierChoiceFor(n.text, tx.dir.catalogue());
  await sendCard(tx, req.id, 'new_request', newRequestCard(viewOf(tx, req), tiers.options, { selected: tiers.selected, duplicateOf: dup?.code }), recipients);
  return req;
}
