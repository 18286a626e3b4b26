import type { Context } from 'koa';
import { countChange, Counts, figures, pct, Rate, rateChange, total } from '../../domain/metrics';
import { dashboardVillages, mayReadDiary } from '../../domain/page-remit';
import { parsePeriod, periodChoices, ReportPeriod } from '../../domain/report-period';
import { shanghaiDay, shortZh } from '../../domain/time';
import { TL, TR } from '../../domain/texts';
import type { Directory, Person } from '../../domain/directory';
import { categoryName, rangeZh, villageName } from '../../jobs/reports/text';
import type { AppDeps } from '../../operations/tx';
import { busiest, DashboardData, loadDashboard, trendOf, warmTrend } from './dashboard-data';
import { markup, Html, withQuery } from './html';
import { ASSETS, PageFn, personOrRefuse, refuse, STYLES } from './viewer';

/**
 * /h5/dashboard (docs/interface.md#dashboard-and-ledger): the digest's figures for a week or a month,
 * per village / cadre / category; the late villages first, with their most overdue items; the 12-week
 * trend (fetched by the page from /h5/dashboard/trend.json and drawn by echarts); the 督办单.
 */
export const ECHARTS = `${ASSETS}/echarts.simple.min.js`;
export const CADRES_SHOWN = 20;

export function scopeName(dir: Directory, villages: ReadonlySet<string | null> | null): string {
  return villages ? [...villages].map((v) => villageName(dir, v)).join('、') : dir.townshipName || TR.wholeTownship;
}

export function periodLabel(p: ReportPeriod): string {
  if (p.kind === 'month') return TL.monthOption(p.key.slice(0, 4), Number(p.key.slice(5, 7)));
  return rangeZh(p.cur);
}

function periodForms(p: ReportPeriod, now: number): Html {
  const { weeks, months } = periodChoices(now);
  const weekOpts = weeks.map(
    (w, i) =>
      markup`<option value="${w}"${p.kind === 'week' && p.key === w ? markup` selected` : ''}>${TL.weekOption(rangeZh({ from: Date.parse(`${w}T00:00:00+08:00`), to: Date.parse(`${w}T00:00:00+08:00`) + 7 * 86400_000 }), i === 0)}</option>`,
  );
  const monthOpts = months.map(
    (m) => markup`<option value="${m}"${p.kind === 'month' && p.key === m ? markup` selected` : ''}>${TL.monthOption(m.slice(0, 4), Number(m.slice(5, 7)))}</option>`,
  );
  return markup`<div class="rp-periods no-print">
    <form method="get" action="/h5/dashboard"><label>${TL.weekLabel} <select name="week">${weekOpts}</select></label> <button type="submit">${TL.show}</button></form>
    <form method="get" action="/h5/dashboard"><label>${TL.monthLabel} <select name="month">${monthOpts}</select></label> <button type="submit">${TL.show}</button></form>
  </div>`;
}

function lateSection(dir: Directory, d: DashboardData, single: boolean): Html {
  const { late, lateTotal: n, lateVillages } = d;
  if (!n) return markup`<section class="rp-late" id="late"><h2>${TL.lateHead(0)}</h2><p class="rp-ok">${TL.noneLate}</p></section>`;
  const blocks = late.map((v) => {
    const items = v.items.map((r) => {
      const owner = dir.person(r.ownerId)?.name;
      const how = r.late.days ? TL.lateDays(r.late.days) : TL.lateHours(r.late.hours);
      return markup`<li><a href="/h5/requests/${r.code}">${r.code}</a> ${r.text}<br><small>${owner ? TL.lateItemOwner(owner) : TL.noOwner} · ${TL.dueWas(shortZh(new Date(r.deadline)))} · <b class="rp-bad">${how}</b></small></li>`;
    });
    const more = v.count - v.items.length;
    const ledger = withQuery('/h5/ledger', { village: v.villageId ?? undefined, status: 'open', month: 'all' });
    return markup`<div class="rp-late-village" data-village="${v.villageId ?? ''}" data-count="${v.count}">
      <h3>${single ? '' : TL.lateVillage(villageName(dir, v.villageId), v.count)}</h3>
      <ol>${items}</ol>${more > 0 ? markup`<p><a href="${ledger}">${TL.moreLate(more)}</a></p>` : ''}</div>`;
  });
  return markup`<section class="rp-late" id="late"><h2>${TL.lateHead(n)}</h2>${blocks}${lateVillages > late.length ? markup`<p>${TL.moreLateVillages(lateVillages - late.length)}</p>` : ''}</section>`;
}

function rateTile(key: string, label: string, cur: Rate, prev: Rate, prevName: string): Html {
  const change = rateChange(cur, prev);
  return markup`<div class="rp-tile" data-figure="${key}" data-n="${cur.n}" data-d="${cur.d}"><span>${label}</span><b>${pct(cur)}</b><small>${cur.d ? `${cur.n}/${cur.d}` : ''}${change ? ` · ${prevName} ${change}` : ''}</small></div>`;
}

function figuresSection(cur: Counts, prev: Counts, p: ReportPeriod): Html {
  const f = figures(cur);
  const pf = figures(prev);
  const prevName = p.kind === 'week' ? TL.prevWeek : TL.prevMonth;
  return markup`<section class="rp-figures"><h2>${TL.figuresHead}</h2><div class="rp-tiles">
    <div class="rp-tile" data-figure="received" data-n="${cur.received}"><span>${TL.tiles.received}</span><b>${TL.pieces(cur.received)}</b><small>${prevName} ${countChange(cur.received, prev.received)}</small></div>
    ${rateTile('responseRate', TL.tiles.responseRate, f.responseRate, pf.responseRate, prevName)}
    ${rateTile('onTimeRate', TL.tiles.onTimeRate, f.onTimeRate, pf.onTimeRate, prevName)}
    ${rateTile('closeRate', TL.tiles.closeRate, f.closeRate, pf.closeRate, prevName)}
    ${rateTile('satisfactionRate', TL.tiles.satisfactionRate, f.satisfactionRate, pf.satisfactionRate, prevName)}
    <div class="rp-tile${cur.overdue ? ' rp-warn' : ''}" data-figure="overdue" data-n="${cur.overdue}"><span>${TL.tiles.overdue}</span><b>${TL.pieces(cur.overdue)}</b><small></small></div>
    <div class="rp-tile" data-figure="refusals" data-n="${cur.refusalsFiled}" data-d="${cur.refusalsApproved}"><span>${TL.tiles.refusals}</span><b>${TL.pieces(cur.refusalsFiled)}</b><small>${TL.refusalsSub(cur.refusalsApproved)}</small></div>
    <div class="rp-tile" data-figure="appeals" data-n="${cur.appeals}"><span>${TL.tiles.appeals}</span><b>${TL.pieces(cur.appeals)}</b><small></small></div>
  </div></section>`;
}

/** A table of figures per village, category or cadre: 受理, 响应, 按时, 办结, 满意, 超期. */
function figuresTable(kind: string, head: string, nameHead: string, list: [string, Counts, string | null][]): Html {
  const rows = list.map(([name, c, link]) => {
    const f = figures(c);
    return markup`<tr data-${kind}="${name}"><th scope="row">${link ? markup`<a href="${link}">${name}</a>` : name}</th><td>${c.received}</td><td>${pct(f.responseRate)}</td><td>${pct(f.onTimeRate)}</td><td>${pct(f.closeRate)}</td><td>${pct(f.satisfactionRate)}</td><td${c.overdue ? markup` class="rp-bad"` : ''}>${c.overdue}</td></tr>`;
  });
  const C = TL.cols;
  return markup`<table class="rp-fig" data-table="${kind}"><caption>${head}</caption><thead><tr><th scope="col">${nameHead}</th><th scope="col">${C.received}</th><th scope="col">${C.response}</th><th scope="col">${C.onTime}</th><th scope="col">${C.close}</th><th scope="col">${C.satisfied}</th><th scope="col">${C.overdue}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function supervisionSection(dir: Directory, d: DashboardData, p: ReportPeriod, now: number): Html {
  const open = d.supervisions.filter((s) => s.status === 'open');
  const lateOpen = open.filter((s) => s.deadline < now);
  const done = d.supervisions.filter((s) => s.status === 'done' && s.doneAt !== null && s.doneAt >= p.cur.from && s.doneAt < p.cur.to);
  if (!open.length && !done.length) return markup`<section class="rp-sup"><h2>${TL.supervisionsHead}</h2><p>${TL.noSupervisions}</p></section>`;
  const C = TL.supCols;
  const rows = [...lateOpen, ...open.filter((s) => s.deadline >= now), ...done].map((s) => {
    const status = s.status === 'done' ? TL.supDone : s.deadline < now ? TL.supLate : TL.supOpen;
    return markup`<tr data-supervision="${s.id}"><td><a href="/h5/print/supervision/${s.id}">#${s.id}</a></td><td>${s.code ? markup`<a href="/h5/requests/${s.code}">${s.code}</a>` : ''}<br><small>${s.note}</small></td><td>${dir.person(s.personId)?.name ?? s.personId}</td><td>${shortZh(new Date(s.deadline))}</td><td${status === TL.supLate ? markup` class="rp-bad"` : ''}>${status}</td></tr>`;
  });
  return markup`<section class="rp-sup"><h2>${TL.supervisionsHead}</h2><p>${TL.supervisionsSummary(open.length, lateOpen.length, done.length)}</p>
    <table class="rp-list"><thead><tr><th>${C.id}</th><th>${C.request}</th><th>${C.person}</th><th>${C.deadline}</th><th>${C.status}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

export function renderDashboard(deps: AppDeps, viewer: Person, villages: ReadonlySet<string | null> | null, p: ReportPeriod, d: DashboardData, now: number): string {
  const dir = deps.directory;
  const scope = scopeName(dir, villages);
  const single = villages !== null && villages.size === 1;
  const q = p.kind === 'week' ? { week: p.key } : { month: p.key };
  const ledgerQ = p.kind === 'month' ? { month: p.key } : {};
  const villageList = busiest(d.rows, 'village').map(([v, c]): [string, Counts, string | null] => [
    villageName(dir, v),
    c,
    withQuery('/h5/ledger', { ...ledgerQ, village: v ?? undefined }),
  ]);
  const quiet = villages ? villages.size - villageList.length : dir.activeVillages().length - villageList.filter(([n]) => n !== TR.townshipLevel).length;
  const cadres = busiest(d.rows, 'owner').filter(([o]) => o !== null);
  const cadreList = cadres
    .slice(0, CADRES_SHOWN)
    .map(([o, c]): [string, Counts, string | null] => [dir.person(o)?.name ?? o!, c, mayReadDiary(dir, viewer, o!) ? `/h5/diary/${encodeURIComponent(o!)}` : null]);
  const categories = busiest(d.rows, 'category').map(([k, c]): [string, Counts, string | null] => [categoryName(k), c, null]);
  const trendSrc = withQuery('/h5/dashboard/trend.json', q);
  return markup`<main class="rp rp-dash">
    <header class="rp-head"><h1>${TL.dashboardTitle(scope)}</h1><p class="rp-sub" data-period="${p.kind}:${p.key}">${periodLabel(p)}${p.running ? TL.running : ''}</p>${periodForms(p, now)}</header>
    ${lateSection(dir, d, single)}
    ${figuresSection(total(d.rows), d.prevTotal, p)}
    <section class="rp-trend"><h2>${TL.trendHead}</h2>
      <ul class="rp-legend"><li class="k-received">${TL.trendLegend.received}</li><li class="k-resolved">${TL.trendLegend.resolved}</li><li class="k-ontime">${TL.trendLegend.onTimeRate}</li><li class="k-sat">${TL.trendLegend.satisfactionRate}</li></ul>
      <div id="trend" class="rp-chart" data-src="${trendSrc}" data-loading="${TL.trendLoading}" data-failed="${TL.trendFailed}" data-week-start="${TL.weekStart}">${TL.trendLoading}</div>
    </section>
    ${single ? '' : figuresTable('village', TL.villagesHead, TL.cols.village, villageList)}${!single && quiet > 0 ? markup`<p class="rp-note">${TL.quietVillages(quiet)}</p>` : ''}
    ${figuresTable('category', TL.categoriesHead, TL.cols.category, categories)}
    ${figuresTable('cadre', TL.cadresHead, TL.cols.cadre, cadreList)}${cadres.length > CADRES_SHOWN ? markup`<p class="rp-note">${TL.moreCadres(cadres.length - CADRES_SHOWN)}</p>` : ''}
    ${supervisionSection(dir, d, p, now)}
    <footer class="rp-foot"><p>${TL.sameAsDigest}</p><p class="no-print"><a href="${withQuery('/h5/ledger', ledgerQ)}">${TL.ledgerTitle(scope)}</a></p></footer>
  </main>`.text;
}

type Log = AppDeps['log'];

/** The viewer's dashboard villages and period, or a refusal already written. */
function guard(ctx: Context, deps: AppDeps, page: PageFn): { person: Person; villages: ReadonlySet<string | null> | null; period: ReportPeriod; now: number } | null {
  const log: Log = deps.log;
  const person = personOrRefuse(ctx, page, log);
  if (!person) return null;
  const villages = dashboardVillages(deps.directory, person);
  if (villages === undefined) {
    refuse(ctx, page, 403, TL.refusedTitle, TL.dashboardOnly, log, 'dashboard: not a leader or village secretary');
    return null;
  }
  const now = deps.clock.now().getTime();
  const q = ctx.query as Record<string, string | undefined>;
  const period = parsePeriod({ week: typeof q.week === 'string' ? q.week : undefined, month: typeof q.month === 'string' ? q.month : undefined }, now);
  if ('error' in period) {
    refuse(ctx, page, 400, TL.badRequestTitle, period.error, log, `dashboard: bad period ${JSON.stringify(q)}`);
    return null;
  }
  return { person, villages, period, now };
}

export async function dashboardPage(ctx: Context, deps: AppDeps, page: PageFn): Promise<void> {
  const g = guard(ctx, deps, page);
  if (!g) return;
  const data = await loadDashboard(deps, g.villages, g.period, g.now);
  const body = renderDashboard(deps, g.person, g.villages, g.period, data, g.now);
  page(ctx, { title: TL.dashboardTitle(scopeName(deps.directory, g.villages)), body, styles: [STYLES], scripts: [ECHARTS, `${ASSETS}/dashboard.js`] });
  // Once the page has gone out (better-sqlite3 blocks while it reads), not before.
  ctx.res.once('finish', () => warmTrend(deps, g.villages, g.period, g.now));
}

export async function trendJson(ctx: Context, deps: AppDeps, page: PageFn): Promise<void> {
  const g = guard(ctx, deps, page);
  if (!g) return;
  const points = await trendOf(deps, g.villages, g.period, g.now);
  ctx.set('cache-control', 'private, no-cache');
  ctx.body = { weeks: points.map((x) => ({ ...x, label: shanghaiDay(new Date(x.from)).slice(5).replace('-', '/') })) };
}
