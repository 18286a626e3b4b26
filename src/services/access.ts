import { In } from 'typeorm';
import { CardRecipientRow, CardRow, RequestHandlerRow, RequestRow } from '../db/entities';
import type { Person } from '../domain/directory';
import { Action, Actor, refusal } from '../domain/lifecycle';
import { T } from '../domain/texts';
import { Tx } from './context';
import type { Sender } from './identity';

/** The leaders who answer for a request: its village's secretary and the township leaders. */
export function responsibleLeaders(tx: Tx, req: RequestRow): Person[] {
  const list: Person[] = [];
  const sec = tx.dir.person(tx.dir.village(req.villageId)?.secretaryId);
  if (sec?.active) list.push(sec);
  list.push(...tx.dir.withRole('leader'));
  return [...new Map(list.map((p) => [p.id, p])).values()];
}

/**
 * Who approves a refusal (否定报备): the village secretary for a village-level request, a township
 * leader above that — never the person who filed it.
 */
export function approversFor(tx: Tx, req: RequestRow, filedBy: string): Person[] {
  const sec = tx.dir.person(tx.dir.village(req.villageId)?.secretaryId);
  if (req.level === 'village' && sec?.active && sec.id !== filedBy) return [sec];
  return tx.dir.withRole('leader').filter((p) => p.id !== filedBy);
}

async function isRecipient(tx: Tx, requestId: number, personId: string): Promise<boolean> {
  const cards = await tx.em.getRepository(CardRow).findBy({ requestId });
  if (!cards.length) return false;
  return (await tx.em.getRepository(CardRecipientRow).countBy({ cardId: In(cards.map((c) => c.id)), personId })) > 0;
}

export async function actorFor(tx: Tx, req: RequestRow, sender: Sender): Promise<Actor> {
  if (sender.kind === 'villager') return { kind: 'villager', id: sender.villager.id };
  const id = sender.person.id;
  return {
    kind: 'person',
    id,
    isOwner: req.ownerId === id,
    isHandler: (await tx.em.getRepository(RequestHandlerRow).countBy({ requestId: req.id, personId: id })) > 0,
    isRecipient: await isRecipient(tx, req.id, id),
    isResponsibleLeader: responsibleLeaders(tx, req).some((p) => p.id === id),
    isApprover: req.status === 'rejection_pending' && approversFor(tx, req, req.refusal?.by ?? '').some((p) => p.id === id),
  };
}

/**
 * Checks the rules for `action`; when refused, tells the sender why (short Chinese) and returns false.
 * Nothing else changes.
 */
export async function allowed(tx: Tx, action: Action, req: RequestRow, sender: Sender): Promise<boolean> {
  const actor = await actorFor(tx, req, sender);
  const why = refusal(action, { ...req, refusalBy: req.refusal?.by ?? null }, actor);
  if (!why) return true;
  tx.log.info({ action, requestId: req.id, actor: actor.kind === 'person' ? actor.id : `villager:${actor.id}`, status: req.status }, 'action refused');
  await tx.send(sender.address, { kind: 'text', text: why }, { requestId: req.id });
  return false;
}

/** A request by its code, or null. */
export async function byCode(tx: Tx, code: string): Promise<RequestRow | null> {
  return tx.em.getRepository(RequestRow).findOneBy({ code });
}


/**
 * The request as last committed — on MySQL a locking read, which sees past this transaction's
 * snapshot (what a plain read would still show after a concurrent writer won).
 */
export async function latest(tx: Tx, req: RequestRow): Promise<RequestRow> {
  const repo = tx.em.getRepository(RequestRow);
  if (tx.deps.db.dialect === 'mysql') return repo.findOneOrFail({ where: { id: req.id }, lock: { mode: 'pessimistic_write' } });
  return repo.findOneByOrFail({ id: req.id });
}

/**
 * A conditional update found the request moved on (someone else's 办结, 同意, 上报… came first):
 * tells the sender why `action` no longer applies, as the rules now see it. Nothing changes.
 */
export async function sayOvertaken(tx: Tx, action: Action, req: RequestRow, sender: Sender): Promise<void> {
  const fresh = await latest(tx, req);
  const why = refusal(action, { ...fresh, refusalBy: fresh.refusal?.by ?? null }, await actorFor(tx, fresh, sender));
  tx.log.info({ action, requestId: req.id, status: fresh.status }, 'action overtaken by a concurrent change');
  await tx.send(sender.address, { kind: 'text', text: why ?? T.overtaken(fresh.code) }, { requestId: req.id });
}

/** The request with `code`, or null after telling the sender there is none. */
export async function requestOrSay(tx: Tx, s: Sender, code: string): Promise<RequestRow | null> {
  const req = await byCode(tx, code);
  if (!req) await tx.send(s.address, { kind: 'text', text: T.noSuchRequest(code) });
  return req;
}
