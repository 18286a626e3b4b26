import type { CardRow, RequestRow } from '../../db/entities';
import type { InboundCardAction } from '../../platform/types';
import type { Person } from '../../domain/directory';
import type { Tx } from '../context';

/** Everything a card action needs: who tapped, on which card, about which request. */
export interface ActionContext {
  tx: Tx;
  person: Person;
  card: CardRow;
  request: RequestRow;
  event: InboundCardAction;
}

/** One card button's behaviour. Registered by its key in `actions/index.ts`. */
export interface CardAction {
  key: string;
  /** Card kinds this button may appear on. */
  on: string[];
  run(ctx: ActionContext): Promise<void>;
}
