import type Router from '@koa/router';
import { TP } from '../domain/texts';
import type { WebDeps } from './deps';
import { now } from './deps';
import { esc, page } from './layout';
import { viewer } from './session';
import { requestItem } from './todo-page';
import type { Viewer } from './viewer';

/** The villager's own page (docs/interface.md#pages): their requests, newest first; each opens its page (满意/不满意, 申诉, 签字). */
export function mountMinePage(router: Router, w: WebDeps): void {
  router.get('/h5/mine', viewer(w), async (ctx) => {
    const v = ctx.state.viewer as Viewer;
    if (v.kind !== 'villager') return ctx.redirect('/h5/todo');
    const list = await w.app.db.read.requests.ofVillager(v.villager.id, { open: false, take: 50 });
    const at = now(w);
    const items = list.map((q) => requestItem(w.app.directory, q, at)).join('');
    page(ctx, {
      title: TP.mineTitle,
      body: `<h1>${esc(TP.mineTitle)}</h1><p class="muted">${esc(TP.hello(v.villager.name ?? '群众'))}</p>${items ? `<section class="card"><ul class="list">${items}</ul></section>` : `<p class="card">${esc(TP.mineNone)}</p>`}`,
    });
  });
}
