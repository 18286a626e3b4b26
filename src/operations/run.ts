import type { RequestRow } from '../db/entities';
import { OpName, refusal, refusalForActor } from '../domain/rights';
import { T } from '../domain/texts';
import { Actor, OpContext, pendingKey, standingOf, stateOf } from './context';

/** How long a question we asked (the 办理结果 after 办结, …) waits for its answer. */
export const PENDING_TTL_MS = 30 * 60 * 1000;

/** An operation on one request: its name in the rights matrix, how it finds the request, what it does. */
export interface RequestOp<I, A extends Actor = Actor> {
  name: OpName;
  /** Finds the request its own way (e.g. a villager's own by code); default: by `code`. */
  find?: (ctx: OpContext<A>, input: I & Partial<Target>) => Promise<RequestRow | null>;
  /** What to say when there is none. */
  notFound?: (input: I & Partial<Target>) => string;
  run(ctx: OpContext<A>, req: RequestRow, input: I): Promise<void>;
}

/** An operation on no request in particular (日记, 走访, 补录, 待办, 查询 …). */
export interface PlainOp<I, A extends Actor = Actor> {
  name: OpName;
  run(ctx: OpContext<A>, input: I): Promise<void>;
}

/** Which request: by its code (typed), or already in hand (a card's, a question's). */
export type Target = { code?: string; request?: RequestRow; requestId?: number };

/** What the matrix needs to know before any request is looked up: the kind of actor, and a person's roles. */
function kindOf(a: Actor): Parameters<typeof refusalForActor>[1] {
  if (a.kind === 'person') return { kind: 'person', roles: a.person.roles };
  return a.kind === 'villager' ? { kind: 'villager', id: a.villager.id } : { kind: 'system' };
}

function refused(ctx: OpContext, op: OpName, why: string, requestId?: number): Promise<void> {
  const who = ctx.actor.kind === 'person' ? ctx.actor.person.id : ctx.actor.kind === 'villager' ? `villager:${ctx.actor.villager.id}` : 'system';
  ctx.tx.log.info({ action: op, requestId, actor: who }, 'action refused');
  return ctx.say(why, requestId);
}

/**
 * The one way an operation runs, whatever the door: the actor may ask for it at all; the request is
 * found; the rights matrix (src/domain/rights.ts) says yes — or the actor is told why not, and
 * nothing changes.
 */
export async function perform<I, A extends Actor>(ctx: OpContext, op: RequestOp<I, A>, input: I & Target): Promise<boolean> {
  const early = refusalForActor(op.name, kindOf(ctx.actor));
  if (early) {
    await refused(ctx, op.name, early, input.request?.id);
    return false;
  }
  // The matrix has just said this kind of actor may ask for `op`: the operation sees the actor it expects.
  const own = ctx as OpContext<A>;
  const req =
    input.request ??
    (input.requestId ? await ctx.tx.requests.byId(input.requestId) : op.find ? await op.find(own, input) : input.code ? await ctx.tx.requests.byCode(input.code) : null);
  if (!req) {
    await ctx.say(op.notFound?.(input) ?? T.noSuchRequest(input.code ?? ''));
    return false;
  }
  const why = refusal(op.name, stateOf(req), await standingOf(ctx.tx, req, ctx.actor, ctx.card), (id) => ctx.tx.dir.person(id)?.name);
  if (why) {
    await refused(ctx, op.name, why, req.id);
    return false;
  }
  await op.run(own, req, input);
  return true;
}

/** A request-less operation: only whether this actor may ask for it. */
export async function performPlain<I, A extends Actor>(ctx: OpContext, op: PlainOp<I, A>, input: I): Promise<boolean> {
  const early = refusalForActor(op.name, kindOf(ctx.actor));
  if (early) {
    await refused(ctx, op.name, early);
    return false;
  }
  await op.run(ctx as OpContext<A>, input);
  return true;
}

/**
 * What the rights matrix says of `op` by this actor on another request than the one the operation
 * runs on (合并's target: authority over both is needed). null when allowed.
 */
export async function refusalOn(ctx: OpContext, op: OpName, req: RequestRow): Promise<string | null> {
  return refusal(op, stateOf(req), await standingOf(ctx.tx, req, ctx.actor), (id) => ctx.tx.dir.person(id)?.name);
}

/**
 * A conditional update found the request moved on (someone else's 办结, 同意, 上报… came first):
 * tells the actor why `op` no longer applies, as the rules now see it. Nothing changes.
 */
export async function sayOvertaken(ctx: OpContext, op: OpName, req: RequestRow): Promise<void> {
  const fresh = await ctx.tx.requests.latest(req.id);
  const why = refusal(op, stateOf(fresh), await standingOf(ctx.tx, fresh, ctx.actor), (id) => ctx.tx.dir.person(id)?.name);
  ctx.tx.log.info({ action: op, requestId: req.id, status: fresh.status }, 'action overtaken by a concurrent change');
  await ctx.say(why ?? T.overtaken(fresh.code), req.id);
}

/**
 * Asks the actor for what only they can type; their next message is the answer (src/inbound/doors/text.ts
 * `replyRun`, or `plainReplyRun` for a question about no request: `requestId` null). On a page the
 * question is the page's (`ctx.asks`), so nothing waits in chat.
 */
export async function ask(ctx: OpContext, kind: string, requestId: number | null, question: string | null, data: Record<string, unknown> = {}): Promise<void> {
  if (ctx.asks && requestId !== null) return ctx.asks(kind, requestId, question);
  await ctx.tx.pending.expect(pendingKey(ctx.actor), kind, requestId, data, ctx.tx.now + PENDING_TTL_MS);
  if (question) await ctx.say(question, requestId ?? undefined);
}
