import type { Context } from 'koa';
import { diaryDuties, keepsDiary, reviewersOf, REVIEW_GROUP_LABELS } from '../../domain/diary-review';
import { mayReadDiary } from '../../domain/page-remit';
import { period, periodsOf } from '../../domain/periods';
import { quarterZh, reviewQuarter } from '../../domain/review-quarter';
import { shortZh } from '../../domain/time';
import { TL, TR, TY } from '../../domain/texts';
import { reviewDiary, selfAssessment } from '../../operations/review-diary';
import type { AppDeps } from '../../operations/tx';
import { plainPageDoor } from '../door';
import { markup, Html } from './html';
import { actorName, eventDetail } from './timeline';
import { ASSETS, Flash, PageFn, param, personOrRefuse, refuse, STYLES } from './viewer';

/**
 * /h5/diary/:personId?period=2026-Q4 (docs/interface.md#dashboard-and-ledger): a cadre's 民情日记 book
 * for a month, quarter (the default: the current one — leaders review them quarterly), half-year
 * or year. One record per matter — 事由 (the villager's words), 办理过程 (the timeline), 办理结果 —
 * then the free entries and the household visits (seed 002 §三, docs/rules.md#6), then the 审阅 and
 * 自评 recorded for the period. A reviewer the seeds' hierarchy gives this person signs it off here
 * (POST …/review, `diaryReviewPost`) — the same 审阅 as the text command. Printable, with a box for
 * the reviewer's signature.
 */
/** The longest 审阅意见 taken (a paragraph; the keeper hears it in one chat message). */
export const REVIEW_MAX = 500;
const SHOWN_EVENTS = new Set(Object.keys(TL.events).filter((t) => t !== 'received' && t !== 'rated'));

export function periodName(name: string): string {
  const y = name.slice(0, 4);
  if (/^\d{4}-\d{2}$/.test(name)) return TL.monthOption(y, Number(name.slice(5, 7)));
  if (/-Q\d$/.test(name)) return TR.quarter(y, Number(name.slice(6)));
  if (/-H[12]$/.test(name)) return TL.half(y, name.endsWith('1') ? 1 : 2);
  return TL.year(y);
}

export async function diaryPage(ctx: Context, deps: AppDeps, page: PageFn, flash?: Flash): Promise<void> {
  const viewer = personOrRefuse(ctx, page, deps.log);
  if (!viewer) return;
  const dir = deps.directory;
  const id = param(ctx, 'personId');
  const who = dir.person(id);
  if (!who) return refuse(ctx, page, 404, TL.notFoundTitle, TL.noSuchPerson, deps.log, `diary: no person ${id}`);
  if (!mayReadDiary(dir, viewer, who.id)) return refuse(ctx, page, 403, TL.refusedTitle, TL.diaryNotYours, deps.log, `diary: ${viewer.id} may not read ${who.id}`);
  const now = deps.clock.now().getTime();
  const asked = typeof ctx.query.period === 'string' && ctx.query.period ? ctx.query.period : periodsOf(new Date(now)).quarter;
  let p: { from: number; to: number };
  try {
    p = period(asked);
  } catch {
    return refuse(ctx, page, 400, TL.badRequestTitle, TL.badDiaryPeriod, deps.log, `diary: bad period ${asked}`);
  }

  const reports = deps.db.read.reports;
  const entries = await reports.diaryOf(who.id, p.from, p.to);
  const matters = await reports.mattersOf(who.id, p.from, p.to, [...new Set(entries.map((e) => e.requestId).filter((x): x is number => x !== null))]);
  const events = await reports.eventsOf(matters.map((r) => r.id));
  const free = entries.filter((e) => e.kind === 'free');
  const visits = entries.filter((e) => e.kind === 'visit');
  const duty = diaryDuties(dir).find((d) => d.personId === who.id);
  const reviewers = duty?.reviewers.map((r) => dir.person(r)?.name ?? r) ?? [];
  const reviews = (await deps.db.read.diaryReviews.ofPerson(who.id)).filter((r) => {
    const q = period(r.period);
    return q.from < p.to && q.to > p.from;
  });
  const quarterLabel = quarterZh(reviewQuarter(new Date(now)));
  const signs = reviewersOf(dir, who.id).includes(viewer.id);
  const writesSelf = viewer.id === who.id && keepsDiary(who, dir);
  const said = flash?.take(ctx);

  const records = matters.map((r) => {
    const steps = events.filter((e) => e.requestId === r.id && SHOWN_EVENTS.has(e.type) && e.at < p.to);
    const village = dir.village(r.villageId)?.name ?? TR.townshipLevel;
    const rating = r.satisfaction === 'satisfied' ? TL.rating.satisfied : r.satisfaction === 'unsatisfied' ? TL.rating.unsatisfied : '';
    return markup`<article class="rp-record" data-code="${r.code}">
      <h3><a href="/h5/requests/${r.code}">${r.code}</a> <small>${village} · ${r.reporterName ?? ''} · ${shortZh(new Date(r.receivedAt))}</small></h3>
      <h4>${TL.cause}</h4>
      <p class="rp-verbatim">${r.text}</p>
      <h4>${TL.process}</h4>
      ${
        steps.length
          ? markup`<ol class="rp-steps">
              ${steps.map((e) => markup`<li><time>${shortZh(new Date(e.at))}</time> ${actorName(dir, e.actor, r.reporterName)} ${TL.events[e.type]}${eventDetail(dir, e) ? markup`：${eventDetail(dir, e)}` : ''}</li>`)}
            </ol>`
          : markup`<p>—</p>`
      }
      <h4>${TL.outcome}</h4>
      <p>${r.result ?? TL.notYetDone}${rating ? TL.ratingNote(rating) : ''}</p>
    </article>`;
  });
  const list = (items: typeof entries, visit: boolean): Html =>
    items.length
      ? markup`<ol class="rp-steps">
          ${items.map((e) => markup`<li><time>${shortZh(new Date(e.at))}</time> ${visit && typeof e.data?.household === 'string' ? markup`${TL.household(e.data.household)}：` : ''}${e.text}</li>`)}
        </ol>`
      : markup`<p>${TL.noEntries}</p>`;

  const title = TL.diaryTitle(who.name);
  const body = markup`<main class="rp rp-diary">
    <header class="rp-head">
      <h1>${title}</h1>
      <p class="rp-sub">
        ${periodName(asked)}${duty ? markup` · ${REVIEW_GROUP_LABELS[duty.group]}` : ''} · ${reviewers.length ? TL.reviewers(reviewers.join('、')) : TL.reviewedAbove}
      </p>
      <p class="rp-sub" id="diary-counts">${TL.diaryMatters(matters.length)} · ${TL.diaryFree(free.length)} · ${TL.diaryVisits(visits.length)}</p>
      <p class="rp-actions no-print"><button type="button" data-print>${TL.print}</button></p>
    </header>
    <section class="rp-records">${records.length ? records : markup`<p>${TL.noEntries}</p>`}</section>
    <section class="rp-free">
      <h2>${TL.freeHead}</h2>
      ${list(free, false)}
    </section>
    <section class="rp-visits">
      <h2>${TL.visitsHead}</h2>
      ${list(visits, true)}
    </section>
    <section class="rp-reviews" id="review">
      <h2>${TL.reviewsHead}</h2>
      ${
        reviews.length
          ? markup`<ol class="rp-steps">
              ${reviews.map((r) =>
                r.kind === 'review'
                  ? markup`<li data-review="${r.reviewerId ?? ''}">${TL.reviewLine(shortZh(new Date(r.at)), dir.person(r.reviewerId ?? '')?.name ?? r.reviewerId ?? '', quarterZh(r.period), r.text)}</li>`
                  : markup`<li data-self>${TL.selfLine(shortZh(new Date(r.at)), quarterZh(r.period), r.text)}</li>`,
              )}
            </ol>`
          : markup`<p>${TL.noReviews}</p>`
      }
      ${said?.notes.length ? markup`<p class="${said.ok ? 'rp-ok' : 'rp-bad'} no-print" role="status" id="review-said">${said.notes.join(' ')}</p>` : ''}
      ${signs ? reviewForm(ctx, who.id, 'review', TL.reviewFormHead(quarterLabel), TL.reviewPlaceholder, TL.reviewSubmit, TL.reviewFormNote) : ''}
      ${writesSelf ? reviewForm(ctx, who.id, 'self', TL.selfFormHead(quarterLabel), TL.selfPlaceholder, TL.selfSubmit, '') : ''}
    </section>
    <section class="rp-sign">
      <p>${TL.reviewSign}</p>
      <div class="rp-sign-box"></div>
    </section>
  </main>`.text;
  page(ctx, { title, body, styles: [STYLES], scripts: [`${ASSETS}/print.js`] });
}

/** The sign-off (`review`) or 自评 (`self`) form under the 审阅记录; kept off the printed page. */
function reviewForm(ctx: Context, personId: string, kind: 'review' | 'self', head: string, placeholder: string, submit: string, note: string): Html {
  return markup`<form class="rp-review-form no-print" data-kind="${kind}" method="post" action="/h5/diary/${encodeURIComponent(personId)}/${kind}">
    <input type="hidden" name="_csrf" value="${String(ctx.state.csrf ?? '')}">
    <label for="${kind}-text">${head}</label>
    <textarea id="${kind}-text" name="text" rows="3" maxlength="${REVIEW_MAX}" placeholder="${placeholder}"></textarea>
    ${note ? markup`<p class="rp-note">${note}</p>` : ''}
    <button type="submit">${submit}</button>
  </form>`;
}

/**
 * POST /h5/diary/:personId/review and …/self (field `text`, the session's `_csrf`), through the page
 * door — the same operations as the text commands `审阅 姓名 意见` and `自评 内容`
 * (src/operations/review-diary.ts), for the quarter just ended: a reviewer of this person signs it off
 * (recorded, the keeper told); the keeper writes their 自评. Anyone else is refused (403, nothing
 * recorded); the page shows what the operation said after its redirect.
 */
export async function diaryReviewPost(ctx: Context, deps: AppDeps, page: PageFn, kind: 'review' | 'self', flash?: Flash): Promise<void> {
  const viewer = personOrRefuse(ctx, page, deps.log);
  if (!viewer) return;
  const dir = deps.directory;
  const id = param(ctx, 'personId');
  const who = dir.person(id);
  if (!who || !who.active) return refuse(ctx, page, 404, TL.notFoundTitle, TL.noSuchPerson, deps.log, `diary ${kind}: no person ${id}`);
  if (kind === 'review') {
    const reviewers = reviewersOf(dir, who.id);
    if (!reviewers.includes(viewer.id)) {
      const names = reviewers.map((r) => dir.person(r)?.name ?? r);
      return refuse(ctx, page, 403, TL.reviewRefusedTitle, TY.notYourReviewee(who.name, names), deps.log, `diary review: ${viewer.id} does not review ${who.id}`);
    }
  } else if (viewer.id !== who.id) {
    return refuse(ctx, page, 403, TL.reviewRefusedTitle, TL.selfNotYours, deps.log, `diary self: ${viewer.id} on ${who.id}`);
  }
  const form = (ctx.state as { form?: Record<string, unknown> }).form;
  if (!form) return refuse(ctx, page, 400, TL.badRequestTitle, TL.reviewNoForm, deps.log, `diary ${kind}: no form`);
  const text = typeof form.text === 'string' ? form.text.trim() : '';
  if (text.length > REVIEW_MAX) return refuse(ctx, page, 400, TL.badRequestTitle, TL.reviewTooLong(REVIEW_MAX), deps.log, `diary ${kind}: ${text.length} characters`);
  if (kind === 'self' && !text) return refuse(ctx, page, 400, TL.badRequestTitle, TL.selfEmpty, deps.log, 'diary self: empty');
  const v = { kind: 'person' as const, person: viewer };
  const r = kind === 'review' ? await plainPageDoor(deps, deps.log, v, reviewDiary, { person: who.id, text }) : await plainPageDoor(deps, deps.log, v, selfAssessment, { text });
  flash?.set(ctx, r.notes, r.done);
  ctx.status = 303;
  ctx.redirect(`/h5/diary/${encodeURIComponent(who.id)}?period=${reviewQuarter(deps.clock.now())}#review`);
}
