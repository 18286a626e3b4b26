import { z } from 'zod';
import { RequestRow } from '../db/entities';
import { suggestCategory } from '../domain/category';
import { parseInstant } from '../domain/time';
import { MinqingError } from '../errors';
import { AppDeps, inTx, Tx } from './context';
import type { Person } from '../domain/directory';
import { claimOwnership, insertRequest } from './requests';
import { announceOwner } from './rules/accept';

/** 补录 (CONTRACT §5 POST /api/v1/requests): a matter taken at the window, by phone, by letter or on the Tuesday desk. */
export const walkInSchema = z.object({
  village: z.string().min(1).max(64).nullable().optional(),
  text: z.string().trim().min(1).max(4000),
  channel: z.enum(['visit', 'phone', 'letter']),
  receivedAt: z.string().min(10).max(40),
  reporterName: z.string().trim().min(1).max(64).optional(),
  takenBy: z.string().min(1).max(64),
  category: z.number().int().min(1).max(8).optional(),
  tier: z.string().max(24).optional(),
});
export type WalkIn = z.infer<typeof walkInSchema>;

const invalid = (field: string, zh: string) => new MinqingError(400, 'invalid', `${field}：${zh}`, `${field}: ${zh}`);

/**
 * Records the matter with `takenBy` as its 首问责任人 and `receivedAt` as given; from there the same
 * rules apply (deadline from the day received, owner card, 办结 → the owner records the villager's
 * answer in person).
 */
export async function recordWalkIn(deps: AppDeps, input: WalkIn, after: () => void): Promise<RequestRow> {
  const owner = deps.directory.person(input.takenBy);
  if (!owner?.active) throw invalid('takenBy', '不是组织架构中的在职人员');
  const village = input.village ? deps.directory.village(input.village) : undefined;
  if (input.village && !village?.active) throw invalid('village', '没有这个村');
  const at = parseInstant(input.receivedAt);
  if (!at) throw invalid('receivedAt', '不是有效的 ISO-8601 时间');
  if (at.getTime() > deps.clock.now().getTime() + 60_000) throw invalid('receivedAt', '不能晚于现在');
  return inTx(deps, deps.log, (tx) => walkIn(tx, { ...input, villageId: village?.id ?? null, receivedAt: at.getTime() }, owner), after);
}

/** Inside a transaction: the request, its 首问责任人 from the start, and the owner's card. */
export async function walkIn(
  tx: Tx,
  input: { text: string; channel: string; reporterName?: string | null; villageId: string | null; receivedAt: number; category?: number; tier?: string },
  owner: Person,
): Promise<RequestRow> {
  const req = await insertRequest(tx, {
    villager: null,
    reporterName: input.reporterName ?? null,
    villageId: input.villageId,
    text: input.text,
    channel: input.channel,
    replyTo: null,
    receivedAt: input.receivedAt,
    category: input.category ?? suggestCategory(input.text),
  });
  await tx.event(req.id, 'received', `person:${owner.id}`, input.channel, { text: input.text, recordedBy: owner.id, walkIn: true });
  if (!(await claimOwnership(tx, req, owner.id, input.tier))) throw new Error('a new walk-in request could not be claimed');
  await announceOwner(tx, req, owner, input.channel, { tellVillager: false });
  return req;
}
