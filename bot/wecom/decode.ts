import type { Delivery, InboundMessage, MessageType } from '../../src/platform/types';
import { str } from './xml';

export type Decoded = { delivery: Delivery } | { ignore: string } | { invalid: string };

const MEDIA_TYPES: Record<string, MessageType> = {
  image: 'image',
  voice: 'voice',
  video: 'video',
  shortvideo: 'video',
  file: 'file',
  location: 'location',
  link: 'link',
};

/**
 * A decrypted WeCom callback (接收消息与事件) as a platform-neutral delivery with its dedupe key:
 * MsgId for messages; TaskId + EventKey + FromUserName + CreateTime for card clicks; the sync token
 * for 微信客服 nudges. Event types we do not handle are ignored (and logged by the caller).
 */
export function decodeWecom(x: Record<string, unknown>): Decoded {
  const msgType = str(x, 'MsgType');
  const from = str(x, 'FromUserName');
  const createTime = Number(str(x, 'CreateTime') ?? NaN);
  if (!msgType) return { invalid: 'no MsgType' };
  const sentAt = Number.isFinite(createTime) ? createTime * 1000 : Date.now();

  if (msgType === 'event') {
    const event = str(x, 'Event');
    if (event === 'template_card_event') {
      const taskId = str(x, 'TaskId');
      const key = str(x, 'EventKey');
      if (!from || !taskId || !key) return { invalid: 'template_card_event without FromUserName, TaskId or EventKey' };
      const selected: Record<string, string[]> = {};
      const items = (x.SelectedItems as { SelectedItem?: unknown[] } | undefined)?.SelectedItem ?? [];
      for (const it of items as Record<string, unknown>[]) {
        const q = str(it, 'QuestionKey');
        const ids = (it.OptionIds as { OptionId?: unknown[] } | undefined)?.OptionId ?? [];
        if (q) selected[q] = ids.map(String);
      }
      return {
        delivery: {
          dedupeKey: `wecom:card:${taskId}:${key}:${from}:${str(x, 'CreateTime') ?? ''}`,
          event: {
            type: 'card_action',
            platform: 'wecom',
            senderId: from,
            taskId,
            action: key,
            selected,
            ...(str(x, 'ResponseCode') ? { extra: { responseCode: str(x, 'ResponseCode')! } } : {}),
            sentAt,
          },
        },
      };
    }
    if (event === 'kf_msg_or_event') {
      const token = str(x, 'Token');
      const openKfId = str(x, 'OpenKfId');
      if (!token || !openKfId) return { invalid: 'kf_msg_or_event without Token or OpenKfId' };
      return {
        delivery: {
          dedupeKey: `wecom:kf:${openKfId}:${token}`,
          event: { type: 'pull', platform: 'wecom', data: { kind: 'kf', token, openKfId } },
        },
      };
    }
    return { ignore: `event ${event ?? '(none)'} is not handled` };
  }

  const msgId = str(x, 'MsgId');
  if (!from || !msgId) return { invalid: `${msgType} message without FromUserName or MsgId` };
  const base: InboundMessage = { type: 'message', platform: 'wecom', channel: 'app', senderId: from, msgType: 'other', sentAt, messageId: msgId };
  if (msgType === 'text') {
    return { delivery: { dedupeKey: `wecom:msg:${msgId}`, event: { ...base, msgType: 'text', text: str(x, 'Content') ?? '' } } };
  }
  const kind = MEDIA_TYPES[msgType];
  if (!kind) return { ignore: `message type ${msgType} is not handled` };
  const ev: InboundMessage = { ...base, msgType: kind, mediaId: str(x, 'MediaId') };
  if (kind === 'location') {
    ev.location = { lat: Number(str(x, 'Location_X')), lng: Number(str(x, 'Location_Y')), label: str(x, 'Label') };
  }
  if (kind === 'link') ev.text = [str(x, 'Title'), str(x, 'Url')].filter(Boolean).join(' ');
  if (kind === 'file') ev.fileName = str(x, 'FileName') ?? str(x, 'Title');
  return { delivery: { dedupeKey: `wecom:msg:${msgId}`, event: ev } };
}

/** A 微信客服 message from kf/sync_msg as a neutral event (origin 3 = the customer wrote it). */
export function decodeKfMessage(m: Record<string, any>): Delivery | null {
  if (m.origin !== 3 || !m.msgid || !m.external_userid) return null;
  const base: InboundMessage = {
    type: 'message',
    platform: 'wecom',
    channel: 'kf',
    senderId: String(m.external_userid),
    msgType: 'other',
    sentAt: Number(m.send_time) * 1000 || Date.now(),
    messageId: String(m.msgid),
    replyVia: { openKfId: String(m.open_kfid) },
  };
  const t = String(m.msgtype);
  let ev: InboundMessage;
  if (t === 'text') ev = { ...base, msgType: 'text', text: String(m.text?.content ?? '') };
  else if (t === 'location') ev = { ...base, msgType: 'location', location: { lat: Number(m.location?.latitude), lng: Number(m.location?.longitude), label: [m.location?.name, m.location?.address].filter(Boolean).join(' ') } };
  else if (t in MEDIA_TYPES) ev = { ...base, msgType: MEDIA_TYPES[t], mediaId: m[t]?.media_id };
  else ev = { ...base, msgType: 'other' };
  return { dedupeKey: `wecom:kfmsg:${m.msgid}`, event: ev };
}
