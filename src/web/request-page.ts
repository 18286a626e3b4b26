import crypto from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { RequestRow } from '../db/entities';
import { TP } from '../domain/texts';
import { requestsJson } from '../services/request-json';
import { inTx } from '../operations/tx';
import { actionByKey, PAGE_ACTIONS, type FormContext, type PageAction } from './actions';
import type { WebDeps } from './deps';
import { now, param } from './deps';
import { allowed, pageDoor, standing } from './door';
import { setFlash, takeFlash } from './flash';
import { ASSETS, esc, page } from './layout';
import { refuse } from './refuse';
import { requestPageBody } from './request-view';
import { clientOf, viewer } from './session';
import { viewRefusal } from './visibility';
import { viewerRef, type Viewer } from './viewer';

/** The largest signature accepted (a 600×240 PNG of a finger's strokes is a few tens of KB). */
export const SIGNATURE_MAX_BYTES = 200 * 1024;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The top links of a page: 我的待办 for people, 我反映的事项 for villagers. */
export function navFor(v: Viewer): string {
  return v.kind === 'person' ? `<nav class="top"><a href="/h5/todo">${esc(TP.worklistTitle)}</a></nav>` : `<nav class="top"><a href="/h5/mine">${esc(TP.mineTitle)}</a></nav>`;
}

/** Scripts every page of a request loads: its own, and inside a platform's app that platform's (the JS-SDK). */
export function clientScripts(ctx: Context, w: WebDeps): string[] {
  const client = clientOf(w, ctx);
  if (client) ctx.state.client = client.name;
  return [...(client?.pageScripts?.() ?? []), `${ASSETS}/request.js`];
}

/**
 * The request as the viewer may see it, or null having answered with 404 / 403 (unknown code,
 * another village's request, someone else's request, a link for another request).
 */
async function visibleRequest(ctx: Context, w: WebDeps, v: Viewer): Promise<{ req: RequestRow; s: Awaited<ReturnType<typeof standing>> } | null> {
  const code = param(ctx, 'code');
  const req = /^[\w-]{1,32}$/.test(code) ? await w.app.db.read.requests.byCode(code) : null;
  if (!req) {
    refuse(ctx, w, 404, TP.noSuchRequest(code.slice(0, 32)), 'unknown request code');
    return null;
  }
  const s = await standing(w, req, v);
  const no = viewRefusal(v, req, s.standing, w.app.directory);
  if (no) {
    refuse(ctx, w, 403, no.text, no.reason);
    return null;
  }
  return { req, s };
}

/** Who may put the villager's signature on it: the reporter, or a person working on it; once it is done. */
function maySign(v: Viewer, req: RequestRow, s: Awaited<ReturnType<typeof standing>>): boolean {
  if (!['resolved', 'closed'].includes(req.status)) return false;
  if (v.kind === 'villager') return req.reporterVillagerId === v.villager.id;
  return s.standing.kind === 'person' && (s.standing.isOwner || s.standing.isHandler);
}

export function mountRequestPage(router: Router, w: WebDeps): void {
  const formCtx = (req: RequestRow, v: Viewer): FormContext => ({ req, dir: w.app.directory, platforms: w.app.platforms, viewerId: v.kind === 'person' ? v.person.id : null });

  router.get('/h5/requests/:code', viewer(w, { request: true, linkOk: true }), async (ctx) => {
    const v = ctx.state.viewer as Viewer;
    const found = await visibleRequest(ctx, w, v);
    if (!found) return;
    const { req, s } = found;
    const [json] = await requestsJson(w.app.db, w.app.directory, [req]);
    const sig = await w.app.db.read.pages.latestSignature(req.id);
    const csrf = ctx.state.csrf as string;
    const fc = formCtx(req, v);
    const actionForm = (a: PageAction) =>
      `<details class="action" data-action="${esc(a.key)}"><summary>${esc(a.label)}</summary><form method="post" action="/h5/requests/${esc(req.code)}">` +
      `<input type="hidden" name="_csrf" value="${esc(csrf)}"><input type="hidden" name="op" value="${esc(a.key)}">${a.fields(fc)}` +
      (a.ownButtons ? '' : `<div><button type="submit" class="${a.danger ? 'danger' : 'primary'}">${esc(a.label)}</button></div>`) +
      '</form></details>';
    page(ctx, {
      title: TP.requestTitle(req.code),
      scripts: clientScripts(ctx, w),
      body: requestPageBody({
        req,
        json,
        dir: w.app.directory,
        at: now(w),
        actions: allowed(PAGE_ACTIONS, s.state, s.standing),
        actionForm,
        signature: sig ? { at: sig.at, url: `/h5/requests/${encodeURIComponent(req.code)}/signature.png` } : null,
        canSign: maySign(v, req, s),
        notes: takeFlash(ctx, w),
        csrf,
        nav: navFor(v),
      }),
    });
  });

  router.post('/h5/requests/:code', viewer(w, { request: true, linkOk: true }), async (ctx) => {
    const v = ctx.state.viewer as Viewer;
    const found = await visibleRequest(ctx, w, v);
    if (!found) return;
    const { req, s } = found;
    const form = ctx.state.form as Record<string, string>;
    const action = actionByKey(String(form.op ?? ''));
    if (!action) return refuse(ctx, w, 400, TP.badInput, `unknown page action ${String(form.op).slice(0, 40)}`);
    const input = action.input(form, formCtx(req, v));
    if (typeof input === 'string') {
      setFlash(ctx, w, [input], false);
      w.log.info({ action: action.name, requestId: req.id, reason: input }, 'page action: form incomplete');
    } else {
      // A refusal of the rights matrix is said by perform itself (and logged there); the page shows it.
      const r = await pageDoor(w, v, req.id, action, input);
      const stillAllowed = allowed([action], s.state, s.standing).length > 0;
      setFlash(ctx, w, r.notes.length ? r.notes : r.done ? [TP.actionDone(action.label)] : [], r.done && stillAllowed);
    }
    ctx.status = 303;
    ctx.redirect(`/h5/requests/${encodeURIComponent(req.code)}#actions`);
  });

  router.post('/h5/requests/:code/signature', viewer(w, { request: true, linkOk: true }), async (ctx) => {
    const v = ctx.state.viewer as Viewer;
    const found = await visibleRequest(ctx, w, v);
    if (!found) return;
    const { req, s } = found;
    if (!maySign(v, req, s)) return refuse(ctx, w, 403, ['resolved', 'closed'].includes(req.status) ? TP.signNotAllowed : TP.signNotNow, 'signature not allowed');
    const raw = String((ctx.state.form as Record<string, string>).png ?? '').replace(/^data:image\/png;base64,/, '');
    const png = Buffer.from(raw, 'base64');
    if (!raw || png.length < PNG_MAGIC.length || !png.subarray(0, 8).equals(PNG_MAGIC)) {
      setFlash(ctx, w, [TP.signEmpty], false);
      w.log.info({ requestId: req.id }, 'signature refused: not a PNG');
    } else if (png.length > SIGNATURE_MAX_BYTES) {
      setFlash(ctx, w, [TP.signTooBig], false);
      w.log.info({ requestId: req.id, bytes: png.length }, 'signature refused: too large');
    } else {
      const sha256 = crypto.createHash('sha256').update(png).digest('hex');
      const signer = req.reporterVillagerId ? `villager:${req.reporterVillagerId}` : (req.reporterName ?? '群众');
      const by = viewerRef(v);
      await inTx(w.app, w.log, async (tx) => {
        await tx.pages.addSignature({ requestId: req.id, png: png.toString('base64'), sha256, signer, takenBy: by, at: tx.now });
        await tx.event(req.id, 'signed', by, 'h5', { sha256, signer });
      });
      w.log.info({ requestId: req.id, sha256, by }, 'signature kept');
      setFlash(ctx, w, [TP.signed], true);
    }
    ctx.status = 303;
    ctx.redirect(`/h5/requests/${encodeURIComponent(req.code)}`);
  });

  router.get('/h5/requests/:code/signature.png', viewer(w, { request: true, linkOk: true }), async (ctx) => {
    const v = ctx.state.viewer as Viewer;
    const found = await visibleRequest(ctx, w, v);
    if (!found) return;
    const sig = await w.app.db.read.pages.latestSignature(found.req.id);
    if (!sig) return refuse(ctx, w, 404, TP.notSigned, 'no signature');
    ctx.type = 'image/png';
    ctx.set('cache-control', 'private, no-cache');
    ctx.set('x-content-type-options', 'nosniff');
    ctx.body = Buffer.from(sig.png, 'base64');
  });
}
