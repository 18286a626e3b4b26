import crypto from 'node:crypto';
import path from 'node:path';
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { WecomConfig } from '../../src/config';
import type { Logger } from '../../src/log';
import type { LoginIdentity, SharedTickets } from '../../src/platform/types';
import { StaticFolder } from '../../src/web/static';
import { WecomApi, WecomApiError } from './api';

/** WeCom members and 微信客服 customers (the adapter's realms); a non-member's openid is nobody's. */
const MEMBERS = 'wecom';
const KF_CUSTOMERS = 'wecom_kf';
const OPENIDS = 'wecom_openid';

/** `code` unknown, used or older than five minutes. */
const CODE_REFUSED = new Set([40029, 40163]);

/**
 * WeCom's part of the pages (docs/interface.md#pages): the OAuth2 snsapi_base login, the user behind
 * its code, and the JS-SDK — its script served from here (no CDN) and the signatures `ww.register`
 * asks for, over tickets shared by every instance.
 */
export class WecomPages {
  /** @wecom/jssdk's browser build (it defines the global `ww`). */
  private readonly sdk = new StaticFolder(path.dirname(require.resolve('@wecom/jssdk/dist/wecom.global.prod.js')), { cacheControl: 'public, max-age=86400' });

  constructor(
    private readonly config: WecomConfig,
    private readonly api: WecomApi,
    private readonly log: Logger,
    private readonly publicBaseUrl: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** 构造网页授权链接: snsapi_base (silent), back to `redirectUri` with `code` and `state`. */
  loginUrl(redirectUri: string, state: string): string {
    const q = new URLSearchParams({ appid: this.config.corpId, redirect_uri: redirectUri, response_type: 'code', scope: 'snsapi_base', state, agentid: String(this.config.agentId) });
    return `${this.config.oauthBase}/connect/oauth2/authorize?${q}#wechat_redirect`;
  }

  /** 获取访问用户身份: a member's userid; a customer's external_userid; a non-member's openid (nobody we know). */
  async whoIs(code: string): Promise<LoginIdentity | null> {
    let r: Record<string, any>;
    try {
      r = await this.api.get('/cgi-bin/auth/getuserinfo', { code });
    } catch (e) {
      if (e instanceof WecomApiError && CODE_REFUSED.has(e.errcode)) {
        this.log.info({ errcode: e.errcode }, 'wecom login code refused');
        return null;
      }
      throw e;
    }
    if (typeof r.userid === 'string' && r.userid) return { realm: MEMBERS, userId: r.userid };
    if (typeof r.external_userid === 'string' && r.external_userid) return { realm: KF_CUSTOMERS, userId: r.external_userid };
    if (typeof r.openid === 'string' && r.openid) return { realm: OPENIDS, userId: r.openid };
    return null;
  }

  isClient(userAgent: string): boolean {
    return /wxwork/i.test(userAgent);
  }

  pageScripts(): string[] {
    return ['/h5/wecom/jssdk.js', '/h5/assets/wecom.js'];
  }

  /** The page URL as `ww.register` signs it (without `#…`), if it is one of ours; null otherwise. */
  ownUrl(raw: unknown): string | null {
    if (typeof raw !== 'string' || !raw || raw.length > 2048) return null;
    let u: URL;
    let base: URL;
    try {
      u = new URL(raw);
      base = new URL(`${this.publicBaseUrl}/`);
    } catch {
      return null;
    }
    if (u.origin !== base.origin || !u.pathname.startsWith(base.pathname) || u.username || u.password) return null;
    return raw.split('#')[0];
  }

  mount(router: Router, tickets: SharedTickets | undefined): void {
    router.get('/h5/wecom/jssdk.js', async (c) => {
      if (!(await this.sdk.serve(c, 'wecom.global.prod.js'))) c.status = 404;
    });
    router.get('/h5/wecom/jsapi-signature', (c) => this.signature(c, tickets));
  }

  private ticket(tickets: SharedTickets | undefined, key: 'jsapi' | 'agent_config'): Promise<string> {
    const fetch = async () => {
      const r = key === 'jsapi' ? await this.api.get('/cgi-bin/get_jsapi_ticket', {}) : await this.api.get('/cgi-bin/ticket/get', { type: 'agent_config' });
      return { value: String(r.ticket), ttlMs: Number(r.expires_in ?? 7200) * 1000 };
    };
    if (!tickets) throw new Error('no shared ticket store');
    return tickets.get(`wecom.${key}.${this.config.corpId}.${this.config.agentId}`, fetch);
  }

  /** GET /h5/wecom/jsapi-signature?url=… → { corpId, agentId, timestamp, nonceStr, signature, agentSignature }. */
  private async signature(c: Context, tickets: SharedTickets | undefined): Promise<void> {
    const url = this.ownUrl(c.query.url);
    c.set('cache-control', 'no-store');
    if (!url) {
      this.log.info({ url: String(c.query.url ?? '').slice(0, 200) }, 'jsapi signature refused: url outside PUBLIC_BASE_URL');
      c.status = 400;
      c.body = { error: { code: 'url_outside', message: '只能为本系统的页面签名，请从本系统的页面打开。' } };
      return;
    }
    let jsapi: string;
    let agent: string;
    try {
      [jsapi, agent] = await Promise.all([this.ticket(tickets, 'jsapi'), this.ticket(tickets, 'agent_config')]);
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'jsapi signature: ticket unavailable');
      c.status = 502;
      c.body = { error: { code: 'ticket_unavailable', message: '暂时连不上企业微信，请稍后再试。' } };
      return;
    }
    const timestamp = Math.floor(this.now() / 1000);
    const nonceStr = crypto.randomBytes(12).toString('base64url');
    c.body = {
      corpId: this.config.corpId,
      agentId: String(this.config.agentId),
      timestamp,
      nonceStr,
      signature: jsapiSignature(jsapi, nonceStr, timestamp, url),
      agentSignature: jsapiSignature(agent, nonceStr, timestamp, url),
    };
  }
}

/** JS-SDK 签名算法: sha1 of `jsapi_ticket=…&noncestr=…&timestamp=…&url=…`, lower-case hex, nothing encoded. */
export function jsapiSignature(ticket: string, nonceStr: string, timestamp: number | string, url: string): string {
  return crypto.createHash('sha1').update(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`).digest('hex');
}
