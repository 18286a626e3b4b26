import path from 'node:path';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppDeps } from '../../operations/tx';
import { StaticFolder } from '../static';
import { dashboardPage, trendJson } from './dashboard';
import { diaryPage, diaryReviewPost } from './diary';
import { ledgerDownload, ledgerPage } from './ledger';
import { cardPage, refusalPage, SignatureLoader, signatureImage, supervisionPage } from './printables';
import { ASSETS, Flash, PageFn } from './viewer';

export type { Flash, PageFn, Viewer } from './viewer';
export type { SignatureLoader } from './printables';

export interface ReportsOptions {
  /** The page shell: writes a whole HTML page. */
  page: PageFn;
  /** The villager's 申办人签字 for a request (PNG, JPEG, WebP or SVG), printed on its 受理卡; null when not yet signed. */
  signature?: SignatureLoader;
  /** In front of every page (not the assets): who is looking (src/web/session.ts `viewer`). */
  guard?: Middleware;
  /** What a POST said, shown after its redirect; absent, the page shows the recorded state only. */
  flash?: Flash;
}

/** echarts' smallest build (line, bar, pie on canvas: 169 KB gzip), served from the package, never a CDN. */
const ECHARTS_DIST = path.dirname(require.resolve('echarts/dist/echarts.simple.min.js'));

/**
 * The leaders' and clerks' pages (docs/interface.md#dashboard-and-ledger): the dashboard and its trend,
 * the 销号台账 with its downloads, a cadre's 民情日记 book, and the printed forms. Every route reads the
 * viewer from `ctx.state.viewer` (set by the session middleware in front) and refuses, with a
 * Chinese page, a viewer without the right. Their scripts and styles are under /h5/reports/assets/.
 */
export function mountReports(router: Router, deps: AppDeps, o: ReportsOptions): void {
  const { page } = o;
  const guarded = o.guard ? [o.guard] : [];
  const get = (route: string, handler: Middleware) => router.get(route, ...guarded, handler);
  get('/h5/dashboard', (ctx) => dashboardPage(ctx, deps, page));
  get('/h5/dashboard/trend.json', (ctx) => trendJson(ctx, deps, page));
  get('/h5/ledger', (ctx) => ledgerPage(ctx, deps, page));
  get('/h5/ledger.csv', (ctx) => ledgerDownload(ctx, deps, page, 'csv'));
  get('/h5/ledger.xlsx', (ctx) => ledgerDownload(ctx, deps, page, 'xlsx'));
  get('/h5/diary/:personId', (ctx) => diaryPage(ctx, deps, page, o.flash));
  router.post('/h5/diary/:personId/review', ...guarded, (ctx) => diaryReviewPost(ctx, deps, page, 'review', o.flash));
  router.post('/h5/diary/:personId/self', ...guarded, (ctx) => diaryReviewPost(ctx, deps, page, 'self', o.flash));
  get('/h5/print/card/:code', (ctx) => cardPage(ctx, deps, page, o.signature));
  get('/h5/print/card/:code/signature', (ctx) => signatureImage(ctx, deps, page, o.signature));
  get('/h5/print/refusal/:code', (ctx) => refusalPage(ctx, deps, page));
  get('/h5/print/supervision/:id', (ctx) => supervisionPage(ctx, deps, page));

  const own = new StaticFolder(path.join(__dirname, 'assets'));
  const vendor = new StaticFolder(ECHARTS_DIST, { cacheControl: 'public, max-age=604800' });
  router.get(`${ASSETS}/echarts.simple.min.js`, async (ctx) => {
    await vendor.serve(ctx, 'echarts.simple.min.js');
  });
  own.mount(router, ASSETS);
}
