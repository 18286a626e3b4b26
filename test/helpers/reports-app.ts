import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import { createKoa } from '../../src/http/app';
import { mountReports, PageFn, ReportsOptions, Viewer } from '../../src/web/reports';
import { esc } from '../../src/web/reports/html';
import { Harness, startHarness } from './harness';

/**
 * The report pages over a real app (test/helpers/harness.ts: its database, directory and clock),
 * mounted on a Koa app of their own behind a stand-in for the session middleware: the viewer comes
 * from the `x-viewer` header or the `test-viewer` cookie, `person:ID` or `villager:ID` (neither: 401, as the real middleware
 * answers). The page shell is a plain HTML page with the viewport of a phone.
 */
export const VIEWER_HEADER = 'x-viewer';
/** The same in a cookie (the browser tests: a session travels in a cookie, and a download's request carries no extra headers). */
export const VIEWER_COOKIE = 'test-viewer';

export const testPage: PageFn = (ctx, p) => {
  ctx.status = p.status ?? 200;
  ctx.type = 'text/html; charset=utf-8';
  const styles = (p.styles ?? []).map((s) => `<link rel="stylesheet" href="${esc(s)}">`).join('');
  const scripts = (p.scripts ?? []).map((s) => `<script src="${esc(s)}" defer></script>`).join('');
  ctx.body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(p.title)}</title>${styles}</head><body style="margin:0">${p.body}${scripts}</body></html>`;
};

export interface ReportsApp {
  h: Harness;
  base: string;
  /** GET a path as a viewer (`person:wang`, `villager:3`, or null for none). */
  get(path: string, viewer: string | null): Promise<Response>;
  close(): Promise<void>;
}

export async function startReports(o: Parameters<typeof startHarness>[0] & { reports?: Partial<ReportsOptions> }): Promise<ReportsApp> {
  const h = await startHarness(o);
  const deps = h.app.deps;
  const router = new Router();
  router.use(async (ctx, next) => {
    const v = ctx.get(VIEWER_HEADER) || decodeURIComponent(ctx.cookies.get(VIEWER_COOKIE) ?? '');
    let viewer: Viewer | undefined;
    if (v.startsWith('person:')) {
      const person = deps.directory.person(v.slice(7));
      if (person) viewer = { kind: 'person', person };
    } else if (v.startsWith('villager:')) {
      const villager = await deps.db.read.villagers.byId(Number(v.slice(9)));
      if (villager) viewer = { kind: 'villager', villager };
    }
    if (!viewer && !ctx.path.startsWith('/h5/reports/assets/')) {
      ctx.status = 401;
      ctx.body = 'no viewer';
      return;
    }
    (ctx.state as { viewer?: Viewer }).viewer = viewer;
    await next();
  });
  mountReports(router, deps, { page: testPage, ...o.reports });
  const koa = createKoa(deps.log, [router]);
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Koa's handler catches every error itself
  const server = http.createServer(koa.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    h,
    base,
    get: (path, viewer) => fetch(`${base}${path}`, { headers: viewer ? { [VIEWER_HEADER]: viewer } : {} }),
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await h.close();
    },
  };
}
