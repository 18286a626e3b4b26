import crypto from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import type { DingtalkConfig } from '../../src/config';
import { rawBody, utf8Body } from '../../src/http/raw-body';
import { protectSecrets, type Logger } from '../../src/log';
import type { AdapterContext, Address, LoginIdentity, MediaAnswer, MediaRef, OutboundMessage, PlatformAdapter, Reach, SendOutcome } from '../../src/platform/types';
import { DingtalkApi, type Fetch } from './api';
import { CardCallback, decodeCardCallback, decodeRobotMessage } from './decode';
import { DingtalkPages } from './pages';
import { fetchDingtalkMedia } from './media';
import { DingtalkSender } from './send';
import { SIGN_TOLERANCE_MS, verifyDingtalkCardSign, verifyDingtalkSign } from './sign';
import { StreamConnection, type StreamOptions } from './stream';

/** Where a generated card-callback apiSecret is kept. */
const CARD_SECRET_KEY = 'dingtalk.card.apiSecret';

/** The realm of DingTalk user ids (staffId). */
export const STAFF = 'dingtalk';

export interface DingtalkAdapterOptions {
  config: DingtalkConfig;
  log: Logger;
  fetch?: Fetch;
  now?: () => number;
  /** Whether a user id of a realm belongs to someone we know (person or listed villager). */
  knows: (realm: string, userId: string) => boolean;
  /** HTTP mode with a card template: where DingTalk posts card taps (`${base}/dingtalk/card`). */
  publicBaseUrl?: string;
  /** Stream supervision timings (tests shorten them). */
  stream?: Pick<StreamOptions, 'reconnectDelaysMs' | 'pingIntervalMs' | 'silenceMs' | 'connectTimeoutMs'>;
}

/**
 * 钉钉: robot messages and card taps in — over the Stream SDK (default) or signed HTTP callbacks —
 * each stored under its dedupe key before it is acknowledged; robot messages, interactive cards
 * (or ActionCards without a template) and card updates out through the outbox.
 */
export class DingtalkAdapter implements PlatformAdapter {
  readonly name = 'dingtalk' as const;
  /** Conservative per-recipient pacing; DingTalk's own flow control answers in the send result. */
  readonly limits = { perMinute: 20, perHour: 1000 };
  /** Staff ids; someone we have not met who writes to the robot is a new villager. */
  readonly realms = [{ name: STAFF, admitsStrangers: true }];
  readonly api: DingtalkApi;
  readonly sender: DingtalkSender;
  stream: StreamConnection | null = null;
  /** Stream supervision timings; tests shorten them before `start`. */
  streamTimings: DingtalkAdapterOptions['stream'];
  private readonly routeKey: string;
  private readonly pages: DingtalkPages;
  private cardSecret: string | null = null;

  constructor(private readonly o: DingtalkAdapterOptions) {
    const c = o.config;
    this.streamTimings = o.stream;
    this.api = new DingtalkApi({ apiBase: c.apiBase, oapiBase: c.oapiBase, appKey: c.appKey, appSecret: c.appSecret, fetch: o.fetch, log: o.log, now: o.now });
    this.pages = new DingtalkPages(this.api, o.log, STAFF);
    this.routeKey = `minqing_${c.robotCode}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
    this.sender = new DingtalkSender({
      api: this.api,
      robotCode: c.robotCode,
      cardTemplateId: c.cardTemplateId,
      callbackType: c.mode === 'http' ? 'HTTP' : 'STREAM',
      callbackRouteKey: c.mode === 'http' ? this.routeKey : undefined,
      log: o.log,
    });
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  realmOf(): string {
    return STAFF;
  }

  address(_realm: string, userId: string): Address {
    return { platform: 'dingtalk', channel: 'app', userId };
  }

  reach(): Reach {
    return { realm: STAFF, cards: true, batch: true, source: 'dingtalk' };
  }

  /** H5 免登 (bot/dingtalk/pages.ts): a code from dingtalk-jsapi in the page, posted to /h5/auth/dingtalk. */
  readonly pageLogin = 'client' as const;

  whoIs(code: string): Promise<LoginIdentity | null> {
    return this.pages.whoIs(code);
  }

  isClient(userAgent: string): boolean {
    return this.pages.isClient(userAgent);
  }

  pageScripts(): string[] {
    return this.pages.pageScripts();
  }

  mount(router: Router, ctx: AdapterContext): void {
    this.pages.mount(router);
    if (this.o.config.mode !== 'http') return;
    router.post('/dingtalk/robot', rawBody(), (c) => this.httpCallback(c, ctx, 'robot'));
    router.post('/dingtalk/card', rawBody(), (c) => this.httpCallback(c, ctx, 'card'));
  }

  async start(ctx: AdapterContext): Promise<void> {
    const c = this.o.config;
    if (!c.cardTemplateId) {
      this.o.log.warn('DINGTALK_CARD_TEMPLATE_ID is not set: cards go out as ActionCard messages whose buttons send text commands (受理 编号 …)');
    }
    if (c.mode === 'http') {
      if (c.cardTemplateId) await this.registerCardCallback(ctx);
      this.o.log.info('dingtalk HTTP mode: callbacks at /dingtalk/robot and /dingtalk/card');
      return;
    }
    this.stream = new StreamConnection({
      apiBase: c.apiBase,
      clientId: c.appKey,
      clientSecret: c.appSecret,
      topics: [TOPIC_ROBOT, TOPIC_CARD],
      fetch: this.o.fetch,
      log: this.o.log,
      ...this.streamTimings,
      onFrame: (topic, frame) => this.streamFrame(topic, frame, ctx),
    });
    this.stream.start();
  }

  async stop(): Promise<void> {
    await this.stream?.stop();
  }

  send(m: OutboundMessage): Promise<SendOutcome> {
    return this.sender.send(m);
  }

  /** A picture, voice, video or file sent to the robot, by its download code. */
  fetchMedia(ref: MediaRef, signal: AbortSignal): Promise<MediaAnswer> {
    return fetchDingtalkMedia(this.api, this.o.config.robotCode, this.o.fetch ?? fetch, ref, signal);
  }

  /** A stream frame: parse, store, and resolve what the acknowledgement carries. */
  private async streamFrame(topic: string, frame: DWClientDownStream, ctx: AdapterContext): Promise<unknown> {
    let body: Record<string, any>;
    try {
      body = JSON.parse(frame.data);
    } catch {
      this.o.log.warn({ topic, messageId: frame.headers?.messageId }, 'dingtalk stream frame data is not JSON; acknowledged and dropped');
      return {};
    }
    if (topic === TOPIC_CARD) {
      const d = decodeCardCallback(body, frame.headers?.messageId);
      if ('invalid' in d) {
        this.o.log.warn({ reason: d.invalid }, 'dingtalk card callback dropped');
        return {};
      }
      await ctx.ingest(d.callback.delivery);
      return this.cardAnswer(d.callback);
    }
    await this.ingestRobot(body, ctx);
    return {};
  }

  private async ingestRobot(body: Record<string, any>, ctx: AdapterContext): Promise<'stored' | 'duplicate' | 'dropped'> {
    const d = decodeRobotMessage(body);
    if ('invalid' in d || 'ignore' in d) {
      this.o.log.info({ reason: 'invalid' in d ? d.invalid : d.ignore }, 'dingtalk robot message not taken');
      return 'dropped';
    }
    const ev = d.delivery.event;
    if (ev.type === 'message' && !this.o.knows(STAFF, ev.senderId)) this.o.log.info({ from: ev.senderId }, 'dingtalk: first word from someone not in the directory; treated as a villager');
    return ctx.ingest(d.delivery);
  }

  /**
   * The answer to a tap, within DingTalk's 2 s: the tapper's copy notes that the tap was taken
   * (a private variable tied to the revision it was made on, so the shared update that follows —
   * PUT by the outbox once the rules have run — replaces it for everyone).
   */
  cardAnswer(cb: CardCallback): Record<string, unknown> {
    return {
      cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
      userPrivateData: { cardParamMap: { action_note: '已收到，正在处理…', action_note_rev: cb.rev ?? '' } },
    };
  }

  private reject(c: Context, status: number, reason: string): void {
    this.o.log.warn({ route: c.path, status, reason }, 'dingtalk callback rejected');
    c.status = status;
    c.body = { error: reason };
  }

  /**
   * The apiSecret card callbacks are signed with: DINGTALK_CARD_API_SECRET, else one generated once
   * and kept in the database (kv `dingtalk.card.apiSecret`), which start registers with DingTalk.
   */
  private async cardApiSecret(ctx: AdapterContext, create: boolean): Promise<string | null> {
    if (this.o.config.cardApiSecret) return this.o.config.cardApiSecret;
    if (this.cardSecret) return this.cardSecret;
    let secret = await ctx.kv.get(CARD_SECRET_KEY);
    if (!secret && create) {
      await ctx.kv.set(CARD_SECRET_KEY, crypto.randomBytes(32).toString('base64url'));
      secret = await ctx.kv.get(CARD_SECRET_KEY);
      this.o.log.info('dingtalk card callback apiSecret generated and kept in the database (set DINGTALK_CARD_API_SECRET to choose it)');
    }
    if (secret) protectSecrets([secret]);
    this.cardSecret = secret;
    return secret;
  }

  /**
   * HTTP mode: verify the headers' signature (the robot's covers only timestamp + secret, the card's
   * only the timestamp — neither covers the body), parse, refuse a signature already used by another
   * delivery (a captured header pair replayed with another body), store, answer. The same delivery
   * sent again passes and is a duplicate.
   */
  private async httpCallback(c: Context, ctx: AdapterContext, kind: 'robot' | 'card'): Promise<void> {
    const headers =
      kind === 'robot'
        ? { timestamp: c.headers.timestamp, sign: c.headers.sign }
        : { timestamp: c.headers['x-ddpaas-signature-timestamp'], sign: c.headers['x-ddpaas-signature'] };
    const check =
      kind === 'robot' ? verifyDingtalkSign(headers, this.o.config.appSecret, this.now()) : verifyDingtalkCardSign(headers, await this.cardApiSecret(ctx, false), this.now());
    if (!check.ok) return this.reject(c, check.status, check.reason);
    const used = async (owner: string) => !(await ctx.signatures.claim(`dingtalk:${kind}`, `${String(headers.timestamp)}:${String(headers.sign)}`, owner, Number(headers.timestamp) + SIGN_TOLERANCE_MS));
    let body: Record<string, any>;
    try {
      const text = utf8Body(c.state.rawBody as Buffer);
      if (text === null) return this.reject(c, 400, 'body is not valid UTF-8');
      body = JSON.parse(text);
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    } catch {
      return this.reject(c, 400, 'body is not a JSON object');
    }
    if (kind === 'card') {
      const d = decodeCardCallback(body);
      if ('invalid' in d) return this.reject(c, 400, d.invalid);
      if (await used(d.callback.delivery.dedupeKey)) return this.reject(c, 401, 'signature already used by another card callback (replay)');
      await ctx.ingest(d.callback.delivery);
      c.body = this.cardAnswer(d.callback);
      return;
    }
    const d = decodeRobotMessage(body);
    if ('invalid' in d) return this.reject(c, 400, d.invalid);
    if (await used(`msg:${String(body.msgId)}`)) return this.reject(c, 401, 'signature already used by another message (replay)');
    await this.ingestRobot(body, ctx);
    c.body = {};
  }

  /** HTTP mode: tell DingTalk where card taps go (`callbackRouteKey` → `/dingtalk/card`) and the apiSecret it signs them with. */
  private async registerCardCallback(ctx: AdapterContext): Promise<void> {
    const base = this.o.publicBaseUrl;
    if (!base) return void this.o.log.error('dingtalk HTTP mode needs PUBLIC_BASE_URL to register the card callback');
    try {
      const apiSecret = await this.cardApiSecret(ctx, true);
      await this.api.call('POST', '/v1.0/card/callbacks/register', { callbackRouteKey: this.routeKey, callbackUrl: `${base}/dingtalk/card`, apiSecret, forceUpdate: true });
      this.o.log.info({ routeKey: this.routeKey, url: `${base}/dingtalk/card` }, 'dingtalk card callback registered');
    } catch (e) {
      this.o.log.error({ err: e }, 'dingtalk card callback registration failed; card taps will not arrive until it succeeds');
    }
  }
}
