import { toWecomTemplateCard } from '../../cards/wecom';
import { T } from '../../src/domain/texts';
import type { Logger } from '../../src/log';
import type { AdapterContext, OutboundMessage, OutboundPayload, SendOutcome } from '../../src/platform/types';
import { WecomApi, WecomApiError } from './api';
import { CardCodes, MAX_CODES, usable } from './codes';

/**
 * Duplicate check on every message/send (发送应用消息: `enable_duplicate_check`, at most 4 h): WeCom drops
 * a message of the same content to the same recipients within the interval, so a send retried after a
 * timeout — WeCom got it, we never heard — reaches nobody twice. Cards carry their unique task id, so
 * only a retry of the very same card is dropped; two genuinely identical texts to one person within
 * 30 minutes would arrive once (docs/interface.md#wecom-cards).
 */
export const DUPLICATE_CHECK = { enable_duplicate_check: 1, duplicate_check_interval: 1800 } as const;

/** 42022: code已经被使用过，只能使用一次 (全局错误码). */
const CODE_USED = 42022;
/** 40058 不合法的参数 — a code that is unknown or past its 72 h/24 h says so in errmsg. */
const BAD_PARAM = 40058;

/** WeCom refused the response code itself (used, unknown, expired): spend it and take the next one. */
export function codeRefused(e: WecomApiError): boolean {
  return e.errcode === CODE_USED || (e.errcode === BAD_PARAM && /response_?code/i.test(e.errmsg));
}

export interface WecomSendDeps {
  api: WecomApi;
  agentId: string | number;
  log: Logger;
  now: () => number;
}

type CardUpdate = Extract<OutboundPayload, { kind: 'card_update' }>;

/** message/send, update_template_card (with its codes), and 微信客服 kf/send_msg — one outbox row each. */
export class WecomSender {
  constructor(private readonly d: WecomSendDeps) {}

  async send(m: OutboundMessage, ctx: AdapterContext): Promise<SendOutcome> {
    const agentid = this.d.agentId;
    const signal = m.signal;
    try {
      const p = m.payload;
      if (m.channel === 'kf') {
        if (p.kind !== 'text') return { ok: false, retryable: false, error: `微信客服 cannot take ${p.kind} messages` };
        if (m.to.length !== 1) return { ok: false, retryable: false, error: `kf/send_msg takes one recipient, not ${m.to.length}` };
        const r = await this.d.api.post('/cgi-bin/kf/send_msg', { touser: m.to[0], open_kfid: m.via?.openKfId, msgtype: 'text', text: { content: p.text } }, signal);
        return { ok: true, result: { msgid: r.msgid } };
      }
      const touser = m.to.join('|');
      let r: Record<string, any>;
      let extra: Record<string, unknown> = {};
      switch (p.kind) {
        case 'text':
          r = await this.appSend(m, { touser, msgtype: 'text', agentid, text: { content: p.text } });
          break;
        case 'card':
          r = await this.appSend(m, { touser, msgtype: 'template_card', agentid, template_card: toWecomTemplateCard(p.card, p.taskId) });
          if (typeof r.response_code === 'string' && r.response_code) {
            await new CardCodes(ctx.kv, this.d.now).add(p.taskId, { code: r.response_code, at: this.d.now(), from: 'send' });
          }
          break;
        case 'card_update': {
          const u = await this.updateCard(m, p, ctx);
          r = u.r;
          extra = { update: u.mode };
          break;
        }
        case 'image': {
          const mediaId = await this.uploadImage(Buffer.from(p.pngBase64, 'base64'), signal);
          r = await this.appSend(m, { touser, msgtype: 'image', agentid, image: { media_id: mediaId } });
          break;
        }
      }
      // invaliduser: not members; unlicenseduser: members without an interface licence (接口许可) —
      // WeCom answers 0 for both, and neither gets the message.
      const invalid = [r.invaliduser, r.unlicenseduser].flatMap((x) => (Array.isArray(x) ? x : String(x ?? '').split('|'))).filter(Boolean).map(String);
      if (invalid.length && invalid.length >= m.to.length) return { ok: false, retryable: false, error: `all recipients invalid or unlicensed: ${invalid.join('|')}` };
      if (invalid.length) this.d.log.warn({ outboxId: m.id, invalid }, 'some recipients are not WeCom members');
      return { ok: true, result: { msgid: r.msgid, responseCode: r.response_code, invaliduser: invalid.length ? invalid.join('|') : undefined, ...extra } };
    } catch (e) {
      if (e instanceof WecomApiError) return { ok: false, retryable: e.retryable, error: e.message };
      throw e;
    }
  }

  private appSend(m: OutboundMessage, body: Record<string, unknown>): Promise<Record<string, any>> {
    return this.d.api.post('/cgi-bin/message/send', { ...body, ...DUPLICATE_CHECK }, m.signal);
  }

  /**
   * A card update: the whole card (状态, 首问责任人 and the closing note), with the code to spend first
   * (see `usable`). WeCom refusing the code → the next code; refusing the card itself → the buttons'
   * text with the same code; no code left → a text to the same people saying what changed.
   * A timeout or a busy WeCom throws (the outbox tries again later).
   */
  private async updateCard(m: OutboundMessage, p: CardUpdate, ctx: AdapterContext): Promise<{ r: Record<string, any>; mode: 'card' | 'button' | 'text' }> {
    const codes = new CardCodes(ctx.kv, this.d.now);
    const base = { userids: m.to, agentid: this.d.agentId };
    const whole = { template_card: toWecomTemplateCard(p.card, p.taskId, { update: true }) };
    const button = { button: { replace_name: p.replaceName } };
    for (let i = 0; i <= MAX_CODES; i++) {
      const code = usable(await codes.book(p.taskId), this.d.now())[0];
      if (!code) break;
      const call = (shape: object) => this.d.api.post('/cgi-bin/message/update_template_card', { ...base, response_code: code.code, ...shape }, m.signal);
      try {
        const r = await call(whole);
        await codes.spend(p.taskId, code.code);
        return { r, mode: 'card' };
      } catch (e) {
        // A timeout or busy WeCom: try again later — if the code was spent meanwhile, WeCom will say so.
        if (!(e instanceof WecomApiError) || e.retryable) throw e;
        if (codeRefused(e)) {
          this.d.log.info({ outboxId: m.id, errcode: e.errcode, from: code.from }, 'wecom response code refused; trying the next one');
          await codes.spend(p.taskId, code.code);
          continue;
        }
        this.d.log.warn({ outboxId: m.id, errcode: e.errcode }, 'wecom refused the whole card update; replacing the button text instead');
      }
      try {
        const r = await call(button);
        await codes.spend(p.taskId, code.code);
        return { r, mode: 'button' };
      } catch (e) {
        if (!(e instanceof WecomApiError) || e.retryable) throw e;
        // Refused in both shapes: the code is what WeCom does not take.
        this.d.log.info({ outboxId: m.id, errcode: e.errcode, from: code.from }, 'wecom refused the button update too; trying the next code');
        await codes.spend(p.taskId, code.code);
      }
    }
    // No code left (the card never reached them, or every code is used or past its time): say it in words.
    const r = await this.appSend(m, { touser: m.to.join('|'), msgtype: 'text', agentid: this.d.agentId, text: { content: T.cardUpdateText(p.card.code, p.card.title, p.replaceName) } });
    this.d.log.info({ outboxId: m.id }, 'wecom card can no longer be updated; sent the change as a text');
    return { r, mode: 'text' };
  }

  private async uploadImage(png: Buffer, signal?: AbortSignal): Promise<string> {
    const r = await this.d.api.upload(
      '/cgi-bin/media/upload',
      { type: 'image' },
      () => {
        const form = new FormData();
        form.append('media', new Blob([png], { type: 'image/png' }), 'chart.png');
        return form;
      },
      undefined,
      signal,
    );
    return String(r.media_id);
  }
}
