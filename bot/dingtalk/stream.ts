import { DWClient, type DWClientDownStream } from 'dingtalk-stream';
import type { Logger } from '../../src/log';
import type { Fetch } from './api';

/**
 * Stream mode (no public IP): the official `dingtalk-stream` SDK holds the WebSocket and parses its
 * frames; this file supervises it. What the SDK (2.1.5) does and what we do about it:
 * - it posts to a hard-coded `https://api.dingtalk.com/v1.0/gateway/connections/open`:
 *   `GatewayClient.getEndpoint` asks `DINGTALK_API_BASE` instead, with our `fetch`;
 * - it leaves CALLBACK frames (robot messages, card taps) unacknowledged; the platform redelivers
 *   them until acknowledged: `onFrame` stores the delivery, then we acknowledge, exactly once;
 * - its keepalive is off by default, and when on it leaks an interval per reconnect; its own
 *   reconnect retries every second forever without a word: both are off here. We ping, watch for
 *   silence, reconnect with backoff and log each reconnect;
 * - a frame that is not JSON throws inside its socket handler: we catch and log it;
 * - its default subscriptions are one array shared by all clients (and all EVENTs): we use our own.
 */
export interface StreamOptions {
  apiBase: string;
  clientId: string;
  clientSecret: string;
  /** Callback topics to subscribe (TOPIC_ROBOT, TOPIC_CARD). */
  topics: string[];
  /** Store the frame; resolves the acknowledgement's payload. Throwing leaves the frame unacknowledged. */
  onFrame(topic: string, frame: DWClientDownStream): Promise<unknown>;
  fetch?: Fetch;
  log: Logger;
  /** Delays before successive reconnect attempts; the last repeats. */
  reconnectDelaysMs?: number[];
  /** How often to ping, and how long without any frame or pong before the socket is dropped. */
  pingIntervalMs?: number;
  silenceMs?: number;
  connectTimeoutMs?: number;
}

interface SocketLike {
  readyState: number;
  on(event: string, fn: (...args: any[]) => void): unknown;
  ping(): void;
  terminate(): void;
}

const DEFAULT_DELAYS = [500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000];

/** The SDK's client, with the connection-open call pointed at our API base. */
class GatewayClient extends DWClient {
  onSeen: () => void = () => undefined;
  onServerDisconnect: () => void = () => undefined;

  constructor(private readonly s: StreamOptions) {
    super({ clientId: s.clientId, clientSecret: s.clientSecret, keepAlive: false, debug: false });
    this.config.autoReconnect = false;
    this.config.ua = 'minqing';
    // The SDK's default subscription list is one array shared by every client and subscribes to all
    // EVENTs; we take only the callback topics we handle, in a list of our own.
    this.config.subscriptions = [];
  }

  override async getEndpoint(): Promise<this> {
    const res = await (this.s.fetch ?? fetch)(`${this.s.apiBase}/v1.0/gateway/connections/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ clientId: this.config.clientId, clientSecret: this.config.clientSecret, ua: this.config.ua, subscriptions: this.config.subscriptions }),
      signal: AbortSignal.timeout(this.s.connectTimeoutMs ?? 10_000),
    });
    const body = (await res.json().catch(() => ({}))) as { endpoint?: string; ticket?: string; code?: string; message?: string };
    if (!res.ok || !body.endpoint || !body.ticket) throw new Error(`gateway connections/open: HTTP ${res.status} ${body.code ?? ''} ${body.message ?? ''}`.trim());
    // The SDK keeps the WebSocket URL in a private field that its _connect() reads.
    (this as unknown as { dw_url: string }).dw_url = `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }

  get socketNow(): SocketLike | undefined {
    return (this as unknown as { socket?: SocketLike }).socket;
  }

  override onDownStream(data: string): void {
    this.onSeen();
    try {
      super.onDownStream(data);
    } catch (e) {
      this.s.log.warn({ err: e, bytes: String(data).length }, 'dingtalk stream frame is not JSON; ignored');
    }
  }

  override onSystem(frame: DWClientDownStream): void {
    super.onSystem(frame);
    if (frame.headers?.topic === 'disconnect') this.onServerDisconnect();
  }
}

export class StreamConnection {
  private readonly client: GatewayClient;
  private current: SocketLike | undefined;
  private stopped = true;
  private attempt = 0;
  private lastSeen = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  /** How many times the connection was (re)opened; the first open counts. */
  opens = 0;
  reconnects = 0;

  constructor(private readonly o: StreamOptions) {
    this.client = new GatewayClient(o);
    this.client.onSeen = () => (this.lastSeen = Date.now());
    this.client.onServerDisconnect = () => {
      this.o.log.info('dingtalk stream: the gateway announced a disconnect; reconnecting');
      // Frames can arrive with the handshake, before connect() has taken the socket as current.
      (this.current ?? this.client.socketNow)?.terminate();
    };
    for (const topic of o.topics) this.client.registerCallbackListener(topic, (f: DWClientDownStream) => void this.frame(topic, f));
  }

  get connected(): boolean {
    return this.client.socketNow?.readyState === 1;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.retryTimer = this.watchdog = null;
    const s = this.current;
    this.current = undefined;
    if (s && s.readyState <= 1) {
      const closed = new Promise<void>((r) => s.on('close', () => r()));
      s.terminate();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1_000).unref())]);
    }
  }

  /** Acknowledge after the delivery is stored; a frame that cannot be stored is left for redelivery. */
  private async frame(topic: string, f: DWClientDownStream): Promise<void> {
    const messageId = f.headers?.messageId;
    let response: unknown;
    try {
      response = await this.o.onFrame(topic, f);
    } catch (e) {
      this.o.log.error({ err: e, topic, messageId }, 'dingtalk stream frame not stored; left unacknowledged for redelivery');
      return;
    }
    if (!messageId || !this.connected) {
      this.o.log.warn({ topic, messageId }, 'dingtalk stream frame stored but not acknowledged (no socket); it will come again and be deduplicated');
      return;
    }
    try {
      this.client.socketCallBackResponse(messageId, response ?? {});
    } catch (e) {
      this.o.log.warn({ err: e, topic, messageId }, 'dingtalk stream acknowledgement not sent; the frame will come again and be deduplicated');
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.client.getEndpoint();
      await withTimeout(this.client._connect(), this.o.connectTimeoutMs ?? 10_000, () => this.client.socketNow?.terminate());
    } catch (e) {
      this.schedule(`connect failed: ${(e as Error).message}`);
      return;
    }
    const s = this.client.socketNow!;
    if (this.stopped) return s.terminate();
    if (s.readyState !== 1) {
      this.schedule('socket closed while opening');
      return;
    }
    this.current = s;
    this.attempt = 0;
    this.lastSeen = Date.now();
    this.opens++;
    s.on('pong', () => (this.lastSeen = Date.now()));
    s.on('close', (code: number) => {
      if (s !== this.current) return;
      this.current = undefined;
      if (this.watchdog) clearInterval(this.watchdog);
      this.watchdog = null;
      this.schedule(`socket closed (code ${code})`);
    });
    this.o.log.info({ opens: this.opens }, 'dingtalk stream connected');
    this.startWatchdog(s);
  }

  private startWatchdog(s: SocketLike): void {
    if (this.watchdog) clearInterval(this.watchdog);
    const every = this.o.pingIntervalMs ?? 10_000;
    const silence = this.o.silenceMs ?? 3 * every;
    this.watchdog = setInterval(() => {
      if (s !== this.current) return;
      const quiet = Date.now() - this.lastSeen;
      if (quiet > silence) {
        this.o.log.warn({ quietMs: quiet }, 'dingtalk stream silent too long; dropping the socket');
        s.terminate();
        return;
      }
      try {
        s.ping();
      } catch {
        s.terminate();
      }
    }, every);
    this.watchdog.unref();
  }

  private schedule(reason: string): void {
    if (this.stopped || this.retryTimer) return;
    const delays = this.o.reconnectDelaysMs ?? DEFAULT_DELAYS;
    const delay = delays[Math.min(this.attempt, delays.length - 1)];
    this.attempt++;
    this.reconnects++;
    this.o.log.warn({ reason, attempt: this.attempt, delayMs: delay }, 'dingtalk stream reconnecting');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => {
      t = setTimeout(() => {
        onTimeout();
        reject(new Error(`no open within ${ms} ms`));
      }, ms);
    }),
  ]);
}
