import type Router from '@koa/router';
import type { Context } from 'koa';
import { toWecomTemplateCard } from '../../cards/wecom';
import type { WecomConfig } from '../../src/config';
import { rawBody } from '../../src/http/raw-body';
import type { Logger } from '../../src/log';
import type { AdapterContext, Address, LoginIdentity, InboundCardAction, InboundMessage, InboundPull, MediaAnswer, MediaRef, OutboundMessage, PlatformAdapter, Reach, SendOutcome } from '../../src/platform/types';
import { Fetch, WecomApi, WecomApiError } from './api';
import { WecomCrypto, WecomVerifyError } from './crypto';
import { decodeKfMessage, decodeWecom } from './decode';
import { WecomPages } from './pages';
import { fetchWecomMedia } from './media';
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

interface CardCode {
  code: string | null;
  at: number;
}

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
  }

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

  /** A tap brings a fresh code for updating that card (single use): kept, by task id, for the update. */
  async noteCardAction(ev: InboundCardAction, ctx: AdapterContext): Promise<void> {
    const code = ev.extra?.responseCode ?? (ev as { responseCode?: string }).responseCode;
    if (code) await this.keepCode(ctx, ev.taskId, code);
  }

  private keepCode(ctx: AdapterContext, taskId: string, code: string | null): Promise<void> {
    return ctx.kv.set(`wecom.card.${taskId}`, JSON.stringify({ code, at: this.now() } satisfies CardCode));
  }

  private async cardCode(ctx: AdapterContext, taskId: string): Promise<string | null> {
    const raw = await ctx.kv.get(`wecom.card.${taskId}`);
    return raw ? (JSON.parse(raw) as CardCode).code : null;
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
    await ctx.ingest(decoded.delivery);
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

  async send(m: OutboundMessage, ctx: AdapterContext): Promise<SendOutcome> {
    const agentid = this.o.config.agentId;
    try {
      const p = m.payload;
      if (m.channel === 'kf') {
        if (p.kind !== 'text') return { ok: false, retryable: false, error: `微信客服 cannot take ${p.kind} messages` };
        if (m.to.length !== 1) return { ok: false, retryable: false, error: `kf/send_msg takes one recipient, not ${m.to.length}` };
        const r = await this.api.post('/cgi-bin/kf/send_msg', { touser: m.to[0], open_kfid: m.via?.openKfId, msgtype: 'text', text: { content: p.text } });
        return { ok: true, result: { msgid: r.msgid } };
      }
      const touser = m.to.join('|');
      let r: Record<string, any>;
      switch (p.kind) {
        case 'text':
          r = await this.api.post('/cgi-bin/message/send', { touser, msgtype: 'text', agentid, text: { content: p.text } });
          break;
        case 'card':
          r = await this.api.post('/cgi-bin/message/send', { touser, msgtype: 'template_card', agentid, template_card: toWecomTemplateCard(p.card, p.taskId) });
          break;
        case 'card_update': {
          const code = await this.cardCode(ctx, p.taskId);
          if (!code) return { ok: false, retryable: false, error: 'no response_code to update this card with (card not delivered, or its code was used)' };
          r = await this.api.post('/cgi-bin/message/update_template_card', {
            userids: m.to,
            agentid,
            response_code: code,
            button: { replace_name: p.replaceName },
          });
          // Single use: the next update needs the code of a later tap.
          await this.keepCode(ctx, p.taskId, null);
          break;
        }
        case 'image': {
          const mediaId = await this.uploadImage(Buffer.from(p.pngBase64, 'base64'));
          r = await this.api.post('/cgi-bin/message/send', { touser, msgtype: 'image', agentid, image: { media_id: mediaId } });
          break;
        }
      }
      // invaliduser: not members; unlicenseduser: members without an interface licence (接口许可) —
      // WeCom answers 0 for both, and neither gets the message.
      const invalid = [r.invaliduser, r.unlicenseduser].flatMap((x) => (Array.isArray(x) ? x : String(x ?? '').split('|'))).filter(Boolean).map(String);
      if (invalid.length && invalid.length >= m.to.length) return { ok: false, retryable: false, error: `all recipients invalid or unlicensed: ${invalid.join('|')}` };
      if (invalid.length) this.o.log.warn({ outboxId: m.id, invalid }, 'some recipients are not WeCom members');
      if (p.kind === 'card' && typeof r.response_code === 'string') await this.keepCode(ctx, p.taskId, r.response_code);
      return { ok: true, result: { msgid: r.msgid, responseCode: r.response_code, invaliduser: invalid.length ? invalid.join('|') : undefined } };
    } catch (e) {
      if (e instanceof WecomApiError) return { ok: false, retryable: e.retryable, error: e.message };
      throw e;
    }
  }

  private async uploadImage(png: Buffer): Promise<string> {
    const r = await this.api.upload('/cgi-bin/media/upload', { type: 'image' }, () => {
      const form = new FormData();
      form.append('media', new Blob([png], { type: 'image/png' }), 'chart.png');
      return form;
    });
    return String(r.media_id);
  }
}
