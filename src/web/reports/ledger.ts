import type { Context } from 'koa';
import type { RequestRow } from '../../db/entities';
import type { Directory, Person } from '../../domain/directory';
import { LedgerFilter, parseLedgerFilter } from '../../domain/ledger-filter';
import { ledgerRemit, Remit, villagesOf } from '../../domain/page-remit';
import { periodChoices } from '../../domain/report-period';
import { STATUSES } from '../../domain/status';
import { isoShanghai } from '../../domain/time';
import { STATUS_LABELS, TL } from '../../domain/texts';
import type { AppDeps } from '../../operations/tx';
import { LEDGER_COLUMNS, ledgerCells, toCsv, toXlsx } from '../../services/ledger';
import { scopeName } from './dashboard';
import { markup, Html, withQuery } from './html';
import { ASSETS, PageFn, personOrRefuse, refuse, STYLES } from './viewer';

/**
 * /h5/ledger, /h5/ledger.csv, /h5/ledger.xlsx (docs/interface.md#dashboard-and-ledger): the 销号台账 of the
 * viewer's remit, open and closed, with the filters of `domain/ledger-filter.ts`. The page lists at
 * most `PAGE_MAX` rows (a month of a township is a few hundred) and prints on A4 landscape; the
 * downloads carry every row (up to `DOWNLOAD_MAX`) and every column.
 */
export const PAGE_MAX = 2000;
export const DOWNLOAD_MAX = 100_000;

/** The columns the page shows and prints (the downloads have all of `LEDGER_COLUMNS`). */
export const PAGE_COLUMNS = [
  '编号',
  '收到时间',
  '村',
  '反映人',
  '事由',
  '分类',
  '首问责任人',
  '承办人',
  '办结时限',
  '状态',
  '办结时间',
  '是否超期',
  '办理结果',
  '群众评价',
  '否定报备',
  '督办单',
] as const;
const COL = (name: (typeof LEDGER_COLUMNS)[number]) => LEDGER_COLUMNS.indexOf(name);

interface Asked {
  person: Person;
  remit: Remit;
  filter: LedgerFilter;
  now: number;
}

function guard(ctx: Context, deps: AppDeps, page: PageFn): Asked | null {
  const person = personOrRefuse(ctx, page, deps.log);
  if (!person) return null;
  const remit = ledgerRemit(deps.directory, person);
  if (!remit) {
    refuse(ctx, page, 403, TL.refusedTitle, TL.staffOnly, deps.log, 'ledger: no remit');
    return null;
  }
  const now = deps.clock.now().getTime();
  const filter = parseLedgerFilter(ctx.query, now);
  if ('error' in filter) {
    refuse(ctx, page, 400, TL.badRequestTitle, filter.error, deps.log, `ledger: bad filter ${JSON.stringify(ctx.query)}`);
    return null;
  }
  if (filter.village && remit.villages && !remit.villages.has(filter.village)) {
    refuse(ctx, page, 403, TL.refusedTitle, TL.villageNotYours, deps.log, `ledger: village ${filter.village} outside the remit`);
    return null;
  }
  return { person, remit, filter, now };
}

function query(a: Asked, limit: number) {
  const f = a.filter;
  return {
    since: f.since,
    until: f.until,
    villages: a.remit.villages ? [...a.remit.villages] : null,
    personId: a.remit.personId,
    village: f.village,
    owner: f.owner,
    statuses: f.statuses,
    limit,
  };
}

/** The query string that reproduces the filter (for the download links). */
function filterQuery(f: LedgerFilter): Record<string, string | undefined> {
  return { village: f.village, status: f.status || undefined, month: f.month ?? 'all', owner: f.owner };
}

function remitVillages(dir: Directory, a: Asked) {
  return a.remit.villages ? dir.activeVillages().filter((v) => a.remit.villages!.has(v.id)) : dir.activeVillages();
}

function ownerChoices(dir: Directory, a: Asked): Person[] {
  if (!a.remit.villages) return dir.activePeople().filter((p) => !p.roles.includes('county_centre'));
  const ids = new Set([a.person.id, ...remitVillages(dir, a).flatMap((v) => [v.secretaryId, v.directorId, ...v.cadreIds, ...v.residentIds])]);
  return dir.activePeople().filter((p) => ids.has(p.id));
}

function filters(dir: Directory, a: Asked): Html {
  const f = a.filter;
  const opt = (value: string, label: string, on: boolean) => markup`<option value="${value}"${on ? markup` selected` : ''}>${label}</option>`;
  const months = periodChoices(a.now).months;
  if (f.month && !months.includes(f.month)) months.push(f.month);
  return markup`<form class="rp-filters no-print" method="get" action="/h5/ledger">
    <label>${TL.filterVillage}<select name="village">${opt('', TL.allVillages, !f.village)}${remitVillages(dir, a).map((v) => opt(v.id, v.name, f.village === v.id))}</select></label>
    <label>${TL.filterStatus}<select name="status">${opt('', TL.allStatuses, !f.status)}${opt('open', TL.openStatuses, f.status === 'open')}${STATUSES.map((s) => opt(s, STATUS_LABELS[s], f.status === s))}</select></label>
    <label>${TL.filterMonth}<select name="month">${opt('all', TL.allMonths, f.month === null)}${months.map((m) => opt(m, TL.monthOption(m.slice(0, 4), Number(m.slice(5, 7))), f.month === m))}</select></label>
    <label>${TL.filterOwner}<select name="owner">${opt('', TL.anyone, !f.owner)}${ownerChoices(dir, a).map((p) => opt(p.id, p.name, f.owner === p.id))}</select></label>
    <button type="submit">${TL.filter}</button>
  </form>`;
}

function table(requests: RequestRow[], cells: string[][]): Html {
  const head = PAGE_COLUMNS.map((c) => markup`<th scope="col">${c}</th>`);
  const rows = requests.map((r, i) => {
    const tds = PAGE_COLUMNS.map((c) => {
      const v = cells[i][COL(c)];
      if (c === '编号') {
        return markup`<td data-label="${c}" class="c-code"><a href="/h5/requests/${r.code}">${v}</a><span class="no-print"> <a href="/h5/print/card/${r.code}">${TL.card}</a>${r.refusal ? markup` <a href="/h5/print/refusal/${r.code}">${TL.refusalForm}</a>` : ''}</span></td>`;
      }
      const cls = c === '是否超期' && v === '是' ? ' rp-bad' : '';
      return markup`<td data-label="${c}" class="c-${COL(c)}${cls}">${v}</td>`;
    });
    return markup`<tr data-code="${r.code}">${tds}</tr>`;
  });
  return markup`<table class="rp-ledger"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

export async function ledgerPage(ctx: Context, deps: AppDeps, page: PageFn): Promise<void> {
  const a = guard(ctx, deps, page);
  if (!a) return;
  const dir = deps.directory;
  const { rows, total } = await deps.db.read.reports.ledger(query(a, PAGE_MAX));
  const cells = await ledgerCells(deps.db, dir, rows, a.now);
  const scope = ledgerScope(dir, a);
  const title = TL.ledgerTitle(scope);
  const fq = filterQuery(a.filter);
  const count = total > rows.length ? TL.ledgerCapped(rows.length, total) : TL.ledgerCount(total);
  const monthLabel = a.filter.month ? TL.monthOption(a.filter.month.slice(0, 4), Number(a.filter.month.slice(5, 7))) : TL.allMonths;
  const body = markup`<main class="rp rp-ledger-page">
    <header class="rp-head"><h1>${title}</h1><p class="rp-sub">${monthLabel} · <span id="ledger-count" data-total="${total}">${count}</span></p>
      <p class="rp-actions no-print"><a href="${withQuery('/h5/ledger.xlsx', fq)}" download>${TL.download('Excel')}</a> <a href="${withQuery('/h5/ledger.csv', fq)}" download>${TL.download('CSV')}</a> <button type="button" data-print>${TL.print}</button></p>
      <p class="print-only">${TL.ledgerPrinted(isoShanghai(new Date(a.now)).slice(0, 16).replace('T', ' '))}</p>
    </header>
    ${filters(dir, a)}
    ${rows.length ? table(rows, cells) : markup`<p class="rp-note">${TL.ledgerEmpty}</p>`}
  </main>`.text;
  page(ctx, { title, body, styles: [STYLES], scripts: [`${ASSETS}/print.js`] });
}

/** The remit's name: the township, or the viewer's villages (and their own items). */
function ledgerScope(dir: Directory, a: Asked): string {
  if (!a.remit.villages) return dir.townshipName || TL.township('');
  const own = villagesOf(dir, a.person.id);
  return own.length ? scopeName(dir, new Set(own.map((v) => v.id))) : a.person.name;
}

export async function ledgerDownload(ctx: Context, deps: AppDeps, page: PageFn, kind: 'csv' | 'xlsx'): Promise<void> {
  const a = guard(ctx, deps, page);
  if (!a) return;
  const dir = deps.directory;
  const { rows } = await deps.db.read.reports.ledger(query(a, DOWNLOAD_MAX));
  const cells = await ledgerCells(deps.db, dir, rows, a.now);
  const name = `minqing-ledger-${a.filter.month ?? 'all'}`;
  if (kind === 'csv') {
    ctx.type = 'text/csv; charset=utf-8';
    ctx.attachment(`${name}.csv`);
    ctx.body = toCsv(cells);
  } else {
    ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    ctx.attachment(`${name}.xlsx`);
    ctx.body = await toXlsx(cells, `${TL.ledgerTitle(ledgerScope(dir, a))}${a.filter.month ? `（${a.filter.month}）` : ''}`);
  }
  ctx.set('cache-control', 'private, no-store');
}
