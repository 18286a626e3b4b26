import type { Context } from 'koa';
import type { WebDeps } from './deps';
import { now } from './deps';
import { sign, Signed, verify } from './tokens';

/** What a page action said, carried across its redirect (POST → 303 → GET) in a short signed cookie. */
const FLASH = 'mq_f';
interface FlashData extends Signed {
  notes: string[];
  ok: boolean;
}

export function setFlash(ctx: Context, w: WebDeps, notes: string[], ok: boolean): void {
  const value = sign<FlashData>(w.secret, 'flash', { notes: notes.map((n) => n.slice(0, 600)).slice(0, 6), ok, exp: now(w) + 60_000 });
  ctx.cookies.set(FLASH, value, { httpOnly: true, sameSite: 'lax', path: '/h5', maxAge: 60_000, secure: ctx.secure, overwrite: true });
}

export function takeFlash(ctx: Context, w: WebDeps): { notes: string[]; ok: boolean } | null {
  const raw = ctx.cookies.get(FLASH);
  if (!raw) return null;
  ctx.cookies.set(FLASH, null, { path: '/h5', maxAge: 0, overwrite: true });
  const v = verify<FlashData>(w.secret, 'flash', raw, now(w));
  return v.ok ? { notes: v.data.notes, ok: v.data.ok } : null;
}
