import crypto from 'node:crypto';

/**
 * Signed tokens for the pages (docs/interface.md#pages): the session cookie, the OAuth state
 * cookie and the 7-day links in messages. A token is `base64url(JSON).base64url(HMAC-SHA256)`,
 * with a purpose mixed into the key so that one kind can never stand in for another. Pure: the
 * secret and the clock come in.
 */
export type Purpose = 'session' | 'link' | 'oauth' | 'flash';

export interface Signed {
  /** Expiry, epoch ms. */
  exp: number;
}

const keyOf = (secret: string, purpose: Purpose) => crypto.createHmac('sha256', secret).update(`minqing:${purpose}`).digest();

export function sign<T extends Signed>(secret: string, purpose: Purpose, data: T): string {
  const body = Buffer.from(JSON.stringify(data)).toString('base64url');
  const mac = crypto.createHmac('sha256', keyOf(secret, purpose)).update(body).digest('base64url');
  return `${body}.${mac}`;
}

export type Verified<T> = { ok: true; data: T } | { ok: false; why: 'malformed' | 'forged' | 'expired' };

/** The token's data if it was signed with `secret` for `purpose` and has not expired at `now`. */
export function verify<T extends Signed>(secret: string, purpose: Purpose, token: string | undefined | null, now: number): Verified<T> {
  if (!token || token.length > 4096) return { ok: false, why: 'malformed' };
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, why: 'malformed' };
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const want = crypto.createHmac('sha256', keyOf(secret, purpose)).update(body).digest();
  if (given.length !== want.length || !crypto.timingSafeEqual(given, want)) return { ok: false, why: 'forged' };
  let data: T;
  try {
    data = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
  } catch {
    return { ok: false, why: 'malformed' };
  }
  if (typeof data?.exp !== 'number' || data.exp <= now) return { ok: false, why: 'expired' };
  return { ok: true, data };
}

/** How long a link in a message opens its request. */
export const LINK_TTL_MS = 7 * 24 * 3600 * 1000;

/** A link's token: for one request (`r`, its id) and one recipient (`w`, `person:<id>` or `villager:<id>`). */
export interface LinkData extends Signed {
  r: number;
  w: string;
}

/** The CSRF token of a session: derived from its nonce, so it needs no storage. */
export function csrfOf(secret: string, nonce: string): string {
  return crypto.createHmac('sha256', keyOf(secret, 'session')).update(`csrf:${nonce}`).digest('base64url').slice(0, 32);
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
