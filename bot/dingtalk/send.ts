import { cardCode, toDingtalkActionCard, toDingtalkCardData } from '../../cards/dingtalk';
import type { CardContent } from '../../cards/content';
import type { Logger } from '../../src/log';
import type { OutboundMessage, SendOutcome } from '../../src/platform/types';
import { DingtalkApi, DingtalkApiError } from './api';

/** `oToMessages/batchSend` takes at most 20 users a call. */
export const BATCH = 20;

export interface SenderOptions {
  api: DingtalkApi;
  robotCode: string;
  cardTemplateId?: string;
  /** 'STREAM' in stream mode; 'HTTP' (with the registered route key) in HTTP mode. */
  callbackType: 'STREAM' | 'HTTP';
  callbackRouteKey?: string;
  log: Logger;
}

const chunks = <T>(list: T[], n: number): T[][] => Array.from({ length: Math.ceil(list.length / n) }, (_, i) => list.slice(i * n, i * n + n));

/**
 * What leaves through the outbox on DingTalk: robot messages to people (batched by 20) and to
 * groups, interactive cards (createAndDeliver, then PUT on updates) or, without a template,
 * ActionCards. Errors come back classified; a row retried after a partial batch does not resend
 * the batches that already went (kept in memory for the life of the process).
 */
export class DingtalkSender {
  private readonly done = new Map<number, Set<number>>();

  constructor(private readonly o: SenderOptions) {}

  async send(m: OutboundMessage): Promise<SendOutcome> {
    try {
      const p = m.payload;
      let result: Record<string, unknown>;
      switch (p.kind) {
        case 'text':
          result = await this.message(m, 'sampleText', { content: p.text });
          break;
        case 'image': {
          const mediaId = await this.upload(Buffer.from(p.pngBase64, 'base64'), m.signal);
          result = await this.message(m, 'sampleImageMsg', { photoURL: mediaId });
          if (p.caption) await this.message({ ...m, id: -m.id }, 'sampleText', { content: p.caption });
          break;
        }
        case 'card':
          if (this.o.cardTemplateId) result = await this.deliverCard(m, p.taskId, p.card);
          else {
            const ac = toDingtalkActionCard(p.card);
            result = await this.message(m, ac.msgKey, ac.msgParam);
          }
          break;
        case 'card_update':
          if (this.o.cardTemplateId) result = await this.updateCard(p.taskId, p.card, m.signal);
          else result = await this.message(m, 'sampleText', { content: `${p.card.title}（${cardCode(p.card)}）：${p.replaceName}` });
          break;
      }
      this.done.delete(m.id);
      return { ok: true, result };
    } catch (e) {
      if (e instanceof DingtalkApiError) return { ok: false, retryable: e.retryable, error: e.message, retryAfterMs: e.code === 'FlowControlled' ? 60_000 : undefined };
      throw e;
    }
  }

  /** A robot message: to a group by its conversation id, else to the users, 20 a call. */
  private async message(m: OutboundMessage, msgKey: string, param: Record<string, string>): Promise<Record<string, unknown>> {
    const msgParam = JSON.stringify(param);
    if (m.channel === 'group') {
      const openConversationId = m.via?.conversationId;
      if (!openConversationId) throw new DingtalkApiError(0, 'NoConversation', 'group message without a conversation id', false);
      const r = await this.o.api.call('POST', '/v1.0/robot/groupMessages/send', { robotCode: this.o.robotCode, openConversationId, msgKey, msgParam }, m.signal);
      return { processQueryKey: r.processQueryKey };
    }
    const sent = this.done.get(m.id) ?? new Set<number>();
    this.done.set(m.id, sent);
    const keys: string[] = [];
    const invalid: string[] = [];
    const throttled: string[] = [];
    const batches = chunks(m.to, BATCH);
    for (const [i, userIds] of batches.entries()) {
      if (sent.has(i)) continue;
      const r = await this.o.api.call('POST', '/v1.0/robot/oToMessages/batchSend', { robotCode: this.o.robotCode, userIds, msgKey, msgParam }, m.signal);
      keys.push(String(r.processQueryKey ?? ''));
      invalid.push(...((r.invalidStaffIdList ?? []) as string[]));
      throttled.push(...((r.flowControlledStaffIdList ?? []) as string[]));
      sent.add(i);
    }
    if (invalid.length && invalid.length >= m.to.length) throw new DingtalkApiError(200, 'InvalidStaff', `no recipient is a member: ${invalid.join('|')}`, false);
    if (throttled.length && throttled.length >= m.to.length) {
      this.done.delete(m.id);
      throw new DingtalkApiError(200, 'FlowControlled', `every recipient is flow-controlled: ${throttled.join('|')}`, true);
    }
    if (invalid.length || throttled.length) this.o.log.warn({ outboxId: m.id, invalid, flowControlled: throttled }, 'dingtalk: some recipients did not get the message');
    return { processQueryKeys: keys, batches: batches.length, invalid: invalid.length ? invalid : undefined, flowControlled: throttled.length ? throttled : undefined };
  }

  /** One card instance for every recipient (our task id as outTrackId), delivered to each chat. */
  private async deliverCard(m: OutboundMessage, taskId: string, card: CardContent): Promise<Record<string, unknown>> {
    const group = m.channel === 'group';
    const spaces = group ? [`IM_GROUP.${m.via?.conversationId}`] : m.to.map((u) => `IM_ROBOT.${u}`);
    const openSpaceId = `dtv1.card//${spaces.join(';')}`;
    const deliver = group
      ? { imGroupOpenSpaceModel: { supportForward: false, lastMessageI18n: { ZH_CN: card.title } }, imGroupOpenDeliverModel: { robotCode: this.o.robotCode } }
      : { imRobotOpenSpaceModel: { supportForward: false, lastMessageI18n: { ZH_CN: card.title } }, imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: this.o.robotCode } };
    let r: Record<string, any>;
    try {
      r = await this.o.api.call('POST', '/v1.0/card/instances/createAndDeliver', {
        cardTemplateId: this.o.cardTemplateId,
        outTrackId: taskId,
        callbackType: this.o.callbackType,
        ...(this.o.callbackRouteKey ? { callbackRouteKey: this.o.callbackRouteKey } : {}),
        cardData: { cardParamMap: toDingtalkCardData(card) },
        openSpaceId,
        userIdType: 1,
        ...deliver,
      }, m.signal);
    } catch (e) {
      // A retry after the instance was created: the outTrackId exists, so only deliver it again.
      if (!(e instanceof DingtalkApiError) || !/outTrackId|duplicat|exist|repeat/i.test(`${e.code} ${e.detail}`) || e.status >= 500) throw e;
      this.o.log.info({ taskId, code: e.code }, 'dingtalk card instance exists; delivering it again');
      r = await this.o.api.call('POST', '/v1.0/card/instances/deliver', { outTrackId: taskId, openSpaceId, userIdType: 1, ...deliver }, m.signal);
    }
    const results = ((r.result?.deliverResults ?? r.result ?? []) as Record<string, any>[]).filter((x) => x && typeof x === 'object' && 'success' in x);
    const failed = results.filter((x) => !x.success);
    if (results.length && failed.length === results.length) {
      throw new DingtalkApiError(200, 'DeliverFailed', failed.map((x) => `${x.spaceId}: ${x.errorMsg}`).join('; '), false);
    }
    if (failed.length) this.o.log.warn({ taskId, failed }, 'dingtalk card not delivered to some chats');
    return { outTrackId: taskId, delivered: results.length - failed.length || m.to.length };
  }

  /** Every copy of the card shows the new public data (one PUT for all recipients). */
  private async updateCard(taskId: string, card: CardContent, signal?: AbortSignal): Promise<Record<string, unknown>> {
    await this.o.api.call('PUT', '/v1.0/card/instances', {
      outTrackId: taskId,
      cardData: { cardParamMap: toDingtalkCardData(card) },
      cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
      userIdType: 1,
    }, signal);
    return { outTrackId: taskId };
  }

  /** Pictures go up through the old API's media/upload; `sampleImageMsg` takes the media id. */
  private async upload(png: Buffer, signal?: AbortSignal): Promise<string> {
    const form = new FormData();
    form.append('type', 'image');
    form.append('media', new Blob([png], { type: 'image/png' }), 'chart.png');
    const r = await this.o.api.oapi('/media/upload', { method: 'POST', body: form }, signal);
    return String(r.media_id);
  }
}
