import { closedCard } from '../../../cards/content';
import { affected } from '../../db/data-source';
import { CardRow, DiaryEntryRow, OutboxRow, RequestRow } from '../../db/entities';
import { CATEGORIES } from '../../domain/category';
import { END_OF_DAY } from '../../domain/deadline';
import { T } from '../../domain/texts';
import { atShanghai } from '../../domain/time';
import { allowed, requestOrSay, sayOvertaken } from '../access';
import { closeCards } from '../cards';
import { Tx } from '../context';
import { tellReporter } from '../reporter';
import { deadlineText, latestOpenRequest, transition } from '../requests';
import { promisedDay } from './escalate';
import { CardAction, CommandHandler, say } from './types';
import type { Sender } from '../identity';
import { walkIn } from '../walk-in';

/** 进展: an entry of the 办理过程 (cause, how it was worked out, measures, who was responsible). */
export const progressCommand: CommandHandler = {
  name: 'progress',
  who: 'person',
  async run(tx, s, cmd) {
    if (cmd.name !== 'progress' || s.kind !== 'person') return;
    const req = await requestOrSay(tx, s, cmd.code);
    if (!req || !(await allowed(tx, 'progress', req, s))) return;
    await tx.em.getRepository(DiaryEntryRow).insert({ personId: s.person.id, requestId: req.id, kind: 'process', text: cmd.text, data: null, at: tx.now });
    await tx.event(req.id, 'progress', `person:${s.person.id}`, s.address.platform, { text: cmd.text });
    await say(tx, s, T.progressNoted(req.code), req.id);
    const owner = tx.dir.person(req.ownerId);
    if (owner && owner.id !== s.person.id) await tx.tell(owner, T.progressToOwner(req.code, s.person.name, cmd.text), req.id);
  },
};

/** 日记: a 民情日记 entry not tied to a message (DOMAIN asks ≥ 1 a week). */
export const diaryCommand: CommandHandler = {
  name: 'diary',
  who: 'person',
  async run(tx, s, cmd) {
    if (cmd.name !== 'diary' || s.kind !== 'person') return;
    await tx.em.getRepository(DiaryEntryRow).insert({ personId: s.person.id, requestId: null, kind: 'free', text: cmd.text, data: null, at: tx.now });
    await say(tx, s, T.diaryNoted);
  },
};

/** 分类: the cadre sets the category 1–8 (DOMAIN rule 6). */
export const categoryCommand: CommandHandler = {
  name: 'category',
  who: 'person',
  async run(tx, s, cmd) {
    if (cmd.name !== 'category' || s.kind !== 'person') return;
    const req = await requestOrSay(tx, s, cmd.code);
    if (!req || !(await allowed(tx, 'set_category', req, s))) return;
    await tx.em.getRepository(RequestRow).update({ id: req.id }, { category: cmd.category });
    await tx.event(req.id, 'categorized', `person:${s.person.id}`, s.address.platform, { category: cmd.category });
    await say(tx, s, T.categorySet(req.code, `${cmd.category} ${CATEGORIES[cmd.category]}`), req.id);
  },
};

/** 时限: the promised / agreed date (beyond / joint), or a corrected one; the villager is told. */
export const deadlineCommand: CommandHandler = {
  name: 'deadline',
  who: 'person',
  async run(tx, s, cmd) {
    if (cmd.name !== 'deadline' || s.kind !== 'person') return;
    const req = await requestOrSay(tx, s, cmd.code);
    if (!req || !(await allowed(tx, 'set_deadline', req, s))) return;
    const day = await promisedDay(tx, s, cmd.date, req.id);
    if (!day) return;
    const deadline = atShanghai(day, END_OF_DAY[0], END_OF_DAY[1]).getTime();
    if (!(await transition(tx, req, ['accepted'], { deadline }))) return sayOvertaken(tx, 'set_deadline', req, s);
    await tx.event(req.id, 'deadline_set', `person:${s.person.id}`, s.address.platform, { deadline });
    await say(tx, s, T.deadlineSet(req.code, deadlineText(deadline)), req.id);
    await tellReporter(tx, req, T.deadlineToVillager(req.code, deadlineText(deadline)));
  },
};

/** 合并: the same problem reported twice; the merged one follows the other and its reporter gets the result too. */
export const mergeCommand: CommandHandler = {
  name: 'merge',
  who: 'person',
  async run(tx, s, cmd) {
    if (cmd.name !== 'merge' || s.kind !== 'person') return;
    const req = await requestOrSay(tx, s, cmd.code);
    if (!req) return;
    if (cmd.code === cmd.into) return say(tx, s, T.mergeSelf, req.id);
    const into = await requestOrSay(tx, s, cmd.into);
    if (!into) return;
    if (!['pending', 'accepted'].includes(into.status) || into.mergedInto) return say(tx, s, T.mergeTargetClosed(cmd.into), req.id);
    if (!(await allowed(tx, 'merge', req, s))) return;
    const patch = { mergedInto: into.id, status: into.status, ownerId: into.ownerId ?? req.ownerId, deadline: into.deadline, acceptedAt: req.acceptedAt ?? into.acceptedAt };
    if (!(await transition(tx, req, ['pending', 'accepted'], patch))) return sayOvertaken(tx, 'merge', req, s);
    await tx.event(req.id, 'merged', `person:${s.person.id}`, s.address.platform, { into: into.code });
    await tx.event(into.id, 'merged_in', `person:${s.person.id}`, s.address.platform, { from: req.code });
    const note = `已并入${into.code}`;
    for (const kind of ['new_request', 'owner', 'handler', 'forward'] as const) await closeCards(tx, req.id, kind, note, (card) => closedCard(card, note));
    await say(tx, s, T.merged(req.code, into.code), req.id);
    await tellReporter(tx, req, T.mergedToVillager(req.code, into.code));
  },
};

/** 已电话告知: the owner phoned the villager about what chat could not deliver. */
async function phoned(tx: Tx, sender: Sender, req: RequestRow, via: string): Promise<void> {
  if (!(await allowed(tx, 'phoned', req, sender))) return;
  const r = await tx.em.createQueryBuilder().update(OutboxRow).set({ status: 'phoned' }).where("request_id = :id AND status = 'held'", { id: req.id }).execute();
  // Said twice (a DingTalk ActionCard sends the command again on every tap): recorded once.
  if (affected(r) === 0 && !(await tx.em.getRepository(CardRow).existsBy({ requestId: req.id, kind: 'phone', state: 'open' }))) {
    return say(tx, sender, T.nothingToPhone(req.code), req.id);
  }
  await tx.event(req.id, 'phoned', sender.kind === 'person' ? `person:${sender.person.id}` : 'system', via);
  await closeCards(tx, req.id, 'phone', '已电话告知', (c) => closedCard(c, '已电话告知'));
  await say(tx, sender, T.phonedDone(req.code), req.id);
}

export const phonedAction: CardAction = {
  key: 'phoned',
  on: ['phone'],
  run: ({ tx, sender, request, event }) => phoned(tx, sender, request, event.platform),
};

export const phonedCommand: CommandHandler = {
  name: 'phoned',
  who: 'person',
  async run(tx, sender, cmd) {
    if (cmd.name !== 'phoned') return;
    const req = await requestOrSay(tx, sender, cmd.code);
    if (req) await phoned(tx, sender, req, sender.address.platform);
  },
};

/** 补充: a villager adds to their latest open request; the owner hears of it. */
export const supplementCommand: CommandHandler = {
  name: 'supplement',
  who: 'villager',
  async run(tx, s, cmd) {
    if (cmd.name !== 'supplement' || s.kind !== 'villager') return;
    const req = await latestOpenRequest(tx, s.villager.id);
    if (!req) return say(tx, s, T.noOpenRequest);
    await tx.event(req.id, 'villager_message', `villager:${s.villager.id}`, s.address.platform, { text: cmd.text });
    await tx.em.getRepository(RequestRow).update({ id: req.id }, { lastMessageAt: tx.now });
    await say(tx, s, T.appended(req.code), req.id);
    const owner = tx.dir.person(req.ownerId);
    if (owner) await tx.tell(owner, `群众补充（${req.code}）：${cmd.text}`, req.id);
  },
};

/** 补录 反映人 内容: a matter taken in person (e.g. on the Tuesday desk), owned by the one who records it. */
export const walkInCommand: CommandHandler = {
  name: 'walk_in',
  who: 'person',
  async run(tx, s, cmd) {
    if (cmd.name !== 'walk_in' || s.kind !== 'person') return;
    const village = tx.dir.activeVillages().find((v) => v.residentIds.includes(s.person.id) || v.cadreIds.includes(s.person.id));
    const req = await walkIn(tx, { text: cmd.text, channel: 'visit', reporterName: cmd.reporter, villageId: village?.id ?? null, receivedAt: tx.now }, s.person);
    await say(tx, s, T.walkInRecorded(req.code, deadlineText(req.deadline!)), req.id);
  },
};

/** 走访 户名 情况: a household visit, in the diary (DOMAIN rule 11). */
export const visitCommand: CommandHandler = {
  name: 'visit',
  who: 'person',
  async run(tx, s, cmd) {
    if (cmd.name !== 'visit' || s.kind !== 'person') return;
    await tx.em.getRepository(DiaryEntryRow).insert({ personId: s.person.id, requestId: null, kind: 'visit', text: cmd.text, data: { household: cmd.household }, at: tx.now });
    await say(tx, s, `已记录走访：${cmd.household}。`);
  },
};
