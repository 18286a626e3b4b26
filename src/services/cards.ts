import crypto from 'node:crypto';
import { In } from 'typeorm';
import type { CardContent } from '../../cards/content';
import { CardRecipientRow, CardRow } from '../db/entities';
import type { Address, PlatformName } from '../platform/types';
import { Tx } from './context';
import { Person } from '../domain/directory';

export type CardKind = 'new_request' | 'forward' | 'owner' | 'handler' | 'approval' | 'feedback' | 'phone' | 'supervision';

/** A card's recipient: a person id or `villager:<id>`, and where to reach them. */
export interface CardTarget {
  id: string;
  address: Address;
}

/** A platform-safe unique task id (WeCom: ≤128 bytes of [A-Za-z0-9_-@]). */
function newTaskId(requestId: number, kind: CardKind): string {
  return `mq${requestId}_${kind}_${crypto.randomBytes(6).toString('hex')}`;
}

/** Sends one card to several people of the directory (see `sendCardTo`). */
export async function sendCard(tx: Tx, requestId: number, kind: CardKind, content: CardContent, people: Person[]): Promise<CardRow[]> {
  const targets: CardTarget[] = [];
  for (const person of people) {
    const address = tx.dir.addressOf(person);
    if (address) targets.push({ id: person.id, address });
    else tx.log.warn({ personId: person.id, requestId }, 'card recipient has no id on any enabled platform; skipped');
  }
  return sendCardTo(tx, requestId, kind, content, targets);
}

/**
 * Sends one card to several recipients: one card row per platform (each with its own task id, so a
 * tap on any platform finds its way back), a recipient row each, and one outbound message per platform.
 */
export async function sendCardTo(tx: Tx, requestId: number, kind: CardKind, content: CardContent, targets: CardTarget[]): Promise<CardRow[]> {
  const byPlatform = new Map<PlatformName, CardTarget[]>();
  for (const t of targets) {
    const list = byPlatform.get(t.address.platform) ?? [];
    if (!list.some((x) => x.id === t.id)) list.push(t);
    byPlatform.set(t.address.platform, list);
  }
  const cards: CardRow[] = [];
  for (const [platform, list] of byPlatform) {
    const repo = tx.em.getRepository(CardRow);
    const card = await repo.save(
      repo.create({ requestId, platform, kind, taskId: newTaskId(requestId, kind), responseCode: null, state: 'open', content, createdAt: tx.now, updatedAt: tx.now }),
    );
    await tx.em.getRepository(CardRecipientRow).insert(list.map((t) => ({ cardId: card.id, personId: t.id, platformUserId: t.address.userId })));
    await tx.send(list.map((t) => t.address), { kind: 'card', cardId: card.id, taskId: card.taskId, card: content }, { requestId });
    cards.push(card);
  }
  return cards;
}

export async function cardByTaskId(tx: Tx, taskId: string): Promise<CardRow | null> {
  return tx.em.getRepository(CardRow).findOneBy({ taskId });
}

export async function cardRecipients(tx: Tx, cardId: number): Promise<CardRecipientRow[]> {
  return tx.em.getRepository(CardRecipientRow).findBy({ cardId });
}

/** Keep the newest platform code for updating a card (WeCom gives one with every tap). */
export async function noteResponseCode(tx: Tx, card: CardRow, code: string | undefined): Promise<void> {
  if (!code) return;
  card.responseCode = code;
  await tx.em.getRepository(CardRow).update({ id: card.id }, { responseCode: code });
}

/**
 * Closes the request's open cards of `kind` and updates every recipient's copy: the buttons give
 * way to `note` (e.g. 已由李四受理).
 */
export async function closeCards(tx: Tx, requestId: number, kind: CardKind, note: string, render: (c: CardContent) => CardContent): Promise<void> {
  const cards = await tx.em.getRepository(CardRow).findBy({ requestId, kind, state: 'open' });
  for (const card of cards) {
    const content = render(card.content as CardContent);
    await tx.em.getRepository(CardRow).update({ id: card.id }, { state: 'closed', content, updatedAt: tx.now });
    const recipients = await cardRecipients(tx, card.id);
    const platform = card.platform as PlatformName;
    await tx.send(
      recipients.map((r) => ({ platform, channel: platform === 'sandbox' ? 'sandbox' : 'app', userId: r.platformUserId })),
      { kind: 'card_update', cardId: card.id, taskId: card.taskId, card: content, replaceName: note },
      { requestId },
    );
  }
}

/** Of `requestIds`, those on which `personId` got a card. */
export async function recipientsOfRequests(tx: Tx, requestIds: number[], personId: string): Promise<Set<number>> {
  const cards = await tx.em.getRepository(CardRow).findBy({ requestId: In(requestIds) });
  if (!cards.length) return new Set();
  const mine = await tx.em.getRepository(CardRecipientRow).findBy({ cardId: In(cards.map((c) => c.id)), personId });
  const cardIds = new Set(mine.map((r) => r.cardId));
  return new Set(cards.filter((c) => cardIds.has(c.id)).map((c) => c.requestId));
}
