import { protectSecrets } from '../log-redact';

/**
 * A platform access token, cached for its lifetime less a margin and refreshed with a single
 * request in flight however many callers notice at once (WeCom `gettoken`, DingTalk `accessToken`).
 */
export class TokenCache {
  private token: { value: string; expiresAt: number } | null = null;
  private refreshing: Promise<string> | null = null;

  constructor(
    private readonly fetchToken: () => Promise<{ value: string; ttlMs: number }>,
    private readonly now: () => number = Date.now,
    private readonly marginMs = 5 * 60 * 1000,
  ) {}

  async get(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return this.token.value;
    return this.refresh();
  }

  /** One refresh at a time; callers that arrive meanwhile share it. */
  refresh(): Promise<string> {
    if (!this.refreshing) {
      this.refreshing = this.fetchToken()
        .then(({ value, ttlMs }) => {
          // An access token is a credential: never in a log line, even inside a URL or an error.
          protectSecrets([value]);
          this.token = { value, expiresAt: this.now() + Math.max(ttlMs - this.marginMs, ttlMs / 2) };
          return value;
        })
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  }

  /** The platform refused `value`: drop it if it is still the cached one, so the next caller fetches anew. */
  forget(value: string): void {
    if (this.token?.value === value) this.token = null;
  }
}
