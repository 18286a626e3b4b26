import Router from '@koa/router';
import Koa, { Context, Next } from 'koa';
import { MinqingError } from '../errors';
import { Logger } from '../log';
import { singleQueryValues } from './query';

/**
 * The one error handler: coded errors answer with their status and Chinese message; anything else
 * is a 500 that is logged with its stack. A 4xx thrown by a middleware (e.g. 413) is logged once
 * with the reason.
 */
export function errorHandler(log: Logger) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (e) {
      const err = e as { status?: number; expose?: boolean; message?: string };
      if (e instanceof MinqingError) {
        ctx.status = e.status;
        ctx.body = { error: { code: e.code, message: e.userMessage } };
        if (e.status >= 500) log.error({ err: e, path: ctx.path }, 'request failed');
        else log.info({ path: ctx.path, status: e.status, code: e.code, detail: e.message }, 'request refused');
        return;
      }
      if (err.status && err.status < 500) {
        ctx.status = err.status;
        ctx.body = { error: { code: 'bad_request', message: err.expose ? err.message : '请求有误' } };
        log.warn({ path: ctx.path, status: err.status, reason: ctx.state.rejectReason ?? err.message }, 'request refused');
        return;
      }
      log.error({ err: e, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.body = { error: { code: 'internal', message: '服务器内部错误，请稍后再试' } };
    }
  };
}

/** A path under /api/ that no router took: a JSON 404 like the rest of the API, not Koa's "Not Found". */
async function apiNotFound(ctx: Context, next: Next): Promise<void> {
  await next();
  if (ctx.status === 404 && ctx.body == null && ctx.path.startsWith('/api/')) {
    ctx.status = 404;
    ctx.body = { error: { code: 'not_found', message: '没有找到这个接口' } };
  }
}

export function createKoa(log: Logger, routers: Router[]): Koa {
  const app = new Koa();
  app.proxy = true;
  app.silent = true;
  app.use(errorHandler(log));
  app.use(apiNotFound);
  app.use(singleQueryValues);
  for (const r of routers) app.use(r.routes()).use(r.allowedMethods());
  return app;
}
