import type { RequestRow } from '../db/entities';
import { watchCandidates } from '../db/repos/watch';
import type { Directory, Person } from '../domain/directory';
import { deadlineStages, inNoticeHours, Stage, unacceptedDue } from '../domain/reminders';
import { TJ, TY } from '../domain/texts';
import { shanghaiDay, shortZh } from '../domain/time';
import { truncate } from '../../cards/content';
import { everyDay } from './days';
import { dutyWatch, hoursText } from './duty-watch';
import { sameDayReminders } from './same-day';
import { Job, JobContext } from './types';

/** Requests overdue for longer than this are not chased again after a restart (they were, long ago). */
export const LOOKBACK_MS = 30 * 24 * 3600_000;
/** The widest a 4-working-hour warning can reach ahead in calendar time (Spring Festival). */
const LOOKAHEAD_MS = 15 * 24 * 3600_000;

const unique = (list: (Person | undefined)[]) => [...new Map(list.filter((p): p is Person => Boolean(p?.active)).map((p) => [p.id, p])).values()];

/** Who hears of a stage, following the request's level (village → township → county). */
function audience(dir: Directory, r: RequestRow, handlers: string[], stage: Stage): Person[] {
  const working = [dir.person(r.ownerId), ...handlers.map((h) => dir.person(h))];
  if (stage === 'warn') return unique(working);
  const above =
    r.level === 'village' ? [dir.person(dir.village(r.villageId)?.secretaryId)] : r.level === 'township' ? dir.withRole('township_office') : dir.withRole('county_centre');
  if (stage === 'overdue') return unique([...working, ...above]);
  return unique([...dir.withRole('leader'), ...(r.level === 'county' ? dir.withRole('county_centre') : [])]);
}

function text(dir: Directory, r: RequestRow, stage: Stage, responseMs: number): string {
  const what = TJ.watchSubject(r.code, dir.village(r.villageId)?.name ?? null, truncate(r.text, 20));
  if (stage === 'unaccepted') return TY.unaccepted(what, hoursText(responseMs));
  const owner = dir.person(r.ownerId)?.name ?? TJ.nobody;
  const due = r.deadline ? shortZh(new Date(r.deadline)) : '';
  return TJ.watch[stage](what, due, owner);
}

function record(ctx: JobContext, subject: string, stage: string): void {
  ctx.write((tx) => tx.reminders.record(subject, stage, tx.now));
}

/**
 * Every 30 minutes, 08:00–20:00 on working days: warnings before deadlines, overdue notices to the
 * owner, handlers and the level above, then leaders; new requests nobody took; 督办单 deadlines.
 * Each stage once per deadline. The limits are the local-policy settings (DEADLINE_WARN_WORKING_HOURS,
 * RESPONSE_WORKING_HOURS). On a day that is not a working day it runs too, for the township duty of
 * that day (./duty-watch.ts, docs/interface.md#year).
 */
export const deadlineWatch: Job = {
  id: 'deadline-watch',
  cron: '*/30 8-20 * * *',
  description: '每30分钟（8:00–20:00）：到期前提醒、超期通报、逐级督办，每个阶段只发一次；休息日向当天镇值班人员通报无人受理和超期事项',
  day: everyDay,
  async run(ctx) {
    if (!inNoticeHours(ctx.at)) return 'outside 08:00–20:00: nothing sent';
    const { directory: dir, calendar: cal, db, policy } = ctx.deps;
    if (!cal.isWorkday(shanghaiDay(ctx.at))) return dutyWatch(ctx);
    const now = ctx.at.getTime();
    // Only what may still have a stage to send: the last stage of the current deadline (warn before
    // it, overdue_leader after) not yet recorded. Full rows are loaded for those alone.
    const ids = await watchCandidates(db, now, LOOKBACK_MS, LOOKAHEAD_MS);
    const live = await db.read.requests.byIds(ids.live);
    const pending = await db.read.requests.byIds(ids.pending);
    const sups = await db.read.supervisions.openDueBefore(now + LOOKAHEAD_MS);
    const subjects = [...live, ...pending].map((r) => `request:${r.id}`).concat(sups.map((s) => `supervision:${s.id}`));
    const done = await db.read.reminders.sent(subjects);
    const handlers = live.length ? await db.read.handlers.ofRequests(live.map((r) => r.id)) : [];
    let sent = 0;

    for (const r of live) {
      if (r.mergedInto) continue;
      for (const stage of deadlineStages(cal, now, r.deadline!, policy.warnWithinMs)) {
        const key = `${stage}:${r.deadline}`;
        if (done.has(`request:${r.id}|${key}`)) continue;
        const people = audience(dir, r, handlers.filter((h) => h.requestId === r.id).map((h) => h.personId), stage);
        for (const p of people) ctx.tell(p, text(dir, r, stage, policy.responseWorkingMs), r.id);
        record(ctx, `request:${r.id}`, key);
        sent += people.length;
      }
    }
    for (const r of pending) {
      if (r.mergedInto || done.has(`request:${r.id}|unaccepted`) || !unacceptedDue(cal, now, r.receivedAt, policy.responseWorkingMs)) continue;
      const got = await db.read.cards.recipientIdsOf(r.id, 'new_request');
      const people = unique([...got.map((id) => dir.person(id)), ...dir.withRole('township_office')]);
      for (const p of people) ctx.tell(p, text(dir, r, 'unaccepted', policy.responseWorkingMs), r.id);
      record(ctx, `request:${r.id}`, 'unaccepted');
      sent += people.length;
    }
    for (const s of sups) {
      for (const stage of deadlineStages(cal, now, s.deadline, policy.warnWithinMs).filter((x) => x !== 'overdue_leader')) {
        const key = `${stage}:${s.deadline}`;
        if (done.has(`supervision:${s.id}|${key}`)) continue;
        const people = unique([dir.person(s.personId), ...(stage === 'overdue' ? [dir.person(s.issuedBy)] : [])]);
        const msg = TJ.supervisionWatch(stage === 'warn', s.id, truncate(s.note, 20), shortZh(new Date(s.deadline)));
        for (const p of people) ctx.tell(p, msg, s.requestId ?? undefined);
        record(ctx, `supervision:${s.id}`, key);
        sent += people.length;
      }
    }
    const sameDay = await sameDayReminders(ctx);
    return `${live.length + pending.length} requests and ${sups.length} 督办单 checked, ${sent} reminders${sameDay ? `, ${sameDay} 当日回复 reminders` : ''}`;
  },
};
