import { handlerCard } from '../../../cards/content';
import { T } from '../../domain/texts';
import { sendCard } from '../cards';
import { addHandler, claimOwnership, viewOf } from '../requests';
import { announceOwner, explainTaken } from './accept';
import { ActionContext, CardAction } from './types';

/**
 * 转办: hand the request to someone else as 承办人. On a new request the first person asked who
 * hands it over still becomes — and stays — the 首问责任人.
 */
export const forward: CardAction = {
  key: 'forward',
  on: ['new_request', 'owner'],
  async run({ tx, person, request: req, event }: ActionContext) {
    const targetId = event.selected?.forward_to?.[0];
    const target = tx.dir.person(targetId);
    if (!target?.active) {
      await tx.tell(person, T.forwardNeedsTarget, req.id);
      return;
    }
    if (target.id === person.id) {
      await tx.tell(person, T.forwardSelf, req.id);
      return;
    }
    if (req.status === 'pending') {
      if ((await claimOwnership(tx, req, person.id)) === null) {
        await explainTaken(tx, person, req.id);
        return;
      }
      await announceOwner(tx, req, person, event.platform);
    } else if (req.ownerId !== person.id) {
      await tx.tell(person, T.notAllowed, req.id);
      return;
    }
    if (!(await addHandler(tx, req.id, target.id, person.id))) {
      await tx.tell(person, T.alreadyHandler(req.code, target.name), req.id);
      return;
    }
    await tx.event(req.id, 'forwarded', `person:${person.id}`, event.platform, { to: target.id });
    await sendCard(tx, req.id, 'handler', handlerCard(viewOf(tx, req), person.name), [target]);
    await tx.tell(person, T.forwardDone(req.code, target.name), req.id);
  },
};
