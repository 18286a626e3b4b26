import crypto from 'node:crypto';
import { type CardContent, refreshCard } from '../../../cards/content';
import type { CardRow } from '../../db/entities';
import type { Person } from '../../domain/directory';
import type { Address, PlatformName } from '../../platform/types';
import type { Tx } from '../tx';
import { viewOf } from './view';

export type CardKind = 'new_request' | 'forward' | 'owner' | 'handler' | 'approval' | 'feedback' | 'phone' | 'supervision' | 'handover' | 'deadline';

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
    const card = await tx.cards.create({
      requestId, platform, kind, taskId: newTaskId(requestId, kind), content, at: tx.now,
      recipients: list.map((t) => ({ personId: t.id, userId: t.address.userId, channel: t.address.channel })),
    });
    await tx.send(list.map((t) => t.address), { kind: 'card', cardId: card.id, taskId: card.taskId, card: content }, { requestId });
    cards.push(card);
  }
  return cards;
}

/**
 * Closes the request's open cards of `kind` (those `which` picks, when given) and updates every
 * recipient's copy: the buttons give way to `note` (e.g. 已由李四受理), and the card shows the request
 * as it is now (状态, 办结时限, 首问责任人 — `refreshCard`), not as it was when the card was sent.
 */
export async function closeCards(
  tx: Tx,
  requestId: number,
  kind: CardKind,
  note: string,
  render: (c: CardContent) => CardContent,
  which?: (card: CardRow, content: CardContent) => boolean,
): Promise<void> {
  const cards = await tx.cards.openOf(requestId, kind);
  const req = cards.length ? await tx.requests.byId(requestId) : null;
  for (const card of cards) {
    if (which && !which(card, card.content as CardContent)) continue;
    const sent = card.content as CardContent;
    const content = render(req ? refreshCard(sent, viewOf(tx, req)) : sent);
    await tx.cards.close(card.id, content, tx.now);
    const recipients = await tx.cards.recipients(card.id);
    const platform = card.platform as PlatformName;
    await tx.send(
      recipients.map((r) => ({ platform, channel: r.channel as Address['channel'], userId: r.platformUserId })),
      { kind: 'card_update', cardId: card.id, taskId: card.taskId, card: content, replaceName: note },
      { requestId },
    );
  }
}
