import type { RequestRow } from '../db/entities';
import { requestLine } from '../domain/format';
import { approversFor } from '../domain/responsibility';
import { T } from '../domain/texts';
import type { PersonActor } from './context';
import type { PlainOp } from './run';

/**
 * 待办: what a cadre owns or handles — overdue first, then refusals waiting for their approval, then
 * the rest by deadline — then what waits on others: the villager's rating (待评价), and new requests
 * whose card they got (待受理).
 */
export const worklist: PlainOp<unknown, PersonActor> = {
  name: 'worklist',
  async run(ctx) {
    const { tx } = ctx;
    const me = ctx.actor.person.id;
    const line = (r: RequestRow) => requestLine(tx.dir, r);
    const mine = await tx.requests.mine(me, await tx.handlers.requestIdsOf(me));
    const pending = await tx.requests.withStatus('pending', { take: 200, order: 'receivedAt' });
    const waiting = await tx.cards.requestsWithRecipient(pending.map((r) => r.id), me);
    const refusals = await tx.requests.withStatus('rejection_pending', { take: 200, order: 'id' });
    const toApprove = refusals.filter((r) => approversFor(tx.dir, r, r.refusal?.by ?? '').some((p) => p.id === me));
    const byDeadline = (a: RequestRow, b: RequestRow) => (a.deadline ?? Infinity) - (b.deadline ?? Infinity);
    const all = [...new Map(mine.map((r) => [r.id, r])).values()].sort(byDeadline);
    const open = all.filter((r) => r.status !== 'resolved');
    const overdue = open.filter((r) => r.deadline !== null && r.deadline < tx.now);
    const lines = [
      ...overdue.map((r) => `${T.worklistOverdue}${line(r)}`),
      ...toApprove.map((r) => `${T.worklistToApprove}${line(r)}`),
      ...open.filter((r) => !overdue.includes(r)).map(line),
      ...all.filter((r) => r.status === 'resolved').map((r) => `${T.worklistToRate}${line(r)}`),
      ...pending.filter((r) => waiting.has(r.id)).map((r) => `${T.worklistToAccept}${line(r)}`),
    ];
    if (!lines.length) return ctx.say(T.noWork);
    await ctx.say([T.worklistHead(lines.length), ...lines].slice(0, 21).join('\n'));
  },
};
