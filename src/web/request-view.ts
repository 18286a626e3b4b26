import type { RequestRow } from '../db/entities';
import { CATEGORIES } from '../domain/category';
import type { Directory } from '../domain/directory';
import { LEVEL_ZH, type Level } from '../domain/lifecycle';
import { STATUS_LABELS, TP, TP_EVENTS } from '../domain/texts';
import { shortZh } from '../domain/time';
import type { RequestJson } from '../services/request-json';
import type { PageAction } from './actions';
import { esc } from './layout';

/** One attachment as the media work describes it (docs/interface.md#api `attachments`); all optional here. */
interface AttachmentJson {
  id?: string | number;
  kind?: string;
  status?: string;
  error?: string | null;
  url?: string | null;
  mime?: string | null;
  text?: string | null;
}

const when = (ms: number | null | undefined) => (ms ? shortZh(new Date(ms)) : '');

/** 已超期 / 临期 for an open request's deadline. */
export function dueTag(r: Pick<RequestRow, 'deadline' | 'status'>, at: number): string {
  if (!r.deadline || !['accepted', 'rejection_pending'].includes(r.status)) return '';
  if (r.deadline < at) return `<span class="tag late">${esc(TP.late)}</span>`;
  if (r.deadline - at <= 24 * 3600 * 1000) return `<span class="tag soon">${esc(TP.soon)}</span>`;
  return '';
}

export function actorName(dir: Directory, actor: string, reporterName: string | null): string {
  if (actor.startsWith('person:')) return dir.person(actor.slice(7))?.name ?? actor.slice(7);
  if (actor.startsWith('villager:')) return reporterName ?? '群众';
  return '系统';
}

/** What an event adds in words (the text typed, whom it went to, the new date…). */
function eventDetail(dir: Directory, e: RequestJson['events'][number]): string {
  const d = e.data ?? {};
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const name = (id: unknown) => (typeof id === 'string' ? (dir.person(id)?.name ?? id) : '');
  switch (e.type) {
    case 'forwarded':
      return `转给${name(d.to)}`;
    case 'escalated':
      return `上报到${LEVEL_ZH[d.to as Level] ?? str(d.to)}`;
    case 'deadline_set':
      return typeof d.deadline === 'number' ? `新时限 ${when(d.deadline)}` : '';
    case 'categorized':
      return CATEGORIES[Number(d.category)] ?? '';
    case 'merged':
      return `并入 ${str(d.into)}`;
    case 'merged_in':
      return `并入了 ${str(d.from)}`;
    case 'rated':
      return d.value === 'satisfied' ? TP.satisfied : TP.unsatisfied;
    case 'refusal_filed':
      return `依据：${str(d.basis)}；理由：${str(d.reason)}`;
    case 'supervision_issued':
      return `${name(d.to)}：${str(d.note)}`;
    default: {
      const t = d.text ?? d.result ?? d.comment;
      return typeof t === 'string' ? t : '';
    }
  }
}

function attachmentsHtml(list: AttachmentJson[]): string {
  if (!list.length) return '';
  const items = list.map((a) => {
    if (a.status === 'failed') return `<li>${esc(a.kind ?? '')} · ${esc(TP.attachmentFailed)}${a.error ? `：${esc(a.error)}` : ''}</li>`;
    if (a.status === 'pending' || !a.url) return `<li>${esc(a.kind === 'location' ? (a.text ?? TP.location) : (a.kind ?? ''))}${a.kind === 'location' ? '' : ` · ${esc(TP.attachmentPending)}`}</li>`;
    const url = esc(a.url);
    if (a.kind === 'image') return `<li><a href="${url}"><img src="${url}" alt="照片" loading="lazy"></a></li>`;
    if (a.kind === 'voice') return `<li><audio controls preload="none" src="${url}"></audio>${a.text ? `<p class="muted">${esc(a.text)}</p>` : ''}</li>`;
    if (a.kind === 'video') return `<li><video controls preload="none" src="${url}"></video></li>`;
    return `<li><a href="${url}">${esc(a.text ?? '文件')}</a></li>`;
  });
  return `<section class="card"><h2>${esc(TP.attachments)}</h2><ul class="list">${items.join('')}</ul></section>`;
}

export interface RequestPageData {
  req: RequestRow;
  json: RequestJson & { attachments?: AttachmentJson[] };
  dir: Directory;
  at: number;
  actions: PageAction[];
  actionForm: (a: PageAction) => string;
  signature: { at: number; url: string } | null;
  canSign: boolean;
  notes: { notes: string[]; ok: boolean } | null;
  csrf: string;
  nav: string;
}

/** The request page's HTML: 事由 verbatim, attachments, the fields, 办理过程, 办理结果, 满意度, 签字, the actions. */
export function requestPageBody(d: RequestPageData): string {
  const { req, json, dir } = d;
  const village = dir.village(req.villageId)?.name ?? '未定村';
  const owner = dir.person(req.ownerId);
  const fields: [string, string][] = [
    [TP.status, `${STATUS_LABELS[req.status] ?? req.status} ${dueTag(req, d.at)}`],
    [TP.village, esc(village)],
    [TP.reporter, esc(req.reporterName ?? '群众')],
    [TP.received, esc(when(req.receivedAt))],
  ];
  if (req.deadline) fields.push([TP.deadline, esc(when(req.deadline))]);
  if (owner) fields.push([TP.owner, esc(dir.label(owner))]);
  if (json.handlers.length) fields.push([TP.handlers, esc(json.handlers.map((h) => h.name).join('、'))]);
  if (req.category) fields.push([TP.category, esc(`${req.category} ${CATEGORIES[req.category] ?? ''}`)]);
  const notes = d.notes?.notes.length ? `<div class="note${d.notes.ok ? '' : ' warn'}" role="status">${d.notes.notes.map(esc).join('\n')}</div>` : '';
  const events = json.events
    .map((e) => {
      const detail = eventDetail(dir, e);
      return `<li><div><strong>${esc(TP_EVENTS[e.type] ?? e.type)}</strong> · ${esc(actorName(dir, e.actor, req.reporterName))}</div><div class="muted">${esc(when(Date.parse(e.at)))}</div>${detail ? `<div>${esc(detail)}</div>` : ''}</li>`;
    })
    .join('');
  const refusal = req.refusal
    ? `<section class="card"><h2>${esc(TP.refusal)}</h2><dl class="fields"><dt>${esc(TP.refusalBasis)}</dt><dd>${esc(req.refusal.basis)}</dd><dt>${esc(TP.refusalReason)}</dt><dd>${esc(req.refusal.reason)}</dd></dl></section>`
    : '';
  const rating = req.satisfaction === 'satisfied' ? TP.satisfied : req.satisfaction === 'unsatisfied' ? TP.unsatisfied : req.closeReason === 'no_answer' ? TP.unrated : TP.notRatedYet;
  const sig = d.signature
    ? `<p>${esc(TP.signedAt(when(d.signature.at)))}</p><img class="signature" src="${esc(d.signature.url)}" alt="${esc(TP.signature)}">`
    : `<p class="muted">${esc(TP.notSigned)}</p>`;
  const pad = d.canSign
    ? `<form class="sign-form noprint" method="post" action="/h5/requests/${esc(req.code)}/signature"><input type="hidden" name="_csrf" value="${esc(d.csrf)}"><input type="hidden" name="png" value="">` +
      `<p>${esc(TP.signHere)}</p><canvas class="pad" width="600" height="240"></canvas><p class="muted sign-msg" role="status"></p>` +
      `<button type="button" class="sign-clear">${esc(TP.signClear)}</button><button type="submit" class="primary sign-save">${esc(TP.signSave)}</button></form>`
    : '';
  const showSign = d.signature || d.canSign || ['resolved', 'closed'].includes(req.status);
  const actions = d.actions.length ? d.actions.map(d.actionForm).join('') : `<p class="muted">${esc(TP.noActions)}</p>`;
  return (
    `${d.nav}<h1>${esc(TP.requestTitle(req.code))}</h1>${notes}` +
    `<section class="card"><h2>${esc(TP.reason)}</h2><p class="verbatim">${esc(req.text)}</p><dl class="fields">${fields.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl></section>` +
    attachmentsHtml(Array.isArray(json.attachments) ? json.attachments : []) +
    `<section class="card"><h2>${esc(TP.timeline)}</h2><ol class="timeline">${events}</ol></section>` +
    refusal +
    `<section class="card"><h2>${esc(TP.result)}</h2>${req.result ? `<p class="verbatim">${esc(req.result)}</p>` : `<p class="muted">${esc(TP.noResult)}</p>`}` +
    `<h2>${esc(TP.satisfaction)}</h2><p>${esc(rating)}</p>${showSign ? `<h2>${esc(TP.signature)}</h2>${sig}${pad}` : ''}</section>` +
    `<section class="card noprint" id="actions"><h2>${esc(TP.actions)}</h2>${actions}</section>`
  );
}
