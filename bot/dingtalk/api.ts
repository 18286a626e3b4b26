import type { Logger } from '../../src/log';
import { TokenCache } from '../../src/platform/token-cache';

export type Fetch = typeof fetch;

/**
 * A DingTalk OpenAPI answer that was not a success, classified for the outbox. The new API
 * (api.dingtalk.com) answers errors with an HTTP status and `{code, message, requestid}`; the old
 * one (oapi.dingtalk.com) with HTTP 200 and `{errcode, errmsg}`.
 */
export class DingtalkApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly retryable: boolean,
  ) {
    super(`dingtalk ${status} ${code}: ${detail}`);
  }
}

/** The access token is invalid or has expired: refresh once and try again. */
export function isTokenError(status: number, code: string): boolean {
  return status === 401 || /InvalidAuthentication|InvalidAccessToken|AccessTokenExpired|accessToken.*(invalid|expired)/i.test(code);
}

/** Throttling (QPS / flow control), server trouble and busy answers are worth another try later. */
export function isRetryable(status: number, code: string): boolean {
  if (status === 429 || status >= 500) return true;
  return /QpsLimit|Throttl|FlowControl|ServiceUnavailable|SystemBusy|InternalError|SystemError|Timeout/i.test(code);
}

export interface DingtalkApiOptions {
  apiBase: string;
  oapiBase: string;
  appKey: string;
  appSecret: string;
  fetch?: Fetch;
  timeoutMs?: number;
  log: Logger;
  now?: () => number;
}

/** Refresh this long before the token's stated expiry. */
const TOKEN_MARGIN_MS = 5 * 60 * 1000;

/**
 * The DingTalk OpenAPI: `v1.0/oauth2/accessToken` cached until five minutes before it expires and
 * refreshed once on an expiry answer, with a single refresh in flight however many calls notice.
 */
export class DingtalkApi {
  private readonly fetch: Fetch;
  private readonly token: TokenCache;

  constructor(private readonly o: DingtalkApiOptions) {
    this.fetch = o.fetch ?? fetch;
    this.token = new TokenCache(() => this.fetchToken(), o.now ?? Date.now, TOKEN_MARGIN_MS);
  }

  /** One HTTP exchange; network failures and timeouts are retryable errors. `signal` (the outbox's) cancels it too. */
  private async http(url: string, init: RequestInit, signal?: AbortSignal): Promise<{ status: number; body: Record<string, any> }> {
    let res: Response;
    try {
      const timeout = AbortSignal.timeout(this.o.timeoutMs ?? 10_000);
      res = await this.fetch(url, { ...init, signal: signal ? AbortSignal.any([timeout, signal]) : timeout });
    } catch (e) {
      throw new DingtalkApiError(0, 'Network', (e as Error).message, true);
    }
    const text = await res.text().catch(() => '');
    let body: Record<string, any> = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      if (res.ok) throw new DingtalkApiError(res.status, 'NotJson', 'answer is not JSON', true);
    }
    if (!res.ok) {
      const code = String(body.code ?? `HTTP${res.status}`);
      throw new DingtalkApiError(res.status, code, String(body.message ?? text.slice(0, 200)), isRetryable(res.status, code));
    }
    return { status: res.status, body };
  }

  accessToken(): Promise<string> {
    return this.token.get();
  }

  private async fetchToken(): Promise<{ value: string; ttlMs: number }> {
    const { body } = await this.http(`${this.o.apiBase}/v1.0/oauth2/accessToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appKey: this.o.appKey, appSecret: this.o.appSecret }),
    });
    if (!body.accessToken) throw new DingtalkApiError(200, 'NoAccessToken', 'accessToken missing from the answer', false);
    this.o.log.info({ expiresInS: body.expireIn }, 'dingtalk access token refreshed');
    return { value: String(body.accessToken), ttlMs: Number(body.expireIn ?? 7200) * 1000 };
  }

  /** A call to the new API (`api.dingtalk.com`), token in the `x-acs-dingtalk-access-token` header. */
  async call(method: 'POST' | 'PUT', path: string, body: unknown, signal?: AbortSignal): Promise<Record<string, any>> {
    let token = await this.accessToken();
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await this.http(`${this.o.apiBase}${path}`, {
          method,
          headers: { 'content-type': 'application/json', 'x-acs-dingtalk-access-token': token },
          body: JSON.stringify(body),
        }, signal);
        return r.body;
      } catch (e) {
        if (e instanceof DingtalkApiError && attempt === 0 && isTokenError(e.status, e.code)) {
          this.o.log.warn({ code: e.code, path }, 'dingtalk token rejected; refreshing once');
          this.token.forget(token);
          token = await this.accessToken();
          continue;
        }
        throw e;
      }
    }
  }

  /** A call to the old API (`oapi.dingtalk.com`), token in the query, `errcode` in the answer. */
  async oapi(path: string, init: RequestInit, signal?: AbortSignal): Promise<Record<string, any>> {
    let token = await this.accessToken();
    for (let attempt = 0; ; attempt++) {
      const { body } = await this.http(`${this.o.oapiBase}${path}?access_token=${encodeURIComponent(token)}`, init, signal);
      const code = Number(body.errcode ?? 0);
      if (code === 0) return body;
      if (attempt === 0 && (code === 40014 || code === 42001 || code === 40001)) {
        this.token.forget(token);
        token = await this.accessToken();
        continue;
      }
      throw new DingtalkApiError(200, String(code), String(body.errmsg ?? ''), code === -1 || code === 90018 || code === 88);
    }
  }
}
