import { closedCard, forwardCard, handlerCard } from '../../../cards/content';
import { RequestRow } from '../../db/entities';
import type { Person } from '../../domain/directory';
import { T } from '../../domain/texts';
import { allowed, requestOrSay } from '../access';
import { closeCards, sendCard } from '../cards';
import { Tx } from '../context';
import { addHandler, viewOf } from '../requests';
import { takeOwnership, targetOptions } from './accept';
import { CardAction, CommandHandler, PersonSender, say } from './types';

/** Adds `target` as 承办人 with their own card; the owner stays accountable and hears of it. */
export async function forwardTo(tx: Tx, s: PersonSender, req: RequestRow, target: Person, via: string): Promise<void> {
  if (target.id === s.person.id) return say(tx, s, T.forwardSelf, req.id);
  if (!(await addHandler(tx, req.id, target.id, s.person.id))) return say(tx, s, T.alreadyHandler(req.code, target.name), req.id);
  await tx.event(req.id, 'forwarded', `person:${s.person.id}`, via, { to: target.id });
  await sendCard(tx, req.id, 'handler', handlerCard(viewOf(tx, req), `${s.person.name}转来的群众诉求`, targetOptions(tx, req, [target.id])), [target]);
  await tx.tell(target, T.forwardedToYou(req.code, s.person.name), req.id);
  await say(tx, s, T.forwardDone(req.code, target.name), req.id);
  const owner = tx.dir.person(req.ownerId);
  if (owner && owner.id !== s.person.id) await tx.tell(owner, T.forwardedNotice(req.code, s.person.name, target.name), req.id);
}

/**
 * 转办. On a new request, the one who hands it over is the first person asked — they become the
 * 首问责任人 — and then choose whom to hand it to (on a 转办 card, unless the tap already says).
 */
export const forwardAction: CardAction = {
  key: 'forward',
  on: ['new_request', 'forward', 'owner', 'handler'],
  async run({ tx, sender, request: req, card, event }) {
    if (sender.kind !== 'person') return say(tx, sender, T.notAllowed);
    const targetId = event.selected?.forward_to?.[0];
    if (card.kind === 'new_request') {
      if (!(await takeOwnership(tx, sender, req, event.selected?.tier?.[0], event.platform))) return;
      if (!targetId) {
        await sendCard(tx, req.id, 'forward', forwardCard(viewOf(tx, req), targetOptions(tx, req, [sender.person.id])), [sender.person]);
        return say(tx, sender, T.chooseForward(req.code), req.id);
      }
    }
    if (!(await allowed(tx, 'forward', req, sender))) return;
    const target = tx.dir.person(targetId);
    if (!target?.active) return say(tx, sender, T.forwardNeedsTarget, req.id);
    if (card.kind === 'forward') await closeCards(tx, req.id, 'forward', `已转${target.name}`, (c) => closedCard(c, `已转${target.name}`));
    await forwardTo(tx, sender, req, target, event.platform);
  },
};

/** 转办 编号 姓名 (or person id): the text form, for platforms without cards. */
export const forwardCommand: CommandHandler = {
  name: 'forward',
  who: 'person',
  async run(tx, sender, cmd) {
    if (cmd.name !== 'forward' || sender.kind !== 'person') return;
    const req = await requestOrSay(tx, sender, cmd.code);
    if (!req) return;
    const target = tx.dir.person(cmd.to) ?? tx.dir.activePeople().find((p) => p.name === cmd.to);
    if (!target?.active) return say(tx, sender, T.forwardNeedsTarget, req.id);
    if (req.status === 'pending' && !(await takeOwnership(tx, sender, req, undefined, sender.address.platform))) return;
    if (!(await allowed(tx, 'forward', req, sender))) return;
    await forwardTo(tx, sender, req, target, sender.address.platform);
  },
};
