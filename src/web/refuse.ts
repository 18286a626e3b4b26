import type { Context } from 'koa';
import { TP } from '../domain/texts';
import type { WebDeps } from './deps';
import { esc, page } from './layout';

/**
 * A page that says no (docs/interface.md#pages): the status, a short Chinese page saying what to do,
 * and one log line with the reason. Nothing has changed when this is called.
 */
export function refuse(ctx: Context, w: WebDeps, status: number, text: string, reason: string, o: { title?: string; extra?: string } = {}): void {
  w.log.info({ path: ctx.path, method: ctx.method, status, reason, viewer: viewerOf(ctx) }, 'page refused');
  const title = o.title ?? (status === 404 ? TP.notFoundTitle : status === 401 ? TP.loginTitle : TP.forbiddenTitle);
  page(ctx, { status, title, body: `<div class="card"><h1>${esc(title)}</h1><p>${esc(text)}</p>${o.extra ?? ''}</div>` });
}

function viewerOf(ctx: Context): string | undefined {
  const v = ctx.state.viewer as { kind: string; person?: { id: string }; villager?: { id: number } } | undefined;
  return v ? (v.kind === 'person' ? `person:${v.person?.id}` : `villager:${v.villager?.id}`) : undefined;
}
