import { In, LessThanOrEqual } from 'typeorm';
import type { Db } from '../db/db';
import { CardRecipientRow, CardRow, ReminderRow, RequestHandlerRow, RequestRow, SupervisionRow } from '../db/entities';
import type { Directory, Person } from '../domain/directory';
import { deadlineStages, inNoticeHours, Stage, unacceptedDue } from '../domain/reminders';
import { shortZh } from '../domain/time';
import { truncate } from '../../cards/content';
import { workdaysOnly } from './days';
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

function text(dir: Directory, r: RequestRow, stage: Stage): string {
  const what = `${r.code}（${dir.village(r.villageId)?.name ?? '镇级'}：${truncate(r.text, 20)}）`;
  const owner = dir.person(r.ownerId)?.name ?? '无';
  const due = r.deadline ? shortZh(new Date(r.deadline)) : '';
  switch (stage) {
    case 'warn':
      return `⏰ 事项 ${what} 将于 ${due} 到期，请抓紧办理。`;
    case 'overdue':
      return `⚠️ 事项 ${what} 已超期（时限 ${due}），首问责任人：${owner}，请尽快办结或说明情况。`;
    case 'overdue_leader':
      return `⚠️ 事项 ${what} 已超期一个工作日以上（时限 ${due}），首问责任人：${owner}，请督办。`;
    case 'unaccepted':
      return `📮 群众诉求 ${what} 已超过2个工作小时无人受理，请尽快受理。`;
  }
}

async function sentStages(ctx: JobContext, subjects: string[]): Promise<Set<string>> {
  const done = new Set<string>();
  const repo = ctx.deps.db.ds.getRepository(ReminderRow);
  for (let i = 0; i < subjects.length; i += 500) {
    for (const r of await repo.findBy({ subject: In(subjects.slice(i, i + 500)) })) done.add(`${r.subject}|${r.stage}`);
  }
  return done;
}

/** String concatenation in SQL, as each dialect spells it. */
const concat = (db: Db, a: string, b: string) => (db.dialect === 'mysql' ? `CONCAT(${a}, ${b})` : `(${a} || ${b})`);

/** Full rows for the given ids, in id order. */
async function rowsById(ctx: JobContext, ids: number[]): Promise<RequestRow[]> {
  const out: RequestRow[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await ctx.deps.db.ds.getRepository(RequestRow).findBy({ id: In(ids.slice(i, i + 500)) })));
  return out.sort((a, b) => a.id - b.id);
}

function record(ctx: JobContext, subject: string, stage: string): void {
  ctx.write(async (tx) => {
    await tx.em.getRepository(ReminderRow).insert({ subject, stage, sentAt: tx.now });
  });
}

/**
 * Every 30 minutes, 08:00–20:00 on working days: warnings before deadlines, overdue notices to the
 * owner, handlers and the level above, then leaders; new requests nobody took; 督办单 deadlines.
 * Each stage once per deadline.
 */
export const deadlineWatch: Job = {
  id: 'deadline-watch',
  cron: '*/30 8-20 * * *',
  description: '每30分钟（8:00–20:00）：到期前提醒、超期通报、逐级督办，每个阶段只发一次',
  day: workdaysOnly,
  async run(ctx) {
    if (!inNoticeHours(ctx.at)) return 'outside 08:00–20:00: nothing sent';
    const { directory: dir, calendar: cal, db } = ctx.deps;
    const now = ctx.at.getTime();
    // Only what may still have a stage to send: the last stage of the current deadline (warn before
    // it, overdue_leader after) not yet recorded. Full rows are loaded for those alone.
    const final = `CASE WHEN r.deadline <= ? THEN 'overdue_leader:' ELSE 'warn:' END`;
    const liveIds = await db.query<{ id: number }>(
      `SELECT r.id FROM request r WHERE r.status IN ('accepted', 'rejection_pending') AND r.deadline BETWEEN ? AND ?
       AND NOT EXISTS (SELECT 1 FROM reminder m WHERE m.subject = ${concat(db, "'request:'", 'r.id')} AND m.stage = ${concat(db, final, 'r.deadline')})`,
      [now - LOOKBACK_MS, now + LOOKAHEAD_MS, now],
    );
    const pendingIds = await db.query<{ id: number }>(
      `SELECT r.id FROM request r WHERE r.status = 'pending' AND r.received_at BETWEEN ? AND ?
       AND NOT EXISTS (SELECT 1 FROM reminder m WHERE m.subject = ${concat(db, "'request:'", 'r.id')} AND m.stage = 'unaccepted')`,
      [now - LOOKBACK_MS, now],
    );
    const live = await rowsById(ctx, liveIds.map((r) => Number(r.id)));
    const pending = await rowsById(ctx, pendingIds.map((r) => Number(r.id)));
    const sups = await db.ds.getRepository(SupervisionRow).find({ where: { status: 'open', deadline: LessThanOrEqual(now + LOOKAHEAD_MS) } });
    const subjects = [...live, ...pending].map((r) => `request:${r.id}`).concat(sups.map((s) => `supervision:${s.id}`));
    const done = await sentStages(ctx, subjects);
    const handlers = live.length ? await db.ds.getRepository(RequestHandlerRow).findBy({ requestId: In(live.map((r) => r.id)) }) : [];
    let sent = 0;

    for (const r of live) {
      if (r.mergedInto) continue;
      for (const stage of deadlineStages(cal, now, r.deadline!)) {
        const key = `${stage}:${r.deadline}`;
        if (done.has(`request:${r.id}|${key}`)) continue;
        const people = audience(dir, r, handlers.filter((h) => h.requestId === r.id).map((h) => h.personId), stage);
        for (const p of people) ctx.tell(p, text(dir, r, stage), r.id);
        record(ctx, `request:${r.id}`, key);
        sent += people.length;
      }
    }
    for (const r of pending) {
      if (r.mergedInto || done.has(`request:${r.id}|unaccepted`) || !unacceptedDue(cal, now, r.receivedAt)) continue;
      const cards = await db.ds.getRepository(CardRow).findBy({ requestId: r.id, kind: 'new_request' });
      const ids = cards.length ? (await db.ds.getRepository(CardRecipientRow).findBy({ cardId: In(cards.map((c) => c.id)) })).map((x) => x.personId) : [];
      const people = unique([...ids.map((id) => dir.person(id)), ...dir.withRole('township_office')]);
      for (const p of people) ctx.tell(p, text(dir, r, 'unaccepted'), r.id);
      record(ctx, `request:${r.id}`, 'unaccepted');
      sent += people.length;
    }
    for (const s of sups) {
      for (const stage of deadlineStages(cal, now, s.deadline).filter((x) => x !== 'overdue_leader')) {
        const key = `${stage}:${s.deadline}`;
        if (done.has(`supervision:${s.id}|${key}`)) continue;
        const people = unique([dir.person(s.personId), ...(stage === 'overdue' ? [dir.person(s.issuedBy)] : [])]);
        const msg = stage === 'warn' ? `⏰ 督办单 #${s.id}（${truncate(s.note, 20)}）将于 ${shortZh(new Date(s.deadline))} 到期。` : `⚠️ 督办单 #${s.id}（${truncate(s.note, 20)}）已超期（时限 ${shortZh(new Date(s.deadline))}）。`;
        for (const p of people) ctx.tell(p, msg, s.requestId ?? undefined);
        record(ctx, `supervision:${s.id}`, key);
        sent += people.length;
      }
    }
    return `${live.length + pending.length} requests and ${sups.length} 督办单 checked, ${sent} reminders`;
  },
};
