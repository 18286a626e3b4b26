import path from 'node:path';
import Router from '@koa/router';
import { TP } from '../domain/texts';
import { mountAuth } from './auth';
import { setFlash, takeFlash } from './flash';
import type { WebDeps } from './deps';
import { ASSETS, page } from './layout';
import { mountMinePage } from './mine-page';
import { mountReports } from './reports';
import { mountRequestPage } from './request-page';
import { viewer } from './session';
import { StaticFolder, WEB_ROOT } from './static';
import { mountTodoPage } from './todo-page';

/**
 * Every page under /h5/ (docs/interface.md#pages): the logins, the request page with its actions,
 * 我的待办, the villager's own page, and the pages' files (src/web/pages) under /h5/assets.
 */
export function h5Router(w: WebDeps): Router {
  const r = new Router();
  new StaticFolder(path.join(WEB_ROOT, 'pages')).mount(r, ASSETS);
  mountAuth(r, w);
  mountRequestPage(r, w);
  mountTodoPage(r, w);
  mountMinePage(r, w);
  // The leaders' and clerks' pages (dashboard, 销号台账, 民情日记, printable forms).
  mountReports(r, w.app, {
    page,
    guard: viewer(w),
    flash: { set: (ctx, notes, ok) => setFlash(ctx, w, notes, ok), take: (ctx) => takeFlash(ctx, w) },
    signature: async (requestId) => {
      const s = await w.app.db.read.pages.latestSignature(requestId);
      return s ? Buffer.from(s.png, 'base64') : null;
    },
  });
  r.get('/h5', (ctx) => ctx.redirect('/h5/todo'));
  r.get('/h5/*rest', (ctx) => {
    if (ctx.status === 404 && ctx.body == null) page(ctx, { status: 404, title: TP.notFoundTitle, body: `<div class="card"><h1>${TP.notFoundTitle}</h1><p>${TP.noSuchPage}</p></div>` });
  });
  return r;
}
