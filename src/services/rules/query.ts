import { In } from 'typeorm';
import { RequestHandlerRow, RequestRow } from '../../db/entities';
import { T } from '../../domain/texts';
import { requestLine } from '../../domain/format';
import { OPEN_STATUSES } from '../requests';
import { Tx } from '../context';
import { CommandHandler, say } from './types';
import { recipientsOfRequests } from '../cards';
import { approversFor } from '../access';

const line = (tx: Tx, r: RequestRow) => requestLine(tx.dir, r);

/** 查询 / 查询 编号: a villager sees their own requests, never anyone else's. */
export const queryCommand: CommandHandler = {
  name: 'query',
  who: 'villager',
  async run(tx, s, cmd) {
    if (cmd.name !== 'query' || s.kind !== 'villager') return;
    const repo = tx.em.getRepository(RequestRow);
    if (cmd.code) {
      const r = await repo.findOneBy({ code: cmd.code, reporterVillagerId: s.villager.id });
      return say(tx, s, r ? `${line(tx, r)}${r.result ? `\n办理结果：${r.result}` : ''}` : T.noSuchRequest(cmd.code));
    }
    const open = await repo.find({ where: { reporterVillagerId: s.villager.id, status: In(OPEN_STATUSES) }, order: { id: 'DESC' }, take: 10 });
    const recent = open.length ? open : await repo.find({ where: { reporterVillagerId: s.villager.id }, order: { id: 'DESC' }, take: 3 });
    if (!recent.length) return say(tx, s, T.noRequests);
    const head = open.length ? `您有 ${open.length} 件事项在办：` : '您最近反映的事项：';
    await say(tx, s, [head, ...recent.map((r) => line(tx, r))].join('\n'));
  },
};

export const villagerHelp: CommandHandler = {
  name: 'help',
  who: 'villager',
  run: (tx, s) => say(tx, s, T.villagerHelp),
};

export const cadreHelp: CommandHandler = {
  name: 'help',
  who: 'person',
  run: (tx, s) => say(tx, s, T.cadreHelpFull),
};

/**
 * 待办: what a cadre owns or handles — overdue first, then refusals waiting for their approval, then
 * the rest by deadline — then what waits on others: the villager's rating (待评价), and new requests
 * whose card they got (待受理).
 */
export const worklistCommand: CommandHandler = {
  name: 'worklist',
  who: 'person',
  async run(tx, s) {
    if (s.kind !== 'person') return;
    const me = s.person.id;
    const handled = (await tx.em.getRepository(RequestHandlerRow).findBy({ personId: me })).map((h) => h.requestId);
    const repo = tx.em.getRepository(RequestRow);
    const mine = await repo.find({
      where: [
        { ownerId: me, status: In(['accepted', 'rejection_pending', 'resolved']) },
        ...(handled.length ? [{ id: In(handled), status: In(['accepted', 'rejection_pending']) }] : []),
      ],
    });
    const pending = await repo.find({ where: { status: 'pending' }, order: { receivedAt: 'ASC' }, take: 200 });
    const waiting = pending.length ? await recipientsOfRequests(tx, pending.map((r) => r.id), me) : new Set<number>();
    const refusals = await repo.find({ where: { status: 'rejection_pending' }, order: { id: 'ASC' }, take: 200 });
    const toApprove = refusals.filter((r) => approversFor(tx, r, r.refusal?.by ?? '').some((p) => p.id === me));
    const now = tx.now;
    const byDeadline = (a: RequestRow, b: RequestRow) => (a.deadline ?? Infinity) - (b.deadline ?? Infinity);
    const all = [...new Map(mine.map((r) => [r.id, r])).values()].sort(byDeadline);
    const open = all.filter((r) => r.status !== 'resolved');
    const overdue = open.filter((r) => r.deadline !== null && r.deadline < now);
    const lines = [
      ...overdue.map((r) => `⚠️超期 ${line(tx, r)}`),
      ...toApprove.map((r) => `待审批 ${line(tx, r)}`),
      ...open.filter((r) => !overdue.includes(r)).map((r) => line(tx, r)),
      ...all.filter((r) => r.status === 'resolved').map((r) => `待评价 ${line(tx, r)}`),
      ...pending.filter((r) => waiting.has(r.id)).map((r) => `待受理 ${line(tx, r)}`),
    ];
    if (!lines.length) return say(tx, s, T.noWork);
    await say(tx, s, [`您有 ${lines.length} 件待办：`, ...lines].slice(0, 21).join('\n'));
  },
};

export const usageCommand: CommandHandler = {
  name: 'bad',
  who: 'person',
  run: (tx, s, cmd) => (cmd.name === 'bad' ? say(tx, s, T.usage(cmd.usage)) : Promise.resolve()),
};
