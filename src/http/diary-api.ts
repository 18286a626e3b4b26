import Router from '@koa/router';
import type { Db } from '../db/db';
import type { Directory } from '../domain/directory';
import { notFound } from '../errors';
import { diaryCsv, diaryExport } from '../services/diary-export';
import { adminAuth } from './api';

/**
 * `GET /api/v1/diary/:personId` (JSON) and `/api/v1/diary/:personId.csv` (docs/interface.md#year): a
 * person's whole 民情日记 — kept, and archived when they leave — with the admin token.
 */
export function diaryRouter(d: { db: Db; directory: Directory; adminToken?: string }): Router {
  const r = new Router({ prefix: '/api/v1' });
  r.use(adminAuth(d.adminToken));
  r.get('/diary/:personId', async (ctx) => {
    const csv = ctx.params.personId.endsWith('.csv');
    const id = csv ? ctx.params.personId.slice(0, -4) : ctx.params.personId;
    const x = await diaryExport(d.db, d.directory, id);
    if (!x) throw notFound(`人员 ${id}`);
    if (!csv) {
      ctx.body = x;
      return;
    }
    ctx.type = 'text/csv; charset=utf-8';
    ctx.attachment(`minqing-diary-${id}.csv`);
    ctx.body = diaryCsv(x);
  });
  return r;
}
