import crypto from 'node:crypto';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { Db } from '../db/db';
import type { Directory } from '../domain/directory';
import { STATUSES } from '../domain/status';
import { isoShanghai, parseInstant } from '../domain/time';
import { ledgerRows, toCsv, toXlsx } from '../services/ledger';
import { badRequest, MinqingError, notFound, unauthorized } from '../errors';
import { requestsJson } from '../services/request-json';
import type { AppDeps } from '../operations/tx';
import { parseLimit } from './query';
import { rawBody, utf8Body } from './raw-body';
import { walkInFromApi, walkInSchema } from './walk-in';

export interface ApiDeps {
  db: Db;
  directory: Directory;
  adminToken?: string;
  /** For writes (补录); absent in read-only uses. */
  app?: AppDeps;
}

/** Bearer `ADMIN_TOKEN`, compared in constant time. Without a token configured the API is closed. */
export function adminAuth(token: string | undefined) {
  const expected = token ? crypto.createHash('sha256').update(token).digest() : null;
  return async function requireAdmin(ctx: Context, next: Next): Promise<void> {
    if (!expected) throw new MinqingError(403, 'api_closed', '接口未开放：请设置 ADMIN_TOKEN', 'ADMIN_TOKEN is not set');
    const m = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'));
    const given = m ? crypto.createHash('sha256').update(m[1].trim()).digest() : null;
    if (!given || !crypto.timingSafeEqual(given, expected)) throw unauthorized();
    await next();
  };
}

const isStatus = (s: string) => (STATUSES as readonly string[]).includes(s);

/** The read API of docs/interface.md#api, plus the failed-delivery and failed-message lists. */
export function apiRouter(d: ApiDeps): Router {
  const r = new Router({ prefix: '/api/v1' });
  r.use(adminAuth(d.adminToken));

  r.get('/requests', async (ctx) => {
    const { status, village, since } = ctx.query as Record<string, string | undefined>;
    const limit = parseLimit(ctx.query.limit);
    const statuses = status ? status.split(',') : undefined;
    if (statuses?.some((s) => !isStatus(s))) throw badRequest(`status 只能是 ${STATUSES.join('、')}`, 'bad status filter');
    let from: number | undefined;
    if (since) {
      // An unencoded "+08:00" arrives as " 08:00" (a query string reads + as a space).
      const t = parseInstant(since.replace(/ (\d{2}:?\d{2})$/, '+$1'));
      if (!t) throw badRequest('since 应为 ISO-8601 时间，例如 2026-11-26T08:00+08:00', 'bad since');
      from = t.getTime();
    }
    const rows = await d.db.read.requests.list({ statuses, village, since: from, limit });
    ctx.body = { requests: await requestsJson(d.db, d.directory, rows, { pageOf: d.app?.links?.page, baseUrl: d.app?.publicBaseUrl }) };
  });

  r.post('/requests', rawBody({ limit: 64 * 1024 }), async (ctx) => {
    if (!d.app) throw new MinqingError(405, 'read_only', '此接口只读');
    let json: unknown;
    const text = utf8Body(ctx.state.rawBody as Buffer);
    if (text === null) throw badRequest('请求体应为 UTF-8 编码的 JSON', 'body is not valid UTF-8');
    try {
      json = JSON.parse(text);
    } catch {
      throw badRequest('请求体应为 JSON', 'body is not JSON');
    }
    const parsed = walkInSchema.safeParse(json);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw badRequest(`${i.path.join('.') || 'body'}: ${i.message}`);
    }
    const row = await walkInFromApi(d.app, parsed.data);
    ctx.status = 201;
    ctx.body = (await requestsJson(d.db, d.directory, [row], { pageOf: d.app?.links?.page, baseUrl: d.app?.publicBaseUrl }))[0];
  });

  r.get('/requests/:id', async (ctx) => {
    const key = ctx.params.id;
    const repo = d.db.read.requests;
    const row = /^\d+$/.test(key) ? await repo.byId(Number(key)) : await repo.byCode(key);
    if (!row) throw notFound(`事项 ${key}`);
    ctx.body = (await requestsJson(d.db, d.directory, [row], { pageOf: d.app?.links?.page, baseUrl: d.app?.publicBaseUrl }))[0];
  });

  const ledger = async (ctx: Context) => {
    const q = ctx.query as Record<string, string | undefined>;
    const when = (v: string | undefined, name: string) => {
      if (!v) return undefined;
      const t = parseInstant(v.replace(/ (\d{2}:?\d{2})$/, '+$1'));
      if (!t) throw badRequest(`${name} 应为 ISO-8601 时间，例如 2026-11-26T08:00+08:00`, `bad ${name}`);
      return t.getTime();
    };
    const status = q.status?.split(',');
    if (status?.some((s) => !isStatus(s))) throw badRequest(`status 只能是 ${STATUSES.join('、')}`, 'bad status filter');
    const now = d.app?.clock.now().getTime() ?? Date.now();
    const rows = await ledgerRows(d.db, d.directory, { since: when(q.since, 'since'), until: when(q.until, 'until'), village: q.village, status }, now);
    const name = `minqing-ledger-${isoShanghai(new Date(now)).slice(0, 10)}`;
    if (ctx.path.endsWith('.csv')) {
      ctx.type = 'text/csv; charset=utf-8';
      ctx.attachment(`${name}.csv`);
      ctx.body = toCsv(rows);
    } else {
      ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      ctx.attachment(`${name}.xlsx`);
      ctx.body = await toXlsx(rows, `${d.directory.townshipName}销号台账`);
    }
  };
  r.get('/ledger.csv', ledger);
  r.get('/ledger.xlsx', ledger);

  r.get('/outbox', async (ctx) => {
    const status = String(ctx.query.status ?? 'failed');
    const rows = await d.db.read.outbox.list(status, 200);
    ctx.body = {
      messages: rows.map((m) => ({
        id: m.id, platform: m.platform, kind: m.kind, recipient: m.recipient, requestId: m.requestId, status: m.status,
        attempts: m.attempts, lastError: m.lastError, createdAt: m.createdAt, sentAt: m.sentAt,
      })),
    };
  });

  r.get('/deliveries', async (ctx) => {
    const status = String(ctx.query.status ?? 'failed');
    const rows = await d.db.read.deliveries.list(status, 200);
    ctx.body = {
      deliveries: rows.map((x) => ({ id: x.id, platform: x.platform, kind: x.kind, status: x.status, attempts: x.attempts, error: x.error, receivedAt: x.receivedAt })),
    };
  });
  return r;
}
