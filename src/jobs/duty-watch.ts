import { CardContent, truncate } from '../../cards/content';
import type { RequestRow } from '../db/entities';
import type { Person } from '../domain/directory';
import { listBlock, requestLine } from '../domain/format';
import { newRequestRecipients } from '../domain/routing';
import { TJ, TR, TY } from '../domain/texts';
import { shanghaiDay } from '../domain/time';
import type { JobContext } from './types';

const unique = (list: (Person | undefined)[]) => [...new Map(list.filter((p): p is Person => Boolean(p?.active)).map((p) => [p.id, p])).values()];

/** "2" for 2 h, "1.5" for 90 min. */
export const hoursText = (ms: number) => String(Math.round((ms / 3600_000) * 10) / 10);

/** How far back a day off looks for untaken requests and overdue items. */
const LOOKBACK_MS = 30 * 24 * 3600_000;

/**
 * deadline-watch on a day that is not a working day (docs/interface.md#year, seed 000 §二 — a township
 * leader is on duty every weekend and holiday). Working time does not run on such a day, so the
 * working-day stages would send nothing; instead, the township duty of that day hears:
 * - 📮 each new request nobody has taken for the response time (RESPONSE_WORKING_HOURS, counted in
 *   clock hours on a day off), with the village's duty of that weekday — once per request per day; who
 *   has no card for it yet gets one;
 * - the requests past their deadline and still in hand, in one message per person on duty, each
 *   request once per day.
 * Warnings before a deadline wait for working hours; 督办单 for the next working day.
 */
export async function dutyWatch(ctx: JobContext): Promise<string> {
  const { directory: dir, db, policy } = ctx.deps;
  const now = ctx.at.getTime();
  const day = shanghaiDay(ctx.at);
  const duty = dir.townshipDutyOn(day);
  if (!duty.length) {
    ctx.log.warn({ day }, 'a day off with nobody on township duty (org file township.duty): nothing chased');
    return `${day} is not a working day and nobody is on township duty: nothing sent`;
  }
  const stageUntaken = `duty_unaccepted:${day}`;
  const stageOverdue = `duty_overdue:${day}`;
  const pending = (await db.read.requests.pendingBetween(now - LOOKBACK_MS, now - policy.responseWorkingMs)).filter((r) => !r.mergedInto);
  const overdue = (await db.read.requests.overdue(now)).filter((r) => !r.mergedInto && r.deadline! >= now - LOOKBACK_MS);
  const done = await db.read.reminders.sent([...pending, ...overdue].map((r) => `request:${r.id}`));
  let sent = 0;

  const what = (r: RequestRow) => TJ.watchSubject(r.code, dir.village(r.villageId)?.name ?? null, truncate(r.text, 20));
  for (const r of pending) {
    if (done.has(`request:${r.id}|${stageUntaken}`)) continue;
    // Today's people: the village's duty of this weekday and the township duty. Those whose card is
    // from another day get today's copy, so that they can 受理 it.
    const people = unique(newRequestRecipients(dir, r.villageId, ctx.at, ctx.deps.calendar));
    const got = new Set(await db.read.cards.recipientIdsOf(r.id, 'new_request'));
    const card = (await db.read.cards.openOf(r.id, 'new_request'))[0];
    const without = people.filter((p) => !got.has(p.id));
    if (card && without.length) ctx.card(without, r.id, 'new_request', card.content as CardContent);
    for (const p of people) ctx.tell(p, TY.dutyUnaccepted(what(r), hoursText(policy.responseWorkingMs)), r.id);
    ctx.write((tx) => tx.reminders.record(`request:${r.id}`, stageUntaken, tx.now));
    sent += people.length;
  }

  const fresh = overdue.filter((r) => !done.has(`request:${r.id}|${stageOverdue}`));
  if (fresh.length) {
    const text = listBlock(TY.dutyOverdueHead(TR.monthDay(day), fresh.length), fresh.map((r) => requestLine(dir, r, { village: true })), 15);
    for (const p of duty) ctx.tell(p, text);
    for (const r of fresh) ctx.write((tx) => tx.reminders.record(`request:${r.id}`, stageOverdue, tx.now));
    sent += duty.length;
  }
  return `${day} is not a working day: township duty ${duty.map((p) => p.id).join(', ')}; ${pending.length} untaken and ${overdue.length} overdue checked, ${sent} reminders`;
}
