import zlib from 'node:zlib';
import type Router from '@koa/router';
import type { Logger } from '../../src/log';
import { acceptsGzip } from '../../src/web/static';
import type { LoginIdentity } from '../../src/platform/types';
import { DingtalkApi, DingtalkApiError } from './api';
import { dingtalkJsapiBundle } from './jsapi-bundle';

/** 不存在的临时授权码: the code is unknown, used, or older than five minutes. */
const CODE_REFUSED = new Set(['40078', '41007', '41026']);

/**
 * DingTalk's part of the pages (docs/interface.md#pages): H5 免登. The page, inside DingTalk, asks
 * dingtalk-jsapi for an auth code and posts it to `/h5/auth/dingtalk`; the user behind it is
 * `topapi/v2/user/getuserinfo`'s `result.userid`.
 */
export class DingtalkPages {
  constructor(
    private readonly api: DingtalkApi,
    private readonly log: Logger,
    private readonly realm: string,
  ) {}

  async whoIs(code: string): Promise<LoginIdentity | null> {
    let r: Record<string, any>;
    try {
      r = await this.api.oapi('/topapi/v2/user/getuserinfo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    } catch (e) {
      if (e instanceof DingtalkApiError && CODE_REFUSED.has(e.code)) {
        this.log.info({ errcode: e.code }, 'dingtalk login code refused');
        return null;
      }
      throw e;
    }
    const userId = (r.result as Record<string, unknown> | undefined)?.userid;
    return typeof userId === 'string' && userId ? { realm: this.realm, userId } : null;
  }

  isClient(userAgent: string): boolean {
    return /DingTalk/i.test(userAgent);
  }

  pageScripts(): string[] {
    return ['/h5/dingtalk/dd.js'];
  }

  private bundle: { plain: Buffer; gzip: Buffer } | null = null;

  /** GET /h5/dingtalk/dd.js: dingtalk-jsapi (what the login page needs), built once. */
  mount(router: Router): void {
    router.get('/h5/dingtalk/dd.js', (c) => {
      if (!this.bundle) {
        const plain = Buffer.from(dingtalkJsapiBundle());
        this.bundle = { plain, gzip: zlib.gzipSync(plain, { level: 9 }) };
      }
      const gz = acceptsGzip(c.get('accept-encoding') || undefined);
      c.type = 'text/javascript; charset=utf-8';
      c.set('cache-control', 'public, max-age=86400');
      c.vary('accept-encoding');
      if (gz) c.set('content-encoding', 'gzip');
      c.body = gz ? this.bundle.gzip : this.bundle.plain;
    });
  }
}
