import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake WeCom server API on loopback — real HTTP, so the adapter's token handling, retries and
 * timeouts are exercised as they would be against qyapi.weixin.qq.com.
 */
export interface Call {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
}

/** A scripted answer, optionally only for the calls `only` picks (e.g. one recipient's). */
type Scripted = ({ json: Record<string, unknown> } | { status: number } | { hang: true }) & { only?: (call: { body: any }) => boolean };

export class FakeWecom {
  base = '';
  readonly calls: Call[] = [];
  private server: http.Server | null = null;
  private tokenSeq = 0;
  private validTokens = new Set<string>();
  private codeSeq = 0;
  private issuedCodes = new Set<string>();
  /** Spent codes: WeCom answers 42022 (code已经被使用过) when one comes again. */
  private usedCodes = new Set<string>();
  private msgSeq = 0;
  private scripts = new Map<string, Scripted[]>();
  /** Members that exist in the corp; messages to anyone else come back in `invaliduser`. */
  members: Set<string> | null = null;
  /** 微信客服 messages per open_kfid, served by kf/sync_msg in order. */
  kfMessages = new Map<string, Record<string, unknown>[]>();
  /** Largest page kf/sync_msg answers with (WeCom: 1000), so tests can see `has_more` paging. */
  kfPageSize = 1000;
  /** Files media/get hands out, by media_id (an unknown id gets errcode 40007, as WeCom answers). */
  media = new Map<string, { body: Buffer; type?: string; /** no Content-Length: the size shows only as it streams */ chunked?: boolean }>();
  private hanging: http.ServerResponse[] = [];
  /** OAuth2 (pages): the userid each issued login code stands for; a code works once. */
  private loginCodes = new Map<string, Record<string, string>>();
  /** Who the fake authorize page logs in as (its "tap"): a userid, or `{ openid }` for a non-member. */
  loginAs: Record<string, string> = { userid: 'LiSi' };
  private ticketSeq = 0;
  private barriers = new Map<string, { n: number; held: (() => void)[] }>();

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** The next `times` calls to `path` get `answer` instead of the normal one. */
  script(path: string, answer: Scripted, times = 1): void {
    const list = this.scripts.get(path) ?? [];
    for (let i = 0; i < times; i++) list.push(answer);
    this.scripts.set(path, list);
  }

  /** The next `n` calls to `path` are held until all `n` have arrived, then answered together. */
  barrier(path: string, n: number): void {
    this.barriers.set(path, { n, held: [] });
  }

  /** Every token issued so far stops working (as if it expired): the next call gets 42001. */
  expireTokens(): void {
    this.validTokens.clear();
  }

  callsTo(path: string): Call[] {
    return this.calls.filter((c) => c.path === path);
  }

  get tokenFetches(): number {
    return this.callsTo('/cgi-bin/gettoken').length;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const raw = Buffer.concat(chunks);
      let body: any = null;
      if (raw.length && (req.headers['content-type'] ?? '').includes('json')) body = JSON.parse(raw.toString('utf8'));
      else if (raw.length) body = { bytes: raw.length };
      const call: Call = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body };
      this.calls.push(call);
      const b = this.barriers.get(url.pathname);
      if (b) {
        b.held.push(() => this.respond(call, res));
        if (b.held.length < b.n) return;
        this.barriers.delete(url.pathname);
        for (const go of b.held) go();
        return;
      }
      this.respond(call, res);
    });
  }

  /** A login code for `who`, as the authorize page would hand out. */
  issueLoginCode(who: Record<string, string>): string {
    const code = `login${++this.codeSeq}`;
    this.loginCodes.set(code, who);
    return code;
  }

  private respond(call: Call, res: http.ServerResponse): void {
    if (call.path === '/connect/oauth2/authorize') {
      // The WeCom client's silent snsapi_base: straight back with a code and the state.
      const back = new URL(call.query.redirect_uri);
      back.searchParams.set('code', this.issueLoginCode(this.loginAs));
      if (call.query.state) back.searchParams.set('state', call.query.state);
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    const list = this.scripts.get(call.path) ?? [];
    const i = list.findIndex((s) => !s.only || s.only(call));
    const scripted = i >= 0 ? list.splice(i, 1)[0] : undefined;
    if (scripted) {
      if ('hang' in scripted) return void this.hanging.push(res);
      if ('status' in scripted) {
        res.writeHead(scripted.status).end('error');
        return;
      }
      return this.json(res, scripted.json);
    }
    if (call.path === '/cgi-bin/media/get' && this.validTokens.has(call.query.access_token)) {
      const file = this.media.get(call.query.media_id);
      if (file) {
        const head: Record<string, string> = { 'content-type': file.type ?? 'application/octet-stream', 'content-disposition': `attachment; filename="${call.query.media_id}"` };
        if (!file.chunked) head['content-length'] = String(file.body.length);
        res.writeHead(200, head);
        if (file.chunked) {
          for (let i = 0; i < file.body.length; i += 1 << 20) res.write(file.body.subarray(i, i + (1 << 20)));
          res.end();
        } else res.end(file.body);
        return;
      }
      return this.json(res, { errcode: 40007, errmsg: 'invalid media_id' });
    }
    this.json(res, this.answer(call));
  }

  private json(res: http.ServerResponse, data: unknown): void {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(data));
  }

  private answer(c: Call): Record<string, unknown> {
    if (c.path === '/cgi-bin/gettoken') {
      if (c.query.corpsecret !== 's3cret') return { errcode: 40001, errmsg: 'invalid credential' };
      const token = `tok${++this.tokenSeq}`;
      this.validTokens.add(token);
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 };
    }
    if (!this.validTokens.has(c.query.access_token)) return { errcode: 42001, errmsg: 'access_token expired' };
    switch (c.path) {
      case '/cgi-bin/message/send': {
        const to = String(c.body.touser ?? '').split('|');
        const invalid = this.members ? to.filter((u) => !this.members!.has(u)) : [];
        const out: Record<string, unknown> = { errcode: 0, errmsg: 'ok', invaliduser: invalid.join('|'), msgid: `msg${++this.msgSeq}` };
        if (c.body.msgtype === 'template_card') {
          const code = `rc${++this.codeSeq}`;
          this.issuedCodes.add(code);
          out.response_code = code;
        }
        return out;
      }
      case '/cgi-bin/message/update_template_card': {
        const code = c.body.response_code;
        if (this.usedCodes.has(code)) return { errcode: 42022, errmsg: 'code has been used' };
        if (!this.issuedCodes.has(code)) return { errcode: 40058, errmsg: 'invalid response_code' };
        this.issuedCodes.delete(code);
        this.usedCodes.add(code);
        return { errcode: 0, errmsg: 'ok', invaliduser: [] };
      }
      case '/cgi-bin/kf/sync_msg': {
        const list = this.kfMessages.get(c.body.open_kfid) ?? [];
        const from = c.body.cursor ? Number(c.body.cursor) : 0;
        const limit = Math.min(Number(c.body.limit ?? 1000), this.kfPageSize);
        const page = list.slice(from, from + limit);
        const next = from + page.length;
        return { errcode: 0, errmsg: 'ok', next_cursor: String(next), has_more: next < list.length ? 1 : 0, msg_list: page };
      }
      case '/cgi-bin/kf/send_msg':
        return { errcode: 0, errmsg: 'ok', msgid: `kfmsg${++this.msgSeq}` };
      case '/cgi-bin/auth/getuserinfo': {
        const who = this.loginCodes.get(c.query.code);
        if (!who) return { errcode: 40029, errmsg: 'invalid code' };
        this.loginCodes.delete(c.query.code);
        return { errcode: 0, errmsg: 'ok', ...who };
      }
      case '/cgi-bin/get_jsapi_ticket':
        return { errcode: 0, errmsg: 'ok', ticket: `corp-ticket-${++this.ticketSeq}`, expires_in: 7200 };
      case '/cgi-bin/ticket/get':
        return { errcode: 0, errmsg: 'ok', ticket: `agent-ticket-${++this.ticketSeq}`, expires_in: 7200 };
      case '/cgi-bin/media/upload':
        return { errcode: 0, errmsg: 'ok', type: 'image', media_id: `media${++this.msgSeq}` };
      default:
        return { errcode: 60011, errmsg: `no such api ${c.path}` };
    }
  }

  /** A fresh code, as a template_card_event would carry. */
  issueCode(): string {
    const code = `rc${++this.codeSeq}`;
    this.issuedCodes.add(code);
    return code;
  }
}
