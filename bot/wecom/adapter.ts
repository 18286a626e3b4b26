import type Router from '@koa/router';
import type { Context } from 'koa';
import type { WecomConfig } from '../../src/config';
import { rawBody } from '../../src/http/raw-body';
import type { Logger } from '../../src/log';
import type { AdapterContext, Address, LoginIdentity, InboundCardAction, InboundMessage, InboundPull, MediaAnswer, MediaRef, OutboundMessage, PlatformAdapter, Reach, SendOutcome } from '../../src/platform/types';
import { Fetch, WecomApi, WecomApiError } from './api';
import { CardCodes } from './codes';
import { WecomCrypto, WecomVerifyError } from './crypto';
import { decodeKfMessage, decodeWecom } from './decode';
import { WecomPages } from './pages';
import { fetchWecomMedia } from './media';
import { sealedReply, tapReplyText, updateButtonXml } from './reply';
import { WecomSender } from './send';
import { extractEncrypt, parseWecomXml, XmlError } from './xml';

export interface WecomAdapterOptions {
  config: WecomConfig;
  log: Logger;
  fetch?: Fetch;
  now?: () => number;
  /** Whether a user id of a realm belongs to someone we know (person or listed villager). */
  knows: (realm: string, userId: string) => boolean;
  /** The pages' base address (the JS-SDK signs only pages under it). */
  publicBaseUrl?: string;
}

/** WeCom members (userid) and 微信客服 customers (external_userid) are two realms of ids. */
export const MEMBERS = 'wecom';
export const KF_CUSTOMERS = 'wecom_kf';
/** 微信客服 lets us answer within 48 h of the customer's last message, at most 5 messages. */
export const KF_WINDOW = { ms: 48 * 3600 * 1000, messages: 5 };

const FLAT_NAMES = /^[A-Za-z][A-Za-z0-9_]*$/;
const NOT_FLAT_NAMES = new Set(['SelectedItem', 'OptionId', 'prototype']);

/**
 * The shape of every WeCom message callback — `<xml><Name>text</Name><Name><![CDATA[…]]></Name>…</xml>`:
 * one level, no attributes, no whitespace between elements, no `\r`, text without `&` or `>`, each
 * name once and none that Object.prototype has — read without the general parser, which costs the
 * ack path more than the SHA1 and the AES together (`npm run bench`). Returns what `parseWecomXml`
 * returns for such a document (text trimmed, CDATA as written), and null for anything else, which
 * then goes through `parseWecomXml`. test/bench/flat-xml.test.ts holds the two to the same answers.
 */
export function readFlatXml(text: string): Record<string, string> | null {
  if (!text.startsWith('<xml><') || !text.endsWith('</xml>') || text.includes('\r')) return null;
  const end = text.length - 6;
  const out: Record<string, string> = {};
  let n = 0;
  let i = 5;
  while (i < end) {
    if (text.charCodeAt(i) !== 60 /* < */) return null;
    const gt = text.indexOf('>', i);
    if (gt < 0 || gt >= end) return null;
    const name = text.slice(i + 1, gt);
    if (!FLAT_NAMES.test(name) || NOT_FLAT_NAMES.has(name) || name in out) return null;
    i = gt + 1;
    let value: string;
    if (text.startsWith('<![CDATA[', i)) {
      const stop = text.indexOf(']]>', i + 9);
      if (stop < 0) return null;
      value = text.slice(i + 9, stop);
      i = stop + 3;
    } else {
      const lt = text.indexOf('<', i);
      if (lt < 0) return null;
      value = text.slice(i, lt);
      if (/[&>]/.test(value)) return null;
      value = value.trim();
      i = lt;
    }
    if (!text.startsWith(`</${name}>`, i)) return null;
    i += name.length + 3;
    out[name] = value;
    n++;
  }
  return i === end && n > 0 ? out : null;
}

/** Query parameters given once; a repeated one (`?nonce=a&nonce=b`) counts as missing. */
function singleValues(query: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
}

/**
 * 企业微信: the callback receiver (verify → decrypt → decode → store → 200) and the sender
 * (message/send, update_template_card, 微信客服 kf/send_msg, kf/sync_msg).
 */
export class WecomAdapter implements PlatformAdapter {
  readonly name = 'wecom' as const;
  readonly limits = { perMinute: 30, perHour: 1000 };
  /** Only members write to the app; anyone may write to 微信客服. */
  readonly realms = [
    { name: MEMBERS, admitsStrangers: false },
    { name: KF_CUSTOMERS, admitsStrangers: true },
  ];
  readonly crypto: WecomCrypto;
  readonly api: WecomApi;

  constructor(private readonly o: WecomAdapterOptions) {
    this.crypto = new WecomCrypto({
      token: o.config.token,
      encodingAesKey: o.config.encodingAesKey,
      receiveId: o.config.corpId,
      toleranceS: o.config.timestampToleranceS,
    });
    this.api = new WecomApi({ base: o.config.apiBase, corpId: o.config.corpId, secret: o.config.secret, fetch: o.fetch, log: o.log, now: o.now });
    this.pages = new WecomPages(o.config, this.api, o.log, o.publicBaseUrl ?? '', o.now);
    this.sender = new WecomSender({ api: this.api, agentId: o.config.agentId, log: o.log, now: () => this.now() });
  }

  private readonly sender: WecomSender;

  /** The pages: OAuth2 login, the JS-SDK (bot/wecom/pages.ts). */
  private readonly pages: WecomPages;
  readonly pageLogin = 'oauth' as const;

  whoIs(code: string): Promise<LoginIdentity | null> {
    return this.pages.whoIs(code);
  }

  loginUrl(redirectUri: string, state: string): string {
    return this.pages.loginUrl(redirectUri, state);
  }

  isClient(userAgent: string): boolean {
    return this.pages.isClient(userAgent);
  }

  pageScripts(): string[] {
    return this.pages.pageScripts();
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  realmOf(ev: InboundMessage | InboundCardAction): string {
    return ev.type === 'message' && ev.channel === 'kf' ? KF_CUSTOMERS : MEMBERS;
  }

  address(realm: string, userId: string): Address | null {
    // A 微信客服 customer is answered through the 客服 account they wrote to, never out of the blue.
    return realm === MEMBERS ? { platform: 'wecom', channel: 'app', userId } : null;
  }

  reach(a: Address): Reach {
    if (a.channel === 'kf') return { realm: KF_CUSTOMERS, cards: false, batch: false, window: KF_WINDOW, source: 'kf' };
    return { realm: MEMBERS, cards: true, batch: true, source: 'wecom' };
  }

  /** A file a member or a 微信客服 customer sent: the same media/get for both. */
  fetchMedia(ref: MediaRef, signal: AbortSignal): Promise<MediaAnswer> {
    return fetchWecomMedia(this.api, ref, signal);
  }

  /**
   * A tap brings a fresh code for updating that card (single use, 72 h from the tap): kept with the
   * card's others under `wecom.card.<taskId>` (bot/wecom/codes.ts), marked when the tap was answered
   * with a passive reply (WeCom may count that as its use, so it is spent last).
   */
  async noteCardAction(ev: InboundCardAction, ctx: AdapterContext): Promise<void> {
    const code = ev.extra?.responseCode;
    if (!code) return;
    const now = this.now();
    const at = Number.isFinite(ev.sentAt) ? Math.min(ev.sentAt, now) : now;
    await new CardCodes(ctx.kv, () => this.now()).add(ev.taskId, { code, at, from: 'tap', ...(ev.extra?.passive ? { passive: true } : {}) });
  }

  mount(router: Router, ctx: AdapterContext): void {
    router.get('/wecom/callback', (c) => this.verifyUrl(c));
    router.post('/wecom/callback', rawBody(), (c) => this.receive(c, ctx));
    this.pages.mount(router, ctx.tickets);
  }

  private reject(c: Context, status: number, reason: string): void {
    this.o.log.warn({ route: c.path, status, reason }, 'wecom callback rejected');
    c.status = status;
    c.body = { error: reason };
  }

  /** URL verification: answer the decrypted echostr in plain text. */
  private verifyUrl(c: Context): void {
    const q = singleValues(c.query);
    try {
      if (!q.echostr) throw new WecomVerifyError(400, 'missing echostr');
      // Base64 has no spaces: a "+" sent unencoded reaches us as one.
      const echostr = q.echostr.replace(/ /g, '+');
      this.crypto.verify(q, echostr, this.now());
      c.type = 'text/plain';
      c.body = this.crypto.decrypt(echostr);
    } catch (e) {
      if (e instanceof WecomVerifyError) return this.reject(c, e.status, e.reason);
      throw e;
    }
  }

  private async receive(c: Context, ctx: AdapterContext): Promise<void> {
    const q = singleValues(c.query);
    const raw: Buffer = c.state.rawBody;
    let plain: Record<string, unknown>;
    try {
      // The signature covers <Encrypt>, so only that element is read from the unverified body;
      // no XML parser sees a byte before the signature has been checked.
      const encrypted = extractEncrypt(raw.toString('utf8'));
      if (!encrypted) throw new WecomVerifyError(400, 'body is not WeCom XML with an <Encrypt> element');
      this.crypto.verify(q, encrypted, this.now());
      const text = this.crypto.decrypt(encrypted);
      plain = readFlatXml(text) ?? parseWecomXml(text);
    } catch (e) {
      if (e instanceof WecomVerifyError) return this.reject(c, e.status, e.reason);
      if (e instanceof XmlError) return this.reject(c, 400, e.message);
      throw e;
    }
    const decoded = decodeWecom(plain);
    if ('invalid' in decoded) return this.reject(c, 400, decoded.invalid);
    c.type = 'text/plain';
    c.body = '';
    if ('ignore' in decoded) {
      this.o.log.info({ reason: decoded.ignore }, 'wecom callback ignored');
      return;
    }
    const ev = decoded.delivery.event;
    if (ev.type !== 'pull' && !this.o.knows(this.realmOf(ev), ev.senderId)) {
      this.o.log.warn({ reason: 'unknown FromUserName', from: ev.senderId }, 'wecom callback ignored');
      return;
    }
    const tap = ev.type === 'card_action' ? ev : null;
    const reply = tap ? tapReplyText(tap.action) : null;
    // Marked before it is stored: the code this tap brings may be spent by the reply (see noteCardAction).
    if (tap && reply) tap.extra = { ...tap.extra, passive: '1' };
    await ctx.ingest(decoded.delivery);
    if (tap && reply) {
      // The passive reply (bot/wecom/reply.ts): the tapper's card changes at once, the work comes after.
      const plain = updateButtonXml({ toUser: tap.senderId, corpId: this.o.config.corpId, createTime: Math.floor(this.now() / 1000), replaceName: reply });
      c.type = 'application/xml';
      c.body = sealedReply(this.crypto, plain, q.timestamp!, q.nonce!);
    }
  }

  /** 微信客服: read new messages since the stored cursor, store each, then move the cursor on. */
  async pull(ev: InboundPull, ctx: AdapterContext): Promise<void> {
    const openKfId = ev.data.openKfId;
    const key = `wecom.kf.cursor.${openKfId}`;
    let token: string | undefined = ev.data.token;
    for (let page = 0; page < 100; page++) {
      const cursor = (await ctx.kv.get(key)) ?? undefined;
      let r: Record<string, any>;
      try {
        r = await this.api.post('/cgi-bin/kf/sync_msg', { cursor, token, limit: 1000, open_kfid: openKfId });
      } catch (e) {
        // The callback token lives 10 minutes; a late pull may go on without it.
        if (e instanceof WecomApiError && token && (e.errcode === 95007 || e.errcode === 95008)) {
          token = undefined;
          continue;
        }
        throw e;
      }
      for (const m of (r.msg_list ?? []) as Record<string, any>[]) {
        const d = decodeKfMessage(m);
        if (d) await ctx.ingest(d);
      }
      if (r.next_cursor) await ctx.kv.set(key, String(r.next_cursor));
      if (!r.has_more) return;
    }
  }

  /** message/send, update_template_card, kf/send_msg (bot/wecom/send.ts). */
  send(m: OutboundMessage, ctx: AdapterContext): Promise<SendOutcome> {
    return this.sender.send(m, ctx);
  }
}
