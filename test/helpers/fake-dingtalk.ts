import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * A fake DingTalk on loopback — real HTTP and a real WebSocket: the OpenAPI the adapter calls
 * (oauth2/accessToken, robot sends, card instances, media upload) and the Stream gateway (the
 * SDK's `v1.0/gateway/connections/open` and the socket it then opens). Like the real gateway it
 * redelivers every CALLBACK frame that was not acknowledged, on the next connection.
 */
export interface Call {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

type Scripted = { status: number; json?: Record<string, unknown> } | { hang: true };

export interface Frame {
  specVersion: string;
  type: 'CALLBACK' | 'SYSTEM' | 'EVENT';
  headers: Record<string, string>;
  data: string;
}

export const FAKE_APP = { key: 'dingminqingtest', secret: 'dt-s3cret-for-tests', robot: 'dingrobotminqing' };

export class FakeDingtalk {
  base = '';
  readonly calls: Call[] = [];
  private server: http.Server | null = null;
  private wss: WebSocketServer | null = null;
  private tokenSeq = 0;
  private validTokens = new Set<string>();
  private tickets = new Set<string>();
  private scripts = new Map<string, Scripted[]>();
  private hanging: http.ServerResponse[] = [];
  private frameSeq = 0;
  /** Frames sent and not yet acknowledged, by message id, in order. */
  readonly unacked = new Map<string, Frame>();
  readonly acks: { messageId: string; frame: any }[] = [];
  private waiters = new Map<string, (ack: any) => void>();
  socket: WebSocket | null = null;
  private silent: WebSocket | null = null;
  connections = 0;
  /** Subscriptions each connections/open asked for. */
  readonly subscriptions: unknown[] = [];
  cards = new Map<string, { cardData: Record<string, string>; spaces: string[]; callbackType?: string }>();
  /** Files a robot message's download code stands for (messageFiles/download → a downloadUrl here). */
  files = new Map<string, Buffer>();

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: '/connect', autoPong: false });
    this.wss.on('connection', (ws, req) => this.connected(ws, req));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    for (const c of this.wss?.clients ?? []) c.terminate();
    this.wss?.close();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** The next `times` calls to `path` get `answer` instead of the normal one. */
  script(path: string, answer: Scripted, times = 1): void {
    const list = this.scripts.get(path) ?? [];
    for (let i = 0; i < times; i++) list.push(answer);
    this.scripts.set(path, list);
  }

  /** Every token issued so far stops working (as if it expired). */
  expireTokens(): void {
    this.validTokens.clear();
  }

  callsTo(path: string, method?: string): Call[] {
    return this.calls.filter((c) => c.path === path && (!method || c.method === method));
  }

  get tokenFetches(): number {
    return this.callsTo('/v1.0/oauth2/accessToken').length;
  }

  // ── the stream gateway ──────────────────────────────────────────────────────────────

  private connected(ws: WebSocket, req: http.IncomingMessage): void {
    const ticket = new URL(req.url ?? '/', 'http://x').searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket)) return void ws.close(4001, 'bad ticket');
    this.connections++;
    this.socket = ws;
    ws.on('ping', (d) => {
      if (this.silent !== ws) ws.pong(d);
    });
    ws.on('message', (raw) => {
      if (this.silent === ws) return;
      const f = JSON.parse((raw as Buffer).toString('utf8')); // ws hands a text frame over as one Buffer
      const id = f.headers?.messageId;
      if (!id) return;
      this.acks.push({ messageId: id, frame: f });
      this.unacked.delete(id);
      this.waiters.get(id)?.(f);
      this.waiters.delete(id);
    });
    ws.on('close', () => {
      if (this.socket === ws) this.socket = null;
    });
    // Whatever was sent and not acknowledged comes again, with its message id.
    for (const f of this.unacked.values()) ws.send(JSON.stringify(f));
  }

  /** Waits until a client is connected (after a start or a reconnect). */
  async waitConnected(n = 1, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(this.connections >= n && this.socket?.readyState === WebSocket.OPEN)) {
      if (Date.now() > until) throw new Error(`no stream connection #${n} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Pushes a CALLBACK frame (sent now if a client is connected, else on its next connection);
   * resolves the acknowledgement frame. `messageId` repeats a frame as the platform does.
   */
  push(topic: string, data: unknown, messageId = `frame-${++this.frameSeq}`): Promise<any> {
    const frame: Frame = {
      specVersion: '1.0',
      type: 'CALLBACK',
      headers: { appId: FAKE_APP.key, connectionId: 'conn', contentType: 'application/json', messageId, time: String(Date.now()), topic },
      data: JSON.stringify(data),
    };
    this.unacked.set(messageId, frame);
    const acked = new Promise<any>((r) => this.waiters.set(messageId, r));
    if (this.socket?.readyState === WebSocket.OPEN && this.silent !== this.socket) this.socket.send(JSON.stringify(frame));
    return acked;
  }

  /** Sends a frame as it is (e.g. SYSTEM ping / disconnect, or garbage). */
  raw(text: string): void {
    this.socket?.send(text);
  }

  /** The network drops the connection: no close frame. */
  drop(): void {
    this.socket?.terminate();
  }

  /** The current connection goes quiet: no pongs, no frames (a half-open TCP connection). */
  silence(): void {
    this.silent = this.socket;
  }

  // ── the OpenAPI ─────────────────────────────────────────────────────────────────────

  /** H5 免登: the staff id each auth code (from dingtalk-jsapi in the page) stands for; a code works once. */
  readonly loginCodes = new Map<string, string>();

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const raw = Buffer.concat(chunks);
      let body: any = null;
      if (raw.length && (req.headers['content-type'] ?? '').includes('json')) body = JSON.parse(raw.toString('utf8'));
      else if (raw.length) body = { bytes: raw.length };
      const call: Call = { method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body };
      this.calls.push(call);
      if (url.pathname.startsWith('/files/')) {
        const file = this.files.get(decodeURIComponent(url.pathname.slice('/files/'.length)));
        if (!file) return this.json(res, { code: 'NoSuchKey' }, 404);
        return void res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.length) }).end(file);
      }
      const scripted = this.scripts.get(url.pathname)?.shift();
      if (scripted) {
        if ('hang' in scripted) return void this.hanging.push(res);
        return this.json(res, scripted.json ?? { code: 'Scripted', message: 'scripted failure' }, scripted.status);
      }
      const [status, answer] = this.answer(call, url);
      this.json(res, answer, status);
    });
  }

  private json(res: http.ServerResponse, data: unknown, status = 200): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
  }

  private answer(c: Call, url: URL): [number, Record<string, unknown>] {
    if (c.path === '/v1.0/gateway/connections/open') {
      if (c.body?.clientId !== FAKE_APP.key || c.body?.clientSecret !== FAKE_APP.secret) return [401, { code: 'InvalidClient', message: 'bad credentials' }];
      this.subscriptions.push(c.body.subscriptions);
      const ticket = `ticket-${++this.frameSeq}`;
      this.tickets.add(ticket);
      return [200, { endpoint: `${this.base.replace('http', 'ws')}/connect`, ticket }];
    }
    if (c.path === '/v1.0/oauth2/accessToken') {
      if (c.body?.appKey !== FAKE_APP.key || c.body?.appSecret !== FAKE_APP.secret) return [400, { code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret' }];
      const token = `dtok${++this.tokenSeq}`;
      this.validTokens.add(token);
      return [200, { accessToken: token, expireIn: 7200 }];
    }
    if (c.path === '/topapi/v2/user/getuserinfo') {
      if (!this.validTokens.has(url.searchParams.get('access_token') ?? '')) return [200, { errcode: 40014, errmsg: '不合法的access_token' }];
      const userid = this.loginCodes.get(String(c.body?.code ?? ''));
      if (!userid) return [200, { errcode: 40078, errmsg: '不存在的临时授权码' }];
      this.loginCodes.delete(String(c.body.code));
      return [200, { errcode: 0, errmsg: 'ok', request_id: 'req1', result: { userid, name: '', sys: false, sys_level: 0 } }];
    }
    if (c.path === '/media/upload') {
      return this.validTokens.has(url.searchParams.get('access_token') ?? '') ? [200, { errcode: 0, errmsg: 'ok', media_id: `@media${++this.frameSeq}` }] : [200, { errcode: 40014, errmsg: '不合法的access_token' }];
    }
    if (!this.validTokens.has(String(c.headers['x-acs-dingtalk-access-token'] ?? ''))) return [401, { code: 'InvalidAuthentication', message: '不合法的access_token' }];
    switch (`${c.method} ${c.path}`) {
      case 'POST /v1.0/robot/oToMessages/batchSend':
        if ((c.body.userIds ?? []).length > 20) return [400, { code: 'param.userIds.tooMany', message: 'userIds 最多 20 个' }];
        return [200, { processQueryKey: `pqk${++this.frameSeq}`, invalidStaffIdList: [], flowControlledStaffIdList: [] }];
      case 'POST /v1.0/robot/groupMessages/send':
        return [200, { processQueryKey: `pqk${++this.frameSeq}` }];
      case 'POST /v1.0/card/instances/createAndDeliver': {
        if (this.cards.has(c.body.outTrackId)) return [400, { code: 'param.outTrackIdExists', message: 'outTrackId 已存在' }];
        const spaces = String(c.body.openSpaceId).replace(/^dtv1\.card\/\//, '').split(';');
        this.cards.set(c.body.outTrackId, { cardData: c.body.cardData.cardParamMap, spaces, callbackType: c.body.callbackType });
        return [200, { success: true, result: { outTrackId: c.body.outTrackId, deliverResults: spaces.map((s) => ({ spaceType: s.split('.')[0], spaceId: s.split('.').slice(1).join('.'), success: true })) } }];
      }
      case 'POST /v1.0/card/instances/deliver':
        return [200, { success: true, result: [] }];
      case 'PUT /v1.0/card/instances': {
        const card = this.cards.get(c.body.outTrackId);
        if (!card) return [400, { code: 'card.notFound', message: '卡片不存在' }];
        card.cardData = { ...card.cardData, ...c.body.cardData.cardParamMap };
        return [200, { success: true, result: true }];
      }
      case 'POST /v1.0/robot/messageFiles/download':
        if (c.body?.robotCode !== FAKE_APP.robot) return [400, { code: 'invalidParameter.robotCode', message: 'robotCode 不正确' }];
        if (!this.files.has(c.body?.downloadCode)) return [400, { code: 'invalidParameter.downloadCode', message: 'downloadCode 无效或已过期' }];
        return [200, { downloadUrl: `${this.base}/files/${encodeURIComponent(c.body.downloadCode)}` }];
      case 'POST /v1.0/card/callbacks/register':
        return [200, { success: true, result: { callbackUrl: c.body.callbackUrl } }];
      default:
        return [404, { code: 'NotFound', message: `no such api ${c.method} ${c.path}` }];
    }
  }
}
