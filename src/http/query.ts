import type { Context, Next } from 'koa';
import { badRequest } from '../errors';

/**
 * Every route takes each query parameter once (docs/interface.md#security-and-retention): a repeated one
 * (`?status=a&status=b`, which Koa reads as an array) is a 400 with a Chinese message, never a 500
 * from code that expected a string. Runs before every router.
 */
export async function singleQueryValues(ctx: Context, next: Next): Promise<void> {
  for (const [name, value] of Object.entries(ctx.query)) {
    if (Array.isArray(value)) throw badRequest(`参数 ${name.slice(0, 40)} 只能出现一次`, `query parameter "${name.slice(0, 40)}" repeated`);
  }
  await next();
}

/** Rows a list route returns by default, and at most. */
export const LIST_DEFAULT = 100;
export const LIST_MAX = 1000;

/**
 * `?limit=`: absent → `dflt`; a whole number from 1 up → at most `max`; anything else (0, -1, 1.5,
 * abc, 1e3) → 400. A list never returns more than `max` rows.
 */
export function parseLimit(raw: unknown, dflt = LIST_DEFAULT, max = LIST_MAX): number {
  if (raw === undefined || raw === '') return dflt;
  if (typeof raw !== 'string' || !/^\d{1,12}$/.test(raw) || Number(raw) < 1) throw badRequest(`limit 应为 1 到 ${max} 的整数`, `bad limit ${JSON.stringify(raw).slice(0, 20)}`);
  return Math.min(Number(raw), max);
}
