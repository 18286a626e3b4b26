import crypto from 'node:crypto';
import { In } from 'typeorm';
import type { CardContent } from '../../cards/content';
import { CardRecipientRow, CardRow } from '../db/entities';
import type { Address, PlatformName } from '../platform/types';
import { Tx } from './context';
import { Person } from '../domain/directory';

export type CardKind = 'new_request' | 'owner' | 'handler' | 'approval' | 'feedback';

/** A platform-safe unique task id (WeCom: ≤128 bytes of [A-Za-z0-9_-@]). */
function newTaskId(requestId: number, kind: CardKind): string {
  return `mq${requestId}_${kind}_${crypto.randomBytes(6).toString('hex')}`;
}

/**
 * Sends one card to several people: one card row per platform (each with its own task id, so a
 * tap on any platform finds its way back), a recipient row per person, and one outbound message
 * per platform.
 */
export async function sendCard(tx: Tx, requestId: number, kind: CardKind, content: CardContent, people: Person[]): Promise<CardRow[]> {
  const byPlatform = new Map<PlatformName, { person: Person; address: Address }[]>();
  for (const person of people) {
    const address = tx.dir.addressOf(person);
    if (!address) {
      tx.log.warn({ personId: person.id, requestId }, 'card recipient has no id on any enabled platform; skipped');
      continue;
    }
    const list = byPlatform.get(address.platform) ?? [];
    if (!list.some((x) => x.person.id === person.id)) list.push({ person, address });
    byPlatform.set(address.platform, list);
  }
  const cards: CardRow[] = [];
  for (const [platform, list] of byPlatform) {
    const card = await tx.em.getRepository(CardRow).save(
      tx.em.getRepository(CardRow).create({
        requestId,
        platform,
        kind,
        taskId: newTaskId(requestId, kind),
        responseCode: null,
        state: 'open',
        content,
        createdAt: tx.now,
        updatedAt: tx.now,
      }),
    );
    await tx.em
      .getRepository(CardRecipientRow)
      .insert(list.map(({ person, address }) => ({ cardId: card.id, personId: person.id, platformUserId: address.userId })));
    await tx.send(
      list.map((x) => x.address),
      { kind: 'card', cardId: card.id, taskId: card.taskId, card: content },
      { requestId },
    );
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

/** Everyone who got any of the request's cards of `kind`. */
export async function recipientsOfKind(tx: Tx, requestId: number, kind: CardKind): Promise<string[]> {
  const cards = await tx.em.getRepository(CardRow).findBy({ requestId, kind });
  if (!cards.length) return [];
  const rows = await tx.em.getRepository(CardRecipientRow).findBy({ cardId: In(cards.map((c) => c.id)) });
  return [...new Set(rows.map((r) => r.personId))];
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
