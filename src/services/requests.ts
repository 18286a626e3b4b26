import { In } from 'typeorm';
import type { RequestView } from '../../cards/content';
import { affected, isUniqueViolation } from '../db/data-source';
import { DayCounterRow, RequestHandlerRow, RequestRow, VillagerRow } from '../db/entities';
import { computeDeadline, resolveTierChoice } from '../domain/deadline';
import { STATUS_LABELS } from '../domain/texts';
import { shanghaiDay, shortZh } from '../domain/time';
import type { Address } from '../platform/types';
import { Tx } from './context';

export const OPEN_STATUSES = ['pending', 'accepted', 'rejection_pending', 'resolved'];

/** The next request code of a Shanghai day: `20261124-007`. Safe under concurrent writers. */
export async function nextCode(tx: Tx, at: Date): Promise<string> {
  const day = shanghaiDay(at).replace(/-/g, '');
  const repo = tx.em.getRepository(DayCounterRow);
  const bump = () =>
    tx.em.createQueryBuilder().update(DayCounterRow).set({ n: () => 'n + 1' }).where('day = :day', { day }).execute();
  if (affected(await bump()) === 0) {
    try {
      await repo.insert({ day, n: 1 });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      await bump();
    }
  }
  const row = await repo.findOneByOrFail({ day });
  return `${day}-${String(row.n).padStart(3, '0')}`;
}

export interface NewRequest {
  villager: VillagerRow | null;
  reporterName?: string | null;
  villageId: string | null;
  text: string;
  channel: string;
  replyTo: Address | null;
  receivedAt: number;
  category?: number | null;
  /** 补录: taken at the window by this person, who owns it from the start. */
  takenBy?: string | null;
}

export async function insertRequest(tx: Tx, n: NewRequest): Promise<RequestRow> {
  const repo = tx.em.getRepository(RequestRow);
  const code = await nextCode(tx, new Date(n.receivedAt));
  const row = repo.create({
    code,
    status: 'pending',
    villageId: n.villageId,
    category: n.category ?? null,
    tier: 'general',
    level: n.villageId ? 'village' : 'township',
    text: n.text,
    reporterVillagerId: n.villager?.id ?? null,
    reporterName: n.reporterName ?? n.villager?.name ?? null,
    channel: n.channel,
    replyTo: n.replyTo,
    ownerId: null,
    receivedAt: n.receivedAt,
    acceptedAt: null,
    deadline: null,
    resolvedAt: null,
    closedAt: null,
    satisfaction: null,
    lastMessageAt: n.receivedAt,
    version: 1,
  });
  return repo.save(row);
}

/** The villager's most recent request that is not closed or rejected. */
export async function latestOpenRequest(tx: Tx, villagerId: number): Promise<RequestRow | null> {
  return tx.em.getRepository(RequestRow).findOne({
    where: { reporterVillagerId: villagerId, status: In(OPEN_STATUSES) },
    order: { id: 'DESC' },
  });
}

/**
 * 首问: make `personId` the owner if nobody is yet — one conditional UPDATE, so under concurrent
 * taps exactly one wins. Returns false when someone (or something) was first.
 */
export async function claimOwnership(tx: Tx, req: RequestRow, personId: string, tierChoice?: string): Promise<boolean> {
  const { tier, promised } = resolveTierChoice(tx.deps.calendar, tierChoice, new Date(req.receivedAt));
  const deadline = computeDeadline(tx.deps.calendar, tier, new Date(req.receivedAt), promised).getTime();
  const ok = await transition(tx, req, ['pending'], { status: 'accepted', ownerId: personId, acceptedAt: tx.now, deadline, tier }, 'owner_id IS NULL');
  return ok;
}

/**
 * Moves a request on only if it is still in one of `from` — a conditional UPDATE, so of two
 * concurrent taps (two 同意, two 办结) exactly one takes effect. Updates `req` in place on success.
 */
export async function transition(tx: Tx, req: RequestRow, from: string[], patch: Partial<RequestRow>, extraWhere?: string): Promise<boolean> {
  const r = await tx.em
    .createQueryBuilder()
    .update(RequestRow)
    .set({ ...(patch as object), version: () => 'version + 1' } as never)
    .where(`id = :id AND status IN (:...from)${extraWhere ? ` AND ${extraWhere}` : ''}`, { id: req.id, from })
    .execute();
  if (affected(r) !== 1) return false;
  Object.assign(req, patch, { version: req.version + 1 });
  return true;
}

export async function handlerIds(tx: Tx, requestId: number): Promise<string[]> {
  const rows = await tx.em.getRepository(RequestHandlerRow).find({ where: { requestId }, order: { id: 'ASC' } });
  return rows.map((r) => r.personId);
}

/** Adds a 承办人; false if they already are one. */
export async function addHandler(tx: Tx, requestId: number, personId: string, addedBy: string): Promise<boolean> {
  try {
    await tx.em.getRepository(RequestHandlerRow).insert({ requestId, personId, addedBy, addedAt: tx.now });
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

/** What cards and messages say about a request. */
export function viewOf(tx: Tx, r: RequestRow): RequestView {
  return {
    id: r.id,
    code: r.code,
    villageName: tx.dir.village(r.villageId)?.name ?? null,
    reporterName: r.reporterName,
    text: r.text,
    receivedAt: shortZh(new Date(r.receivedAt)),
    deadline: r.deadline ? shortZh(new Date(r.deadline)) : null,
    ownerName: tx.dir.person(r.ownerId)?.name ?? null,
    statusLabel: STATUS_LABELS[r.status] ?? r.status,
  };
}

export function deadlineText(ms: number): string {
  return shortZh(new Date(ms));
}
