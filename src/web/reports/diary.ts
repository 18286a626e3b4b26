import type { Context } from 'koa';
import { diaryDuties, REVIEW_GROUP_LABELS } from '../../domain/diary-review';
import { mayReadDiary } from '../../domain/page-remit';
import { period, periodsOf } from '../../domain/periods';
import { shortZh } from '../../domain/time';
import { TL, TR } from '../../domain/texts';
import type { AppDeps } from '../../operations/tx';
import { markup, Html } from './html';
import { actorName, eventDetail } from './timeline';
import { ASSETS, PageFn, param, personOrRefuse, refuse, STYLES } from './viewer';

/**
 * /h5/diary/:personId?period=2026-Q4 (docs/interface.md#dashboard-and-ledger): a cadre's 民情日记 book
 * for a month, quarter (the default: the current one — leaders review them quarterly), half-year
 * or year. One record per matter — 事由 (the villager's words), 办理过程 (the timeline), 办理结果 —
 * then the free entries and the household visits (seed 002 §三, docs/rules.md#6). Printable, with a
 * box for the reviewer's signature.
 */
const SHOWN_EVENTS = new Set(Object.keys(TL.events).filter((t) => t !== 'received' && t !== 'rated'));

export function periodName(name: string): string {
  const y = name.slice(0, 4);
  if (/^\d{4}-\d{2}$/.test(name)) return TL.monthOption(y, Number(name.slice(5, 7)));
  if (/-Q\d$/.test(name)) return TR.quarter(y, Number(name.slice(6)));
  if (/-H[12]$/.test(name)) return TL.half(y, name.endsWith('1') ? 1 : 2);
  return TL.year(y);
}

export async function diaryPage(ctx: Context, deps: AppDeps, page: PageFn): Promise<void> {
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
    <section class="rp-sign">
      <p>${TL.reviewSign}</p>
      <div class="rp-sign-box"></div>
    </section>
  </main>`.text;
  page(ctx, { title, body, styles: [STYLES], scripts: [`${ASSETS}/print.js`] });
}
