import zlib from 'node:zlib';
import type { Context } from 'koa';
import { acceptsGzip } from './static';

/**
 * The frame of every page under /h5/ (docs/interface.md#pages): a complete Chinese HTML document for
 * a phone (375 px wide, nothing scrolls sideways), with the base CSS (src/web/pages/base.css, also
 * good on paper) and the page's own scripts and styles, all from this server.
 */
export interface PageOptions {
  title: string;
  /** The page's HTML, already escaped where it holds data (`esc`). */
  body: string;
  status?: number;
  /** Script URLs (same origin), loaded deferred, in order. */
  scripts?: string[];
  /** Stylesheet URLs (same origin), after the base CSS. */
  styles?: string[];
  /** Attributes of <body>, e.g. { 'data-csrf': token } (values escaped here). */
  data?: Record<string, string>;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes text for element content and quoted attribute values. */
export function esc(v: string | number | null | undefined): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ESC[c]);
}

/** Where the pages' own files are served (src/web/pages). */
export const ASSETS = '/h5/assets';

/** Everything from this server; inline scripts never run. */
export const PAGE_CSP = "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

export function pageHtml(o: PageOptions): string {
  const data = Object.entries(o.data ?? {})
    .map(([k, v]) => ` ${k.replace(/[^a-z0-9-]/gi, '')}="${esc(v)}"`)
    .join('');
  const styles = [`${ASSETS}/base.css`, ...(o.styles ?? [])].map((s) => `<link rel="stylesheet" href="${esc(s)}">`).join('');
  const scripts = (o.scripts ?? []).map((s) => `<script defer src="${esc(s)}"></script>`).join('');
  return (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">' +
    '<meta name="format-detection" content="telephone=no">' +
    `<title>${esc(o.title)} · 民情直通车</title>${styles}${scripts}</head>` +
    `<body${data}><main>${o.body}</main></body></html>`
  );
}

/** Writes the page into `ctx`: status (default 200), HTML, no caching, the pages' CSP. */
export function page(ctx: Context, o: PageOptions): void {
  ctx.status = o.status ?? 200;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('cache-control', 'no-store');
  ctx.set('content-security-policy', PAGE_CSP);
  ctx.set('x-content-type-options', 'nosniff');
  ctx.set('referrer-policy', 'same-origin');
  const csrf = ctx.state.csrf as string | undefined;
  const html = pageHtml({ ...o, data: { ...(csrf ? { 'data-csrf': csrf } : {}), ...(ctx.state.client ? { 'data-client': String(ctx.state.client) } : {}), ...o.data } });
  // Villages have weak 4G: a page of more than a packet goes gzipped to a browser that takes it.
  ctx.vary('accept-encoding');
  if (html.length > 1400 && acceptsGzip(ctx.get('accept-encoding') || undefined)) {
    ctx.set('content-encoding', 'gzip');
    ctx.body = zlib.gzipSync(html, { level: 6 });
  } else {
    ctx.body = html;
  }
}
