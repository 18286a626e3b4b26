import type Router from '@koa/router';
import type { RequestRow } from '../db/entities';
import type { Directory } from '../domain/directory';
import { approversFor } from '../domain/responsibility';
import { STATUS_LABELS, TP } from '../domain/texts';
import { shortZh } from '../domain/time';
import { truncate } from '../../cards/content';
import type { WebDeps } from './deps';
import { now } from './deps';
import { esc, page } from './layout';
import { dueTag } from './request-view';
import { viewer } from './session';
import type { Viewer } from './viewer';

const DAY_MS = 24 * 3600 * 1000;

export interface TodoGroups {
  overdue: RequestRow[];
  soon: RequestRow[];
  approve: RequestRow[];
  fresh: RequestRow[];
  working: RequestRow[];
  rate: RequestRow[];
}

/**
 * 我的待办 (docs/interface.md#pages): what the person owns or handles — overdue first, then due within a
 * day — then refusals waiting for their approval, new requests whose card they hold, the rest by
 * deadline, and what waits for the villager's rating. Each request appears once, in its first group.
 */
export async function todoOf(w: WebDeps, personId: string, at: number): Promise<TodoGroups> {
  const r = w.app.db.read;
  const mine = await r.requests.mine(personId, await r.handlers.requestIdsOf(personId));
  // Who approves a refusal (approversFor): a village's secretary, or a township leader.
  const me = w.app.directory.person(personId);
  const dir = w.app.directory;
  const leader = Boolean(me?.roles.includes('leader'));
  const villageIds = leader
    ? dir.activeVillages().filter((v) => !dir.person(v.secretaryId)?.active).map((v) => v.id)
    : dir.activeVillages().filter((v) => v.secretaryId === personId).map((v) => v.id);
  // Both sides (a secretary's village refusal they filed themselves goes to a leader) are sorted out by approversFor below.
  const refusals = [...(await r.pages.pendingRefusals({ villageIds, leader })), ...(leader ? await r.pages.pendingRefusals({ villageIds: dir.activeVillages().map((v) => v.id), leader: false }) : [])];
  const approve = refusals.filter((q) => approversFor(w.app.directory, q, q.refusal?.by ?? '').some((p) => p.id === personId));
  const freshIds = await r.pages.openCardRequests(personId, 'new_request');
  const fresh = (await r.requests.byIds(freshIds)).filter((q) => q.status === 'pending').sort((a, b) => a.receivedAt - b.receivedAt);
  const byDeadline = (a: RequestRow, b: RequestRow) => (a.deadline ?? Infinity) - (b.deadline ?? Infinity) || a.id - b.id;
  const seen = new Set<number>();
  const take = (list: RequestRow[]) => list.filter((q) => !seen.has(q.id) && seen.add(q.id));
  const all = [...new Map(mine.map((q) => [q.id, q])).values()].sort(byDeadline);
  const open = all.filter((q) => q.status !== 'resolved');
  return {
    overdue: take(open.filter((q) => q.deadline !== null && q.deadline < at)),
    soon: take(open.filter((q) => q.deadline !== null && q.deadline - at <= DAY_MS)),
    approve: take(approve),
    fresh: take(fresh),
    working: take(open),
    rate: take(all.filter((q) => q.status === 'resolved')),
  };
}

export function requestItem(dir: Directory, q: RequestRow, at: number): string {
  const village = dir.village(q.villageId)?.name ?? '未定村';
  const due = q.deadline && ['accepted', 'rejection_pending'].includes(q.status) ? ` · ${TP.dueAt(shortZh(new Date(q.deadline)))}` : '';
  return (
    `<li><a href="/h5/requests/${esc(encodeURIComponent(q.code))}"><strong>${esc(q.code)}</strong></a> ${dueTag(q, at)}` +
    `<div>${esc(truncate(q.text, 40))}</div><div class="muted">${esc(village)} · ${esc(STATUS_LABELS[q.status] ?? q.status)}${esc(due)}</div></li>`
  );
}

export function mountTodoPage(router: Router, w: WebDeps): void {
  router.get('/h5/todo', viewer(w), async (ctx) => {
    const v = ctx.state.viewer as Viewer;
    if (v.kind !== 'person') return ctx.redirect('/h5/mine');
    const at = now(w);
    const g = await todoOf(w, v.person.id, at);
    const dir = w.app.directory;
    const group = (title: string, list: RequestRow[]) => (list.length ? `<section class="card"><h2>${esc(title)}（${list.length}）</h2><ul class="list">${list.map((q) => requestItem(dir, q, at)).join('')}</ul></section>` : '');
    const body =
      group(TP.worklistOverdue, g.overdue) + group(TP.worklistSoon, g.soon) + group(TP.worklistApprove, g.approve) + group(TP.worklistNew, g.fresh) + group(TP.worklistWorking, g.working) + group(TP.worklistRate, g.rate);
    page(ctx, { title: TP.worklistTitle, body: `<h1>${esc(TP.worklistTitle)}</h1><p class="muted">${esc(TP.hello(v.person.name))}</p>${body || `<p class="card">${esc(TP.worklistNone)}</p>`}` });
  });
}
