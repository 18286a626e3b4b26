import type { Logger } from '../../src/log';
import { TokenCache } from '../../src/platform/token-cache';

export type Fetch = typeof fetch;

/** A WeCom API answer that was not errcode 0, classified for the outbox. */
export class WecomApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly retryable: boolean,
  ) {
    super(`wecom errcode ${errcode}: ${errmsg}`);
  }
}

/** Access token invalid or expired: refresh once and try again. */
const TOKEN_ERRORS = new Set([40014, 42001, 40001]);
/** System busy / frequency limit: try again later. */
const RETRYABLE = new Set([-1, 45009, 45033]);

export interface WecomApiOptions {
  base: string;
  corpId: string;
  secret: string;
  fetch?: Fetch;
  timeoutMs?: number;
  log: Logger;
  now?: () => number;
}

/**
 * The WeCom server API: an access token cached for its lifetime (less a margin), refreshed once on
 * 40014/42001 with a single refresh in flight however many calls notice at once.
 */
export class WecomApi {
  private readonly fetch: Fetch;
  private readonly token: TokenCache;

  constructor(private readonly o: WecomApiOptions) {
    this.fetch = o.fetch ?? fetch;
    this.token = new TokenCache(() => this.fetchToken(), o.now ?? Date.now);
  }

  private async http(url: string, init?: RequestInit, timeoutMs = this.o.timeoutMs ?? 10_000, signal?: AbortSignal): Promise<Record<string, any>> {
    let res: Response;
    try {
      // The caller's signal (the outbox no longer waiting) ends the call as well as our own timeout.
      const timeout = AbortSignal.timeout(timeoutMs);
      res = await this.fetch(url, { ...init, signal: signal ? AbortSignal.any([timeout, signal]) : timeout });
    } catch (e) {
      throw new WecomApiError(-2, `network: ${(e as Error).message}`, true);
    }
    if (res.status >= 500) throw new WecomApiError(-3, `HTTP ${res.status}`, true);
    if (!res.ok) throw new WecomApiError(-4, `HTTP ${res.status}`, false);
    try {
      return (await res.json()) as Record<string, any>;
    } catch {
      throw new WecomApiError(-5, 'answer is not JSON', true);
    }
  }

  accessToken(): Promise<string> {
    return this.token.get();
  }

  /** The token was refused: the next `accessToken()` fetches a new one (one refresh in flight). */
  forgetToken(token: string): void {
    this.token.forget(token);
  }

  /** A GET whose answer may be a file rather than JSON (media/get): the raw response, token in the query. */
  raw(path: string, query: Record<string, string>, token: string, signal: AbortSignal): Promise<Response> {
    return this.fetch(`${this.o.base}${path}?${new URLSearchParams({ access_token: token, ...query })}`, { signal });
  }

  private async fetchToken(): Promise<{ value: string; ttlMs: number }> {
    const q = new URLSearchParams({ corpid: this.o.corpId, corpsecret: this.o.secret });
    const r = await this.http(`${this.o.base}/cgi-bin/gettoken?${q}`);
    if (r.errcode) throw new WecomApiError(r.errcode, r.errmsg ?? '', RETRYABLE.has(r.errcode));
    this.o.log.info({ expiresInS: r.expires_in }, 'wecom access token refreshed');
    return { value: String(r.access_token), ttlMs: Number(r.expires_in ?? 7200) * 1000 };
  }

  /** POST `path` with a JSON body; returns the answer on errcode 0, else throws `WecomApiError`. */
  post(path: string, body: unknown, signal?: AbortSignal): Promise<Record<string, any>> {
    const json = JSON.stringify(body);
    return this.withToken(path, (token) =>
      this.http(
        `${this.o.base}${path}?access_token=${encodeURIComponent(token)}`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: json },
        undefined,
        signal,
      ),
    );
  }

  /** GET `path` with `query` and the token; the answer on errcode 0, else throws `WecomApiError`. */
  get(path: string, query: Record<string, string>): Promise<Record<string, any>> {
    return this.withToken(path, (token) => this.http(`${this.o.base}${path}?${new URLSearchParams({ access_token: token, ...query })}`));
  }

  /** POST a multipart upload (e.g. media/upload) with the same token handling as `post`. */
  upload(path: string, query: Record<string, string>, form: () => FormData, timeoutMs = 20_000, signal?: AbortSignal): Promise<Record<string, any>> {
    return this.withToken(path, (token) =>
      this.http(`${this.o.base}${path}?${new URLSearchParams({ access_token: token, ...query })}`, { method: 'POST', body: form() }, timeoutMs, signal),
    );
  }

  /** One call with the cached token; on 40014/42001 the token is refreshed once and the call made again. */
  private async withToken(path: string, call: (token: string) => Promise<Record<string, any>>): Promise<Record<string, any>> {
    let token = await this.accessToken();
    for (let attempt = 0; ; attempt++) {
      const r = await call(token);
      const code = Number(r.errcode ?? 0);
      if (code === 0) return r;
      if (TOKEN_ERRORS.has(code) && attempt === 0) {
        this.o.log.warn({ errcode: code, path }, 'wecom token rejected; refreshing once');
        this.token.forget(token);
        token = await this.accessToken();
        continue;
      }
      // A fresh token refused as well is WeCom's trouble, not the message's: try again later.
      throw new WecomApiError(code, String(r.errmsg ?? ''), RETRYABLE.has(code) || TOKEN_ERRORS.has(code));
    }
  }
}
