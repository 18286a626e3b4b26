import { EntityManager, In } from 'typeorm';
import { CardRecipientRow, CardRow } from '../entities';

export interface NewCard {
  requestId: number;
  platform: string;
  kind: string;
  taskId: string;
  content: unknown;
  at: number;
  recipients: { personId: string; userId: string; channel: string }[];
}

/** Cards we sent about requests: platform task id ↔ request ↔ recipients. */
export class CardRepo {
  constructor(private readonly em: EntityManager) {}

  private get cards() {
    return this.em.getRepository(CardRow);
  }

  private get recipientRows() {
    return this.em.getRepository(CardRecipientRow);
  }

  async create(c: NewCard): Promise<CardRow> {
    const card = await this.cards.save(
      this.cards.create({ requestId: c.requestId, platform: c.platform, kind: c.kind, taskId: c.taskId, state: 'open', content: c.content, createdAt: c.at, updatedAt: c.at }),
    );
    await this.recipientRows.insert(c.recipients.map((r) => ({ cardId: card.id, personId: r.personId, platformUserId: r.userId, channel: r.channel })));
    return card;
  }

  byTaskId(taskId: string): Promise<CardRow | null> {
    return this.cards.findOneBy({ taskId });
  }

  /** Whether a card with this task id was ever issued (taps on anything else are not ours). */
  issued(taskId: string): Promise<boolean> {
    return this.cards.existsBy({ taskId });
  }

  openOf(requestId: number, kind: string): Promise<CardRow[]> {
    return this.cards.findBy({ requestId, kind, state: 'open' });
  }

  existsOpen(requestId: number, kind: string): Promise<boolean> {
    return this.cards.existsBy({ requestId, kind, state: 'open' });
  }

  /** A card's buttons no longer apply: it is closed and shows `content` from now on. */
  async close(cardId: number, content: unknown, at: number): Promise<void> {
    await this.cards.update({ id: cardId }, { state: 'closed', content: content as never, updatedAt: at });
  }

  recipients(cardId: number): Promise<CardRecipientRow[]> {
    return this.recipientRows.findBy({ cardId });
  }

  /** Whether the person got any card about this request. */
  async isRecipient(requestId: number, personId: string): Promise<boolean> {
    const cards = await this.cards.findBy({ requestId });
    if (!cards.length) return false;
    return (await this.recipientRows.countBy({ cardId: In(cards.map((c) => c.id)), personId })) > 0;
  }

  /** Of `requestIds`, those on which `personId` got a card. */
  async requestsWithRecipient(requestIds: number[], personId: string): Promise<Set<number>> {
    if (!requestIds.length) return new Set();
    const cards = await this.cards.findBy({ requestId: In(requestIds) });
    if (!cards.length) return new Set();
    const mine = await this.recipientRows.findBy({ cardId: In(cards.map((c) => c.id)), personId });
    const cardIds = new Set(mine.map((r) => r.cardId));
    return new Set(cards.filter((c) => cardIds.has(c.id)).map((c) => c.requestId));
  }

  /** Everyone who got a card of `kind` about the request. */
  async recipientIdsOf(requestId: number, kind: string): Promise<string[]> {
    const cards = await this.cards.findBy({ requestId, kind });
    if (!cards.length) return [];
    return (await this.recipientRows.findBy({ cardId: In(cards.map((c) => c.id)) })).map((r) => r.personId);
  }
}
