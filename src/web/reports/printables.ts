import type { Context } from 'koa';
import type { RequestRow } from '../../db/entities';
import { TIER_LABELS, Tier } from '../../domain/deadline';
import type { Directory } from '../../domain/directory';
import { inRemit, ledgerRemit, mayReadSupervision } from '../../domain/page-remit';
import { isoShanghai } from '../../domain/time';
import { STATUS_LABELS, TL, TR } from '../../domain/texts';
import type { AppDeps } from '../../operations/tx';
import { markup, Html } from './html';
import { actorName, eventDetail } from './timeline';
import { ASSETS, PageFn, param, personOrRefuse, refuse, STYLES } from './viewer';

/**
 * The printed forms (docs/interface.md#dashboard-and-ledger), each one A4 page:
 * - /h5/print/card/:code — 代办事项受理卡 (seed 004 §二.3): the matter, who took it, the promised time,
 *   how it was done, and the 申办人签字 the villager gives at 办结 ("由申办人在受理卡办结栏内签字"), printed
 *   from /h5/print/card/:code/signature when there is one, an empty box to sign otherwise;
 * - /h5/print/refusal/:code — 否定报备表 (seed 003, 否定报备制度): 依据, 理由, who filed it, who decided, when;
 * - /h5/print/supervision/:id — 督办单 (seed 004 §二.4): the leader's order, its person, time limit and outcome.
 * Who may print a request's forms: whoever has it in their ledger remit.
 */
export type SignatureLoader = (requestId: number) => Promise<Buffer | null>;

const when = (ms: number | null | undefined) => (ms ? isoShanghai(new Date(ms)).slice(0, 16).replace('T', ' ') : '');

function form(title: string, township: string, rows: [string, Html | string][], note: string, extra: Html | string = ''): Html {
  return markup`<main class="rp rp-form">
    <p class="rp-actions no-print"><button type="button" data-print>${TL.print}</button></p>
    <h1>${township}${title}</h1>
    <table class="rp-formtable"><tbody>${rows.map(([k, v]) => markup`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody></table>
    ${extra}<p class="rp-formnote">${note}</p></main>`;
}

/** The request named by `:code`, if the viewer may print its forms; otherwise the refusal is written. */
async function requestFor(ctx: Context, deps: AppDeps, page: PageFn): Promise<RequestRow | null> {
  const viewer = personOrRefuse(ctx, page, deps.log);
  if (!viewer) return null;
  const code = param(ctx, 'code');
  const r = /^[A-Za-z0-9-]{1,20}$/.test(code) ? await deps.db.read.requests.byCode(code) : null;
  if (!r) {
    refuse(ctx, page, 404, TL.notFoundTitle, TL.noSuchRequest(code), deps.log, `print: no request ${code}`);
    return null;
  }
  const remit = ledgerRemit(deps.directory, viewer);
  if (!remit || !inRemit(remit, r, await deps.db.read.handlers.ids(r.id))) {
    refuse(ctx, page, 403, TL.refusedTitle, TL.requestNotYours, deps.log, `print: ${r.code} outside ${viewer.id}'s remit`);
    return null;
  }
  return r;
}

const nameOf = (dir: Directory, id: string | null | undefined) => (id ? (dir.person(id)?.name ?? id) : '');

export async function cardPage(ctx: Context, deps: AppDeps, page: PageFn, signature: SignatureLoader | undefined): Promise<void> {
  const r = await requestFor(ctx, deps, page);
  if (!r) return;
  const dir = deps.directory;
  const F = TL.cardFields;
  const villager = r.reporterVillagerId !== null ? await deps.db.read.villagers.byId(r.reporterVillagerId) : null;
  const events = await deps.db.read.reports.eventsOf([r.id]);
  const process = events
    .filter((e) => ['forwarded', 'escalated', 'progress', 'notice', 'refusal_filed', 'refusal_denied', 'reopened'].includes(e.type))
    .map((e) => `${when(e.at)} ${actorName(dir, e.actor, r.reporterName)} ${TL.events[e.type]}${eventDetail(dir, e) ? `：${eventDetail(dir, e)}` : ''}`);
  const signed = signature ? await signature(r.id) : null;
  const sign = signed
    ? markup`<img class="rp-signature" src="/h5/print/card/${r.code}/signature" alt="${F.signature}">`
    : markup`<div class="rp-sign-box" aria-label="${F.signature}">${TL.unsigned}</div>`;
  const rating =
    r.satisfaction === 'satisfied' ? TL.rating.satisfied : r.satisfaction === 'unsatisfied' ? TL.rating.unsatisfied : r.closeReason === 'no_answer' ? TL.rating.none : '';
  const rows: [string, Html | string][] = [
    [F.code, r.code],
    [F.reporter, r.reporterName ?? villager?.name ?? ''],
    [F.village, dir.village(r.villageId)?.name ?? TR.townshipLevel],
    [F.phone, villager?.phone ?? ''],
    [F.receivedAt, when(r.acceptedAt ?? r.receivedAt)],
    [F.matter, markup`<span class="rp-verbatim">${r.text}</span>`],
    [F.owner, nameOf(dir, r.ownerId)],
    [F.tier, TIER_LABELS[r.tier as Tier] ?? r.tier],
    [F.deadline, when(r.deadline)],
    [F.process, markup`${process.map((l) => markup`${l}<br>`)}`],
    [F.result, markup`${r.result ?? STATUS_LABELS[r.status] ?? ''}`],
    [F.resolvedAt, when(r.resolvedAt)],
    [F.signature, sign],
    [F.rating, rating],
  ];
  page(ctx, { title: `${r.code} ${TL.cardTitle}`, body: form(TL.cardTitle, dir.townshipName, rows, TL.cardNote).text, styles: [STYLES], scripts: [`${ASSETS}/print.js`] });
}

/** The villager's signature image for the card, with the same rights as the card. */
export async function signatureImage(ctx: Context, deps: AppDeps, page: PageFn, signature: SignatureLoader | undefined): Promise<void> {
  const r = await requestFor(ctx, deps, page);
  if (!r) return;
  const bytes = signature ? await signature(r.id) : null;
  if (!bytes) return refuse(ctx, page, 404, TL.notFoundTitle, TL.noSignature(r.code), deps.log, `print: no signature for ${r.code}`);
  ctx.type = imageType(bytes);
  ctx.set('cache-control', 'private, no-store');
  ctx.set('x-content-type-options', 'nosniff');
  ctx.body = bytes;
}

/** PNG, JPEG, WebP or SVG, from the first bytes (a signature pad gives one of these). */
export function imageType(b: Buffer): string {
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg';
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(b.subarray(0, 512).toString('utf8'))) return 'image/svg+xml';
  return 'application/octet-stream';
}

export async function refusalPage(ctx: Context, deps: AppDeps, page: PageFn): Promise<void> {
  const r = await requestFor(ctx, deps, page);
  if (!r) return;
  const dir = deps.directory;
  const f = r.refusal;
  if (!f) return refuse(ctx, page, 404, TL.notFoundTitle, TL.noRefusal(r.code), deps.log, `print: ${r.code} has no refusal`);
  const events = await deps.db.read.reports.eventsOf([r.id]);
  const filed = [...events].reverse().find((e) => e.type === 'refusal_filed');
  const decided = [...events].reverse().find((e) => e.type === 'refusal_approved' || e.type === 'refusal_denied');
  const approvers = f.decidedBy ? [f.decidedBy] : Array.isArray(filed?.data?.approvers) ? (filed.data.approvers as string[]) : [];
  const F = TL.refusalFields;
  const rows: [string, Html | string][] = [
    [F.code, r.code],
    [F.reporter, r.reporterName ?? ''],
    [F.matter, markup`<span class="rp-verbatim">${r.text}</span>`],
    [F.receivedAt, when(r.receivedAt)],
    [F.filedBy, nameOf(dir, f.by)],
    [F.filedAt, when(f.at)],
    [F.basis, f.basis],
    [F.reason, f.reason],
    [F.approver, approvers.map((id) => nameOf(dir, id)).join('、')],
    [F.decision, TL.decision[f.decision ?? 'pending']],
    [F.decidedAt, f.decision ? when(decided?.at) : ''],
    [F.comment, f.comment ?? ''],
  ];
  page(ctx, { title: `${r.code} ${TL.refusalTitle}`, body: form(TL.refusalTitle, dir.townshipName, rows, TL.refusalNote).text, styles: [STYLES], scripts: [`${ASSETS}/print.js`] });
}

export async function supervisionPage(ctx: Context, deps: AppDeps, page: PageFn): Promise<void> {
  const viewer = personOrRefuse(ctx, page, deps.log);
  if (!viewer) return;
  const dir = deps.directory;
  const id = param(ctx, 'id');
  const s = /^\d{1,9}$/.test(id) ? await deps.db.read.reports.supervision(Number(id)) : null;
  if (!s) return refuse(ctx, page, 404, TL.notFoundTitle, TL.noSuchSupervision(id), deps.log, `print: no supervision ${id}`);
  const req = s.requestId !== null ? await deps.db.read.requests.byId(s.requestId) : null;
  const remit = ledgerRemit(dir, viewer);
  const held = Boolean(req && remit && inRemit(remit, req, await deps.db.read.handlers.ids(req.id)));
  if (!mayReadSupervision(viewer, s, held)) return refuse(ctx, page, 403, TL.refusedTitle, TL.supervisionNotYours, deps.log, `print: supervision ${s.id} not for ${viewer.id}`);
  const F = TL.supervisionFields;
  const late = s.status === 'open' && s.deadline < deps.clock.now().getTime();
  const rows: [string, Html | string][] = [
    [F.id, `#${s.id}`],
    [F.request, req ? `${req.code}（${dir.village(req.villageId)?.name ?? TR.townshipLevel}）` : ''],
    [F.matter, req ? markup`<span class="rp-verbatim">${req.text}</span>` : ''],
    [F.issuedBy, nameOf(dir, s.issuedBy)],
    [F.issuedAt, when(s.createdAt)],
    [F.person, nameOf(dir, s.personId)],
    [F.note, s.note],
    [F.deadline, when(s.deadline)],
    [F.status, s.status === 'done' ? `${TL.supDone}：${s.result ?? ''}` : late ? TL.supLate : TL.supOpen],
    [F.doneAt, when(s.doneAt)],
  ];
  page(ctx, {
    title: `${TL.supervisionTitle} #${s.id}`,
    body: form(TL.supervisionTitle, dir.townshipName, rows, TL.supervisionNote).text,
    styles: [STYLES],
    scripts: [`${ASSETS}/print.js`],
  });
}
