import type { CardContent } from '../../../cards/content';
import type { CardRow, RequestRow } from '../../db/entities';
import { T } from '../../domain/texts';
import { accept } from '../../operations/accept';
import { chatContext, type Actor, type OpContext } from '../../operations/context';
import { approve, deny } from '../../operations/decide';
import { approveDeadline, denyDeadline } from '../../operations/deadline-decide';
import { escalate } from '../../operations/escalate';
import { forward } from '../../operations/forward';
import { handover } from '../../operations/handover';
import { merge } from '../../operations/merge';
import { notify } from '../../operations/notify';
import { phoned } from '../../operations/phoned';
import { rate } from '../../operations/rate';
import { reject } from '../../operations/refusal';
import { resolve } from '../../operations/resolve';
import { perform, RequestOp } from '../../operations/run';
import type { CardKind } from '../../operations/shared/cards';
import { fulfil } from '../../operations/supervise';
import type { Tx } from '../../operations/tx';
import type { InboundCardAction } from '../../platform/types';

export type Outcome = { status: 'done' } | { status: 'ignored'; reason: string };

/** A card button: the card kinds it may be on, and the operation it runs with its input from the tap. */
interface Button {
  on: CardKind[];
  run(ctx: OpContext, request: RequestRow, ev: InboundCardAction): Promise<boolean>;
}

function button<I, A extends Actor>(on: CardKind[], op: RequestOp<I, A>, input: (ev: InboundCardAction) => I): Button {
  return { on, run: (ctx, request, ev) => perform(ctx, op, { ...input(ev), request }) };
}

const picked = (ev: InboundCardAction, key: string) => ev.selected?.[key]?.[0];
const none = () => ({});

/** Every card button the app understands, by key (cards/labels.ts). */
export const BUTTONS: Record<string, Button> = {
  accept: button(['new_request'], accept, (ev) => ({ tier: picked(ev, 'tier') })),
  forward: button(['new_request', 'forward', 'owner', 'handler'], forward, (ev) => ({ to: picked(ev, 'forward_to'), tier: picked(ev, 'tier') })),
  escalate: button(['owner', 'handler'], escalate, none),
  reject: button(['owner'], reject, none),
  approve: button(['approval'], approve, none),
  deny: button(['approval'], deny, none),
  resolve: button(['owner', 'handler'], resolve, none),
  satisfied: button(['feedback'], rate, () => ({ satisfied: true })),
  unsatisfied: button(['feedback'], rate, () => ({ satisfied: false })),
  notify: button(['owner'], notify, none),
  phoned: button(['phone'], phoned, () => ({})),
  fulfil: button(['supervision'], fulfil, none),
  handover: button(['handover'], handover, (ev) => ({ to: picked(ev, 'handover_to') })),
  // 疑似重复 on a new request: merge it into the request the card names (docs/interface.md#duplicates).
  merge_dup: { on: ['new_request'], run: (ctx, request) => perform(ctx, merge, { request, into: (ctx.card?.content as CardContent | undefined)?.duplicateOf ?? '' }) },
  approve_deadline: button(['deadline'], approveDeadline, none),
  deny_deadline: button(['deadline'], denyDeadline, none),
};

/**
 * A tap on a card. A card already answered (taken, decided, rated, superseded) acts on nothing: its
 * buttons were for a state that has passed; a late or repeated tap gets here and is told so.
 */
export async function cardDoor(tx: Tx, actor: Actor, ev: InboundCardAction): Promise<Outcome> {
  const ctx = chatContext(tx, actor, ev.platform);
  const card: CardRow | null = await tx.cards.byTaskId(ev.taskId);
  if (!card) {
    await ctx.say(T.unknownCard);
    return { status: 'ignored', reason: `unknown card ${ev.taskId}` };
  }
  if (card.state !== 'open') {
    await ctx.say(T.cardClosed((card.content as CardContent).closedNote ?? T.handled));
    return { status: 'ignored', reason: `card ${ev.taskId} is ${card.state}` };
  }
  const button = BUTTONS[ev.action];
  if (!button || !button.on.includes(card.kind as CardKind)) {
    await ctx.say(T.unknownAction);
    return { status: 'ignored', reason: `action ${ev.action} not valid on a ${card.kind} card` };
  }
  const request: RequestRow = (await tx.requests.byId(card.requestId))!;
  await button.run({ ...ctx, card }, request, ev);
  return { status: 'done' };
}
