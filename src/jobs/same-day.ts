import { truncate } from '../../cards/content';
import { ANSWER_EVENTS, SAME_DAY_REMIND_MS, SAME_DAY_TIERS, sameDayAnswerBy } from '../domain/same-day';
import { TJ, TY } from '../domain/texts';
import { shanghaiDay, shortZh } from '../domain/time';
import type { JobContext } from './types';

/** How far back an accepted complaint may still be waiting for its same-day answer (a long holiday). */
const LOOKBACK_MS = 15 * 24 * 3600_000;

/**
 * Part of deadline-watch on a working day (docs/interface.md#year, 当日回复): an owner whose complaint
 * accepted today has not been answered yet (no 一次性告知, 办结, refusal or phoned message) hears of it
 * in the last hour before 17:30 — once.
 */
export async function sameDayReminders(ctx: JobContext): Promise<number> {
  const { directory: dir, db, calendar } = ctx.deps;
  const now = ctx.at.getTime();
  const today = shanghaiDay(ctx.at);
  const due = (await db.read.requests.acceptedOfTiers(SAME_DAY_TIERS, now - LOOKBACK_MS)).filter((r) => {
    const by = sameDayAnswerBy(calendar, r.acceptedAt!);
    return !r.mergedInto && shanghaiDay(new Date(by)) === today && now >= by - SAME_DAY_REMIND_MS && now < by;
  });
  if (!due.length) return 0;
  const events = await db.read.events.ofRequests(due.map((r) => r.id));
  const done = await db.read.reminders.sent(due.map((r) => `request:${r.id}`));
  let sent = 0;
  for (const r of due) {
    const stage = `same_day:${today}`;
    if (done.has(`request:${r.id}|${stage}`)) continue;
    if (events.some((e) => e.requestId === r.id && ANSWER_EVENTS.includes(e.type) && e.at >= r.acceptedAt!)) continue;
    const owner = dir.person(r.ownerId);
    if (!owner?.active) continue;
    const what = TJ.watchSubject(r.code, dir.village(r.villageId)?.name ?? null, truncate(r.text, 20));
    ctx.tell(owner, TY.sameDayReminder(what, shortZh(new Date(sameDayAnswerBy(calendar, r.acceptedAt!)))), r.id);
    ctx.write((tx) => tx.reminders.record(`request:${r.id}`, stage, tx.now));
    sent++;
  }
  return sent;
}
