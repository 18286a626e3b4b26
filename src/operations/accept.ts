import type { PersonActor } from './context';
import { RequestOp, sayOvertaken } from './run';
import { announceOwner, claimOwnership } from './shared/ownership';

export interface AcceptInput {
  /** The 办结时限 chosen on the card (general, township, beyond:5 …). */
  tier?: string;
}

/** 受理 (docs/rules.md#1): the first tap wins and makes the tapper the 首问责任人 for the request's whole life. */
export const accept: RequestOp<AcceptInput, PersonActor> = {
  name: 'accept',
  async run(ctx, req, { tier }) {
    if (!(await claimOwnership(ctx.tx, req, ctx.actor.person.id, tier))) return sayOvertaken(ctx, 'accept', req);
    await announceOwner(ctx.tx, req, ctx.actor.person, ctx.via);
  },
};
