import { closedCard, supervisionCard } from '../../../cards/content';
import { RequestRow, SupervisionRow } from '../../db/entities';
import { END_OF_DAY } from '../../domain/deadline';
import { atShanghai } from '../../domain/time';
import { requestOrSay } from '../access';
import { closeCards, sendCard } from '../cards';
import { Tx } from '../context';
import { expectReply } from '../pending';
import { deadlineText, viewOf } from '../requests';
import { promisedDay } from './escalate';
import { CardAction, CommandHandler, PersonSender, ReplyHandler, say } from './types';

/**
 * 督办单 (DOMAIN rule 7): from the joint meeting a leader names a responsible person, a deadline and
 * a note; that person gets a card, deadline-watch chases it, and it appears in the ledger.
 */
export const superviseCommand: CommandHandler = {
  name: 'supervise',
  who: 'person',
  async run(tx, s, cmd) {
    if (cmd.name !== 'supervise' || s.kind !== 'person') return;
    if (!s.person.roles.includes('leader')) return say(tx, s, '督办单由镇领导下达。');
    const req = await requestOrSay(tx, s, cmd.code);
    if (!req) return;
    const person = tx.dir.person(cmd.to) ?? tx.dir.activePeople().find((p) => p.name === cmd.to);
    if (!person?.active) return say(tx, s, `没有找到负责人“${cmd.to}”。`, req.id);
    const day = await promisedDay(tx, s, cmd.date, req.id);
    if (!day) return;
    const deadline = atShanghai(day, END_OF_DAY[0], END_OF_DAY[1]).getTime();
    const note = cmd.note || `请督促落实事项 ${req.code}`;
    const repo = tx.em.getRepository(SupervisionRow);
    const sup = await repo.save(repo.create({ requestId: req.id, personId: person.id, issuedBy: s.person.id, note, deadline, status: 'open', result: null, createdAt: tx.now, doneAt: null }));
    await tx.event(req.id, 'supervision_issued', `person:${s.person.id}`, s.address.platform, { supervision: sup.id, to: person.id, deadline, note });
    const content = supervisionCard(viewOf(tx, req), { id: sup.id, issuer: s.person.name, deadline: deadlineText(deadline), note });
    await sendCard(tx, req.id, 'supervision', content, [person]);
    await say(tx, s, `督办单 #${sup.id} 已下达给${person.name}，时限 ${deadlineText(deadline)}。`, req.id);
  },
};

async function openSupervision(tx: Tx, s: PersonSender, req: RequestRow): Promise<SupervisionRow | null> {
  return tx.em.getRepository(SupervisionRow).findOne({ where: { requestId: req.id, personId: s.person.id, status: 'open' }, order: { id: 'DESC' } });
}

export const fulfilAction: CardAction = {
  key: 'fulfil',
  on: ['supervision'],
  async run({ tx, sender, request }) {
    if (sender.kind !== 'person') return say(tx, sender, '抱歉，您无法操作这张督办单。');
    const sup = await openSupervision(tx, sender, request);
    if (!sup) return say(tx, sender, '这张督办单已经落实，或不是下达给您的。', request.id);
    await expectReply(tx, `person:${sender.person.id}`, 'supervision_result', request.id, { supervision: sup.id });
    await say(tx, sender, `请回复督办单 #${sup.id} 的落实情况（30分钟内有效）。`, request.id);
  },
};

/** Records a 督办单 as carried out and tells the leader who issued it. */
async function fulfil(tx: Tx, s: PersonSender, req: RequestRow, supervisionId: number | null, text: string): Promise<void> {
  const repo = tx.em.getRepository(SupervisionRow);
  const sup = supervisionId ? await repo.findOneBy({ id: supervisionId, personId: s.person.id, status: 'open' }) : await openSupervision(tx, s, req);
  if (!sup) return say(tx, s, '这张督办单已经落实，或不是下达给您的。', req.id);
  await repo.update({ id: sup.id, status: 'open' }, { status: 'done', result: text, doneAt: tx.now });
  await tx.event(req.id, 'supervision_done', `person:${s.person.id}`, s.address.platform, { supervision: sup.id, result: text });
  await closeCards(tx, req.id, 'supervision', '已落实', (c) => closedCard(c, '已落实'));
  const issuer = tx.dir.person(sup.issuedBy);
  if (issuer) await tx.tell(issuer, `${s.person.name}已落实督办单 #${sup.id}：${text}`, req.id);
  await say(tx, s, `督办单 #${sup.id} 已记为落实，已告知${issuer?.name ?? '督办领导'}。`, req.id);
}

export const supervisionReply: ReplyHandler = {
  kind: 'supervision_result',
  async run(tx, sender, req, text, data) {
    if (sender.kind === 'person') await fulfil(tx, sender, req, Number(data.supervision) || null, text);
  },
};

/** 落实 编号 情况: the text form of 已落实 (for platforms without cards). */
export const fulfilCommand: CommandHandler = {
  name: 'fulfil',
  who: 'person',
  async run(tx, sender, cmd) {
    if (cmd.name !== 'fulfil' || sender.kind !== 'person') return;
    const req = await requestOrSay(tx, sender, cmd.code);
    if (req) await fulfil(tx, sender, req, null, cmd.text);
  },
};
