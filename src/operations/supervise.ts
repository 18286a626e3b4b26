import { closedCard, supervisionCard } from '../../cards/content';
import { END_OF_DAY } from '../domain/deadline';
import { T } from '../domain/texts';
import { atShanghai } from '../domain/time';
import type { PersonActor } from './context';
import { ask, RequestOp } from './run';
import { closeCards, sendCard } from './shared/cards';
import { promisedDay } from './shared/dates';
import { deadlineText, viewOf } from './shared/view';

export interface SuperviseInput {
  /** The responsible person: an id or a name. */
  to: string;
  date: string;
  note: string;
}

/**
 * 督办单 (docs/rules.md#7): from the joint meeting a leader names a responsible person, a deadline and
 * a note; that person gets a card, deadline-watch chases it, and it appears in the ledger.
 */
export const supervise: RequestOp<SuperviseInput, PersonActor> = {
  name: 'supervise',
  async run(ctx, req, input) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    const person = tx.dir.person(input.to) ?? tx.dir.activePeople().find((p) => p.name === input.to);
    if (!person?.active) return ctx.say(T.noSuchPerson(input.to), req.id);
    const day = await promisedDay(ctx, input.date, req.id);
    if (!day) return;
    const deadline = atShanghai(day, END_OF_DAY[0], END_OF_DAY[1]).getTime();
    const note = input.note || T.supervisionDefaultNote(req.code);
    const sup = await tx.supervisions.create({ requestId: req.id, personId: person.id, issuedBy: me.id, note, deadline, createdAt: tx.now });
    await tx.event(req.id, 'supervision_issued', `person:${me.id}`, ctx.via, { supervision: sup.id, to: person.id, deadline, note });
    await sendCard(tx, req.id, 'supervision', supervisionCard(viewOf(tx, req), { id: sup.id, issuer: me.name, deadline: deadlineText(deadline), note }), [person]);
    await ctx.say(T.supervisionIssued(sup.id, person.name, deadlineText(deadline)), req.id);
  },
};

export interface FulfilInput {
  /** 落实情况; asked for when absent. */
  text?: string;
  /** Which 督办单 (the one the question was about); else the person's newest open one on the request. */
  supervisionId?: number | null;
}

/** 已落实 / 落实 编号 情况: the 督办单 is recorded as carried out and the leader who issued it is told. */
export const fulfil: RequestOp<FulfilInput, PersonActor> = {
  name: 'fulfil',
  async run(ctx, req, input) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    const sup = await tx.supervisions.openFor(req.id, me.id, input.supervisionId);
    if (!sup) return ctx.say(T.supervisionNotYours, req.id);
    if (!input.text) return ask(ctx, 'supervision_result', req.id, T.askFulfilment(sup.id), { supervision: sup.id });
    await tx.supervisions.complete(sup.id, input.text, tx.now);
    await tx.event(req.id, 'supervision_done', `person:${me.id}`, ctx.via, { supervision: sup.id, result: input.text });
    // Only this 督办单's card: others on the same request (to other people) stay open.
    const mine = (c: { ref?: string; title: string }) => (c.ref ? c.ref === `supervision:${sup.id}` : c.title === `督办单 #${sup.id}`);
    await closeCards(tx, req.id, 'supervision', T.fulfilledNote, (c) => closedCard(c, T.fulfilledNote), (_card, c) => mine(c));
    const issuer = tx.dir.person(sup.issuedBy);
    if (issuer) await tx.tell(issuer, T.fulfilledToIssuer(me.name, sup.id, input.text), req.id);
    await ctx.say(T.fulfilledDone(sup.id, issuer?.name ?? T.supervisionIssuer), req.id);
  },
};
