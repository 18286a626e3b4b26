import path from 'node:path';
import Router from '@koa/router';
import { TP } from '../domain/texts';
import { mountAuth } from './auth';
import type { WebDeps } from './deps';
import { ASSETS, page } from './layout';
import { mountMinePage } from './mine-page';
// The leaders' pages (dashboard, 销号台账, 民情日记, printable forms) are mounted here at merge:
// import { mountReports } from './reports';
import { mountRequestPage } from './request-page';
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
  // mountReports(r, w, { page });
  r.get('/h5', (ctx) => ctx.redirect('/h5/todo'));
  r.get('/h5/*rest', (ctx) => {
    if (ctx.status === 404 && ctx.body == null) page(ctx, { status: 404, title: TP.notFoundTitle, body: `<div class="card"><h1>${TP.notFoundTitle}</h1><p>${TP.noSuchPage}</p></div>` });
  });
  return r;
}
