import type Router from '@koa/router';
import type { Context } from 'koa';
import { TP } from '../domain/texts';
import { rawBody } from '../http/raw-body';
import type { LoginIdentity, PlatformAdapter } from '../platform/types';
import { param, type WebDeps } from './deps';
import { refuse } from './refuse';
import { checkLogin, safeNext, startSession } from './session';
import type { ViewerRef } from './viewer';

/** Whose a platform identity is: a person of the directory, else a villager we know. */
async function refOf(w: WebDeps, id: LoginIdentity): Promise<ViewerRef | null> {
  const person = w.app.directory.personByPlatformId(id.realm, id.userId);
  if (person) return `person:${person.id}`;
  const villager = await w.app.db.read.identities.villager(id.realm, id.userId);
  return villager?.active ? `villager:${villager.id}` : null;
}

/** Asks the platform whose `code` is; answers the page itself (and returns null) when it cannot tell. */
async function identify(ctx: Context, w: WebDeps, a: PlatformAdapter, code: unknown): Promise<ViewerRef | null> {
  if (typeof code !== 'string' || !code || code.length > 512) {
    refuse(ctx, w, 400, TP.codeRefused, 'login without a code', { title: TP.loginFailed });
    return null;
  }
  let id: LoginIdentity | null;
  try {
    id = await a.whoIs!(code);
  } catch (e) {
    w.log.warn({ platform: a.name, err: (e as Error).message }, 'login: platform did not answer');
    refuse(ctx, w, 502, TP.platformUnavailable, 'login: platform unavailable', { title: TP.loginFailed });
    return null;
  }
  if (!id) {
    refuse(ctx, w, 403, TP.codeRefused, 'login code refused by the platform', { title: TP.loginFailed });
    return null;
  }
  const ref = await refOf(w, id);
  if (!ref) refuse(ctx, w, 403, TP.notListed, `login: ${id.realm}:${id.userId} is nobody we know`, { title: TP.loginFailed });
  return ref;
}

const home = (ref: ViewerRef) => (ref.startsWith('villager:') ? '/h5/mine' : '/h5/todo');

/**
 * The logins (docs/interface.md#pages), one pair of routes for every platform that has one:
 * `GET /h5/auth/:platform` — the OAuth callback (`code`, `state` checked against this browser's
 * login cookie), or the sandbox picker (`as`); `POST /h5/auth/:platform {authCode, state}` — a code
 * from the platform's app (DingTalk 免登).
 */
export function mountAuth(router: Router, w: WebDeps): void {
  const adapterOf = (ctx: Context) => {
    const a = w.app.platforms.get(param(ctx, 'platform'));
    return a?.pageLogin && a.whoIs ? a : null;
  };
  router.get('/h5/auth/:platform', async (ctx) => {
    const a = adapterOf(ctx);
    if (!a) return refuse(ctx, w, 404, param(ctx, 'platform') === 'sandbox' ? TP.sandboxOnly : TP.noSuchPage, `no page login for ${param(ctx, 'platform')}`);
    if (a.pageLogin === 'picker') {
      const ref = await identify(ctx, w, a, ctx.query.as);
      if (!ref) return;
      startSession(ctx, w, ref);
      w.log.info({ platform: a.name, viewer: ref }, 'page login');
      return ctx.redirect(safeNext(ctx.query.next, home(ref)));
    }
    if (a.pageLogin !== 'oauth') return refuse(ctx, w, 405, TP.loginAgain, `GET login on a ${a.pageLogin} platform`, { title: TP.loginFailed });
    const login = checkLogin(ctx, w, a.name, ctx.query.state);
    if (!login) return refuse(ctx, w, 403, TP.stateWrong, 'OAuth state does not match this browser', { title: TP.loginFailed });
    const ref = await identify(ctx, w, a, ctx.query.code);
    if (!ref) return;
    startSession(ctx, w, ref);
    w.log.info({ platform: a.name, viewer: ref }, 'page login');
    ctx.redirect(safeNext(login.next, home(ref)));
  });
  router.post('/h5/auth/:platform', rawBody({ limit: 8 * 1024 }), async (ctx) => {
    const a = adapterOf(ctx);
    if (!a || a.pageLogin !== 'client') return refuse(ctx, w, 404, TP.noSuchPage, `no client login for ${param(ctx, 'platform')}`);
    let body: { authCode?: unknown; state?: unknown } = {};
    try {
      body = JSON.parse((ctx.state.rawBody as Buffer).toString('utf8')) as typeof body;
    } catch {
      /* refused below: no state */
    }
    const login = checkLogin(ctx, w, a.name, body?.state);
    if (!login) return refuse(ctx, w, 403, TP.stateWrong, 'client login state does not match this browser', { title: TP.loginFailed });
    const ref = await identify(ctx, w, a, body.authCode);
    if (!ref) return;
    startSession(ctx, w, ref);
    w.log.info({ platform: a.name, viewer: ref }, 'page login');
    ctx.body = { ok: true, next: safeNext(login.next, home(ref)) };
  });
}
