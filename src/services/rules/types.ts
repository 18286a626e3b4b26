import type { CardRow, RequestRow } from '../../db/entities';
import type { Command } from '../../domain/commands';
import type { InboundCardAction } from '../../platform/types';
import type { CardKind } from '../cards';
import type { Tx } from '../context';
import type { Sender } from '../identity';
import type { PendingKind } from '../pending';

/** One card button's behaviour, registered by its key in `rules/index.ts`. */
export interface CardAction {
  key: string;
  /** Card kinds this button may appear on. */
  on: CardKind[];
  run(ctx: { tx: Tx; sender: Sender; card: CardRow; request: RequestRow; event: InboundCardAction }): Promise<void>;
}

/** One text command's behaviour. */
export interface CommandHandler {
  name: Command['name'];
  who: 'villager' | 'person';
  run(tx: Tx, sender: Sender, cmd: Command): Promise<void>;
}

/** What to do with the reply to a question we asked (e.g. the 办理结果 after 办结). */
export interface ReplyHandler {
  kind: PendingKind;
  run(tx: Tx, sender: Sender, request: RequestRow, text: string, data: Record<string, unknown>): Promise<void>;
}

export type PersonSender = Extract<Sender, { kind: 'person' }>;
export type VillagerSender = Extract<Sender, { kind: 'villager' }>;

export const say = (tx: Tx, s: Sender, text: string, requestId?: number) => tx.send(s.address, { kind: 'text', text }, { requestId });
