import type { Context } from 'koa';
import type { Person } from '../../domain/directory';
import { TL } from '../../domain/texts';
import { markup, Html } from './html';

/** Who is looking, as the session middleware in front of these routes leaves it in `ctx.state.viewer`. */
export type { Viewer } from '../viewer';
import type { Viewer } from '../viewer';

/** Writes a whole HTML page (the page shell): title, body, optional status, scripts and styles (URLs). */
export type PageFn = (ctx: Context, p: { title: string; body: string; status?: number; scripts?: string[]; styles?: string[] }) => void;

/** What a page action said, carried across its redirect (src/web/flash.ts in the app). */
export interface Flash {
  set(ctx: Context, notes: string[], ok: boolean): void;
  take(ctx: Context): { notes: string[]; ok: boolean } | null;
}

export function viewerOf(ctx: Context): Viewer {
  const v = (ctx.state as { viewer?: Viewer }).viewer;
  if (!v) throw new Error('no viewer: the session middleware must run before the report pages');
  return v;
}

/** A Chinese page with a status (403, 404, 400) and one log line saying why. */
export function refuse(ctx: Context, page: PageFn, status: 403 | 404 | 400, title: string, says: string, log: { info(o: object, msg: string): void }, reason: string): void {
  log.info({ path: ctx.path, status, reason }, 'page refused');
  page(ctx, { title, status, body: markup`<main class="rp-refused"><h1>${title}</h1><p>${says}</p><p><a href="/h5/todo">${TL.backToWorklist}</a></p></main>`.text, styles: [STYLES] });
}

/** The viewer as a person, or a refusal (a villager's link opens their own request, nothing here). */
export function personOrRefuse(ctx: Context, page: PageFn, log: { info(o: object, msg: string): void }): Person | null {
  const v = viewerOf(ctx);
  if (v.kind === 'person' && v.person.active) return v.person;
  refuse(ctx, page, 403, TL.refusedTitle, TL.staffOnly, log, v.kind === 'villager' ? 'villager on a staff page' : 'inactive person');
  return null;
}

/** A route parameter as a string ('' when absent). */
export function param(ctx: Context, name: string): string {
  const v = (ctx.params as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

export const ASSETS = '/h5/reports/assets';
export const STYLES = `${ASSETS}/reports.css`;

export type { Html };
