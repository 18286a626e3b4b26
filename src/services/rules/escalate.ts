import { handlerCard } from '../../../cards/content';
import { RequestRow } from '../../db/entities';
import { computeDeadline, END_OF_DAY } from '../../domain/deadline';
import { Level, LEVEL_ZH, nextLevel } from '../../domain/lifecycle';
import { T } from '../../domain/texts';
import { atShanghai, parseDayZh, shanghaiDay } from '../../domain/time';
import { allowed, requestOrSay, sayOvertaken } from '../access';
import { sendCard } from '../cards';
import { Tx } from '../context';
import { expectReply } from '../pending';
import { tellReporter } from '../reporter';
import { addHandler, deadlineText, transition, viewOf } from '../requests';
import { targetOptions } from './accept';
import { CardAction, CommandHandler, PersonSender, ReplyHandler, say } from './types';

/**
 * 上报: village → township 民情处理站 → county 民情处理中心 (DOMAIN rule 9). The new level's people
 * become handlers with their own card; the owner does not change. A township decision gets 3
 * working days; beyond the township the cadre must promise a date.
 */
export async function escalate(tx: Tx, s: PersonSender, req: RequestRow, promisedDay: string | null, via: string): Promise<void> {
  if (!(await allowed(tx, 'escalate', req, s))) return;
  const from = req.level;
  const next = nextLevel(from);
  if (!next) return say(tx, s, T.topLevel(req.code), req.id);
  let tier = req.tier;
  let deadline = req.deadline;
  if (next === 'county') {
    if (!promisedDay) {
      await expectReply(tx, `person:${s.person.id}`, 'escalate_date', req.id);
      return say(tx, s, T.escalateNeedsDate(req.code), req.id);
    }
    tier = 'beyond';
    deadline = atShanghai(promisedDay, END_OF_DAY[0], END_OF_DAY[1]).getTime();
  } else if (tier === 'general') {
    tier = 'township';
    deadline = computeDeadline(tx.deps.calendar, 'township', new Date(tx.now)).getTime();
  }
  // Only from the level it was read at: of two concurrent 上报, one moves it up.
  if (!(await transition(tx, req, ['accepted'], { level: next, tier, deadline }, `${tx.deps.db.quote('level')} = '${from}'`))) {
    return sayOvertaken(tx, 'escalate', req, s);
  }
  const people = tx.dir.withRole(next === 'county' ? 'county_centre' : 'township_office');
  await tx.event(req.id, 'escalated', `person:${s.person.id}`, via, { from, to: next, tier, deadline, handlers: people.map((p) => p.id) });
  // 关沟村上报的群众诉求 · 镇民情处理站上报的群众诉求 (the card's subtitle names the village).
  const title = `${(from === 'village' && tx.dir.village(req.villageId)?.name) || LEVEL_ZH[from as Level]}上报的群众诉求`;
  for (const p of people) await addHandler(tx, req.id, p.id, s.person.id);
  await sendCard(tx, req.id, 'handler', handlerCard(viewOf(tx, req), title, targetOptions(tx, req, people.map((p) => p.id))), people);
  const when = deadlineText(deadline!);
  await say(tx, s, T.escalated(req.code, LEVEL_ZH[next], when), req.id);
  const owner = tx.dir.person(req.ownerId);
  if (owner && owner.id !== s.person.id) await tx.tell(owner, T.escalated(req.code, LEVEL_ZH[next], when), req.id);
  await tellReporter(tx, req, T.escalatedToVillager(req.code, LEVEL_ZH[next], when));
}

/** A promised day typed by a cadre, not before today. */
export async function promisedDay(tx: Tx, s: PersonSender, text: string, requestId: number): Promise<string | null> {
  const today = shanghaiDay(new Date(tx.now));
  const day = parseDayZh(text, today);
  if (!day) {
    await say(tx, s, T.badDate, requestId);
    return null;
  }
  if (day < today) {
    await say(tx, s, T.dateInPast, requestId);
    return null;
  }
  return day;
}

export const escalateAction: CardAction = {
  key: 'escalate',
  on: ['owner', 'handler'],
  async run({ tx, sender, request, event }) {
    if (sender.kind !== 'person') return say(tx, sender, T.notAllowed);
    await escalate(tx, sender, request, null, event.platform);
  },
};

export const escalateCommand: CommandHandler = {
  name: 'escalate',
  who: 'person',
  async run(tx, sender, cmd) {
    if (cmd.name !== 'escalate' || sender.kind !== 'person') return;
    const req = await requestOrSay(tx, sender, cmd.code);
    if (!req) return;
    let day: string | null = null;
    if (cmd.date && !(day = await promisedDay(tx, sender, cmd.date, req.id))) return;
    await escalate(tx, sender, req, day, sender.address.platform);
  },
};

export const escalateDateReply: ReplyHandler = {
  kind: 'escalate_date',
  async run(tx, sender, req, text) {
    if (sender.kind !== 'person') return;
    const day = await promisedDay(tx, sender, text, req.id);
    if (!day) return expectReply(tx, `person:${sender.person.id}`, 'escalate_date', req.id);
    await escalate(tx, sender, req, day, sender.address.platform);
  },
};
