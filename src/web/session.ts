import crypto from 'node:crypto';
import type { Context, Next } from 'koa';
import { TP } from '../domain/texts';
import { rawBody } from '../http/raw-body';
import type { PlatformAdapter } from '../platform/types';
import { now, param, type WebDeps } from './deps';
import { esc } from './layout';
import { refuse } from './refuse';
import { csrfOf, LinkData, sameToken, sign, Signed, verify } from './tokens';
import { type Viewer, type ViewerRef } from './viewer';

/**
 * Who is looking (docs/interface.md#pages): one signed session cookie (HttpOnly, SameSite=Lax), set
 * after a login or by a signed link, and a CSRF token for every POST. `viewer()` is the middleware
 * every page sits behind: it sets `ctx.state.viewer` (and `ctx.state.csrf`) or answers itself —
 * 302 to the platform's login, 401, 403 or 404, each with a Chinese page and one log line.
 */
export const SESSION_COOKIE = 'mq_s';
export const LOGIN_COOKIE = 'mq_o';
export const SESSION_TTL_MS = 12 * 3600 * 1000;
const LOGIN_TTL_MS = 10 * 60 * 1000;
/** A signature PNG (base64) fits; anything else is a few hundred bytes. */
export const FORM_LIMIT = 512 * 1024;

export interface SessionData extends Signed {
  w: ViewerRef;
  /** The CSRF token's nonce. */
  n: string;
  /** Set when the session came from a link for this request id. */
  l?: number;
}

/** The login under way: the OAuth `state`, the platform, and the page to go back to. */
export interface LoginData extends Signed {
  s: string;
  p: string;
  next: string;
}

function cookie(ctx: Context, name: string, value: string | null, maxAgeMs: number): void {
  ctx.cookies.set(name, value, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: value ? maxAgeMs : 0, secure: ctx.secure, overwrite: true });
}

/** A path of our own pages to go back to after a login (never anywhere else). */
export function safeNext(next: unknown, fallback = '/h5/todo'): string {
  return typeof next === 'string' && /^\/h5\/[^\\]*$/.test(next) && !next.startsWith('//') && next.length < 1024 ? next : fallback;
}

export async function loadViewer(w: WebDeps, ref: string): Promise<Viewer | null> {
  const m = /^(person|villager):(.+)$/.exec(ref);
  if (!m) return null;
  if (m[1] === 'person') {
    const person = w.app.directory.person(m[2]);
    return person?.active ? { kind: 'person', person } : null;
  }
  const villager = /^\d+$/.test(m[2]) ? await w.app.db.read.villagers.byId(Number(m[2])) : null;
  return villager?.active ? { kind: 'villager', villager } : null;
}

/** Starts a session for `ref`; returns its CSRF token. */
export function startSession(ctx: Context, w: WebDeps, ref: ViewerRef, link?: { requestId: number; exp: number }): string {
  const n = crypto.randomBytes(12).toString('base64url');
  const exp = link ? link.exp : now(w) + SESSION_TTL_MS;
  cookie(ctx, SESSION_COOKIE, sign<SessionData>(w.secret, 'session', { w: ref, n, exp, ...(link ? { l: link.requestId } : {}) }), exp - now(w));
  return csrfOf(w.secret, n);
}

export function readSession(ctx: Context, w: WebDeps): SessionData | null {
  const v = verify<SessionData>(w.secret, 'session', ctx.cookies.get(SESSION_COOKIE), now(w));
  return v.ok ? v.data : null;
}

/** The adapter whose app this page is opened in, if any. */
export function clientOf(w: WebDeps, ctx: Context): PlatformAdapter | undefined {
  const ua = ctx.get('user-agent');
  return w.app.platforms.all().find((a) => a.isClient?.(ua));
}

/** Begins a login with `adapter`: a fresh state in a short cookie, to be checked when the platform comes back. */
export function beginLogin(ctx: Context, w: WebDeps, adapter: PlatformAdapter, next: string): string {
  const s = crypto.randomBytes(16).toString('hex');
  cookie(ctx, LOGIN_COOKIE, sign<LoginData>(w.secret, 'oauth', { s, p: adapter.name, next, exp: now(w) + LOGIN_TTL_MS }), LOGIN_TTL_MS);
  return s;
}

/** The login under way, if `state` is the one this browser was given for `platform`. */
export function checkLogin(ctx: Context, w: WebDeps, platform: string, state: unknown): LoginData | null {
  const v = verify<LoginData>(w.secret, 'oauth', ctx.cookies.get(LOGIN_COOKIE), now(w));
  if (!v.ok || typeof state !== 'string' || v.data.p !== platform || !sameToken(v.data.s, state)) return null;
  cookie(ctx, LOGIN_COOKIE, null, 0);
  return v.data;
}

/** No session: the platform's login (302 to its OAuth, or its app's script), else a 401 page that says how. */
function noSession(ctx: Context, w: WebDeps): void {
  const next = safeNext(ctx.originalUrl);
  const client = clientOf(w, ctx);
  const adapters = w.app.platforms.all();
  if (ctx.method === 'GET' && client?.pageLogin === 'client') {
    const state = beginLogin(ctx, w, client, next);
    ctx.state.client = client.name;
    return refuse(ctx, w, 401, TP.loginDingtalk, 'no session; logging in inside the platform app', {
      extra: `<p class="muted" id="login-status" data-platform="${esc(client.name)}" data-state="${esc(state)}" data-next="${esc(next)}"></p>${(client.pageScripts?.() ?? [])
        .concat('/h5/assets/login.js')
        .map((s) => `<script src="${esc(s)}"></script>`)
        .join('')}`,
    });
  }
  const oauth = adapters.find((a) => a.pageLogin === 'oauth' && typeof a.loginUrl === 'function');
  if (ctx.method === 'GET' && oauth && (!client || client === oauth)) {
    const state = beginLogin(ctx, w, oauth, next);
    w.log.info({ path: ctx.path, platform: oauth.name }, 'page without a session: sent to the platform login');
    ctx.redirect(oauth.loginUrl?.(`${w.app.publicBaseUrl}/h5/auth/${oauth.name}`, state) ?? '/h5/');
    return;
  }
  const picker = adapters.find((a) => a.pageLogin === 'picker');
  const extra = picker ? `<p>${esc(TP.loginSandbox)}</p><p><a class="button primary" href="/sandbox">${esc(TP.loginSandboxLink)}</a></p>` : '';
  refuse(ctx, w, 401, TP.loginHow, 'no session', { extra });
}

/** Reads a POST's form (urlencoded or JSON) into `ctx.state.form`. */
async function readForm(ctx: Context, limit: number): Promise<Record<string, string>> {
  await rawBody({ limit })(ctx, () => Promise.resolve());
  const raw = (ctx.state.rawBody as Buffer).toString('utf8');
  if (ctx.is('application/json')) {
    try {
      const j = JSON.parse(raw) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(j ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

export interface ViewerOptions {
  /** Pages of one request (`:code`): a link (`?t=`) opens it. */
  request?: boolean;
  /** Whether a person who came by a link may see this page (only its request's page). */
  linkOk?: boolean;
}

/**
 * The middleware in front of every page: a link (`?t=`) becomes a session for its one request and the
 * address is cleaned of it; a session becomes `ctx.state.viewer`; a POST must carry the session's
 * CSRF token (`_csrf` field or `x-csrf-token` header) and its form lands in `ctx.state.form`.
 */
export function viewer(w: WebDeps, o: ViewerOptions = {}) {
  return async function requireViewer(ctx: Context, next: Next): Promise<void> {
    const t = ctx.query.t;
    if (o.request && ctx.method === 'GET' && t !== undefined) {
      const v = verify<LinkData>(w.secret, 'link', typeof t === 'string' ? t : null, now(w));
      if (!v.ok) return refuse(ctx, w, 403, v.why === 'expired' ? TP.linkExpired : TP.linkBad, `link ${v.why}`);
      const code = param(ctx, 'code').slice(0, 32);
      const req = await w.app.db.read.requests.byCode(code);
      if (!req) return refuse(ctx, w, 404, TP.noSuchRequest(code), 'unknown request code (link)');
      if (req.id !== v.data.r) return refuse(ctx, w, 403, TP.linkOtherRequest, `link for request ${v.data.r} used on ${req.id}`);
      const who = await loadViewer(w, v.data.w);
      if (!who) return refuse(ctx, w, 403, TP.notListed, `link recipient ${v.data.w} unknown or inactive`);
      const current = readSession(ctx, w);
      if (!(current && current.w === v.data.w && !current.l)) startSession(ctx, w, v.data.w as ViewerRef, { requestId: req.id, exp: v.data.exp });
      const rest = new URLSearchParams(ctx.querystring);
      rest.delete('t');
      ctx.redirect(`${ctx.path}${rest.size ? `?${rest}` : ''}`);
      return;
    }
    const s = readSession(ctx, w);
    const who = s ? await loadViewer(w, s.w) : null;
    // A person who came by a link sees that request only; anywhere else they log in.
    if (!s || !who || (who.kind === 'person' && s.l && !o.linkOk)) {
      if (s && !who) cookie(ctx, SESSION_COOKIE, null, 0);
      return noSession(ctx, w);
    }
    ctx.state.viewer = { ...who, ...(s.l ? { link: { requestId: s.l } } : {}) } satisfies Viewer;
    ctx.state.csrf = csrfOf(w.secret, s.n);
    if (ctx.method === 'POST') {
      const form = await readForm(ctx, FORM_LIMIT);
      const given = form._csrf ?? ctx.get('x-csrf-token');
      if (!given || !sameToken(given, ctx.state.csrf as string)) return refuse(ctx, w, 403, TP.csrfBad, 'POST without a valid CSRF token');
      ctx.state.form = form;
    }
    await next();
  };
}
