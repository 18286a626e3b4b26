import type { Context, Next } from 'koa';
import type { Logger } from '../../src/log';

/**
 * The sandbox has no login: what keeps other web pages from acting through a visitor's browser is
 * that its POSTs take only `application/json` — which an HTML form cannot send, and which a script on
 * another origin can send only after a CORS preflight this server never answers — and that a
 * browser's `Origin` (or `Sec-Fetch-Site`) must say the request comes from the sandbox page itself.
 * A client that is not a browser (curl, the tests) sends neither header and is let through: the
 * sandbox listens on 127.0.0.1 unless SANDBOX_PUBLIC=1 (docs/interface.md#security-and-retention).
 */
export function sandboxPostGuard(o: { log: Logger; publicBaseUrl?: string }) {
  const allowed = new Set<string>();
  if (o.publicBaseUrl) {
    try {
      allowed.add(new URL(o.publicBaseUrl).origin);
    } catch {
      // an invalid PUBLIC_BASE_URL never reaches here (the config is checked at start)
    }
  }
  return async function guardSandboxPost(c: Context, next: Next): Promise<void> {
    const refuse = (status: number, reason: string, error: string) => {
      o.log.warn({ route: c.path, status, reason }, 'sandbox request rejected');
      c.status = status;
      c.body = { error };
    };
    const type = c.get('content-type').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return refuse(415, `content-type ${type.slice(0, 60) || '(none)'} is not application/json`, 'body must be application/json');
    const origin = c.get('origin');
    // Koa 3's `c.origin` is the Origin header itself: the server's own origin is built from the Host.
    if (origin && origin !== `${c.protocol}://${c.host}` && !allowed.has(origin)) return refuse(403, `cross-origin request from ${origin.slice(0, 100)}`, 'cross-origin requests are not accepted');
    const site = c.get('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none') return refuse(403, `sec-fetch-site ${site.slice(0, 20)}`, 'cross-origin requests are not accepted');
    await next();
  };
}
