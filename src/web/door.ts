import type { RequestRow } from '../db/entities';
import type { RequestState, Standing } from '../domain/rights';
import { refusal } from '../domain/rights';
import { TP_ASKS } from '../domain/texts';
import type { Actor, OpContext } from '../operations/context';
import { standingOf, stateOf } from '../operations/context';
import type { PlainOp } from '../operations/run';
import { perform, performPlain } from '../operations/run';
import { reason } from '../operations/supplement';
import type { Logger } from '../log';
import type { AppDeps } from '../operations/tx';
import { inTx, Tx } from '../operations/tx';
import type { PageAction } from './actions';
import type { WebDeps } from './deps';
import { now } from './deps';
import type { Viewer } from './viewer';

/** The actor a viewer acts as: a page has no chat address (its answers are shown on the page). */
export function actorOf(v: Viewer): Extract<Actor, { kind: 'person' | 'villager' }> {
  return v.kind === 'person' ? { kind: 'person', person: v.person, address: null } : { kind: 'villager', villager: v.villager, address: null };
}

/** A transaction-less view of the repositories, for what a page reads. */
export function readTx(w: WebDeps): Tx {
  return new Tx(w.app.db.read, w.app, now(w), w.log);
}

/** How the viewer stands to the request, and what the rules see of it. */
export async function standing(w: WebDeps, req: RequestRow, v: Viewer): Promise<{ state: RequestState; standing: Standing }> {
  return { state: stateOf(req), standing: await standingOf(readTx(w), req, actorOf(v)) };
}

/** The actions of `list` the rights matrix lets this viewer take on the request now. */
export function allowed(list: PageAction[], state: RequestState, s: Standing): PageAction[] {
  return list.filter((a) => refusal(a.name, state, s) === null && (!a.only || a.only.includes(state.status)));
}

/**
 * The page door (docs/interface.md#pages): a POST runs the same operation a card tap or a text command
 * runs, through `perform` (the same rights), in one transaction. What the operation says to the actor
 * is collected for the page, and a question it would ask in chat is shown on the page instead —
 * nothing is sent to the actor's chat for it. The people and villagers it tells hear as usual.
 */
export async function pageDoor(w: WebDeps, viewer: Viewer, requestId: number, action: PageAction, input: Record<string, unknown>): Promise<{ done: boolean; notes: string[] }> {
  return inTx(w.app, w.log, async (tx) => {
    const notes: string[] = [];
    const ctx: OpContext = {
      tx,
      actor: actorOf(viewer),
      via: 'h5',
      say: (text) => {
        notes.push(text);
        return Promise.resolve();
      },
      asks: (kind, _id, question) => {
        const onPage = kind in TP_ASKS ? TP_ASKS[kind] : question;
        if (onPage) notes.push(onPage);
        return Promise.resolve();
      },
    };
    const req = await tx.requests.byId(requestId);
    if (!req) return { done: false, notes };
    const done = await perform(ctx, action.op, { ...input, request: req });
    // 不满意 with a reason given on the page: the reason goes to the owner as the chat answer would.
    if (done && action.name === 'rate' && input.satisfied === false && typeof input.reason === 'string' && viewer.kind === 'villager') {
      await perform(ctx, reason, { text: input.reason, request: (await tx.requests.byId(requestId)) ?? undefined });
    }
    w.log.info({ action: action.name, requestId, done, viewer: viewer.kind === 'person' ? viewer.person.id : `villager:${viewer.villager.id}` }, 'page action');
    return { done, notes };
  });
}

/**
 * The page door for a request-less operation (审阅 a diary …): the same `performPlain` a text command
 * runs, in one transaction; what the operation says to the actor is collected for the page.
 */
export async function plainPageDoor<I>(app: AppDeps, log: Logger, viewer: Viewer, op: PlainOp<I>, input: I): Promise<{ done: boolean; notes: string[] }> {
  return inTx(app, log, async (tx) => {
    const notes: string[] = [];
    const ctx: OpContext = {
      tx,
      actor: actorOf(viewer),
      via: 'h5',
      say: (text) => {
        notes.push(text);
        return Promise.resolve();
      },
    };
    const done = await performPlain(ctx, op, input);
    log.info({ action: op.name, done, viewer: viewer.kind === 'person' ? viewer.person.id : `villager:${viewer.villager.id}` }, 'page action');
    return { done, notes };
  });
}
