import type { Delivery, InboundMessage, MessageType } from '../../src/platform/types';

export type Decoded = { delivery: Delivery } | { ignore: string } | { invalid: string };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** The content of a robot message that is not text: a download code stands for the media id. */
const MEDIA: Record<string, MessageType> = { picture: 'image', audio: 'voice', video: 'video', file: 'file' };

/** `content` comes as an object, or as a JSON string of one. */
function contentOf(raw: unknown): Record<string, any> {
  if (typeof raw === 'string') {
    try {
      const parsed = JSON.parse(raw) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, any>) : {};
    } catch {
      return {};
    }
  }
  return raw && typeof raw === 'object' ? (raw as Record<string, any>) : {};
}

/**
 * A robot message (机器人接收消息: stream topic `/v1.0/im/bot/messages/get`, or the HTTP-mode body)
 * as a neutral delivery, deduplicated on `msgId`. 1:1 chats (`conversationType` "1") come as
 * channel `app`; group @-messages ("2") as `group`, answered in the group by its conversation id.
 * Staff are known by `senderStaffId`; someone without one is kept by `senderId`.
 */
export function decodeRobotMessage(m: Record<string, any>): Decoded {
  const msgId = str(m.msgId);
  const sender = str(m.senderStaffId) ?? str(m.senderId);
  const msgtype = str(m.msgtype);
  if (!msgId || !sender || !msgtype) return { invalid: 'robot message without msgId, sender or msgtype' };
  const group = String(m.conversationType) === '2';
  const conversationId = str(m.conversationId);
  if (group && !conversationId) return { invalid: 'group message without conversationId' };
  const base: InboundMessage = {
    type: 'message',
    platform: 'dingtalk',
    channel: group ? 'group' : 'app',
    senderId: sender,
    msgType: 'other',
    sentAt: Number(m.createAt) || Date.now(),
    messageId: msgId,
    ...(group ? { replyVia: { conversationId } } : {}),
  };
  const delivery = (ev: InboundMessage): Decoded => ({ delivery: { dedupeKey: `dingtalk:msg:${msgId}`, event: ev } });
  const c = contentOf(m.content);

  if (msgtype === 'text') {
    // DingTalk puts a space before the text (after the @robot mention in groups).
    return delivery({ ...base, msgType: 'text', text: String(m.text?.content ?? '').replace(/^\s+/, '') });
  }
  if (msgtype === 'richText') {
    const parts = (Array.isArray(c.richText) ? c.richText : []) as Record<string, any>[];
    const text = parts.map((p) => (typeof p.text === 'string' ? p.text : '')).join('').replace(/^\s+/, '');
    const picture = parts.find((p) => p.downloadCode || p.pictureDownloadCode);
    if (text.trim()) return delivery({ ...base, msgType: 'text', text });
    if (picture) return delivery({ ...base, msgType: 'image', mediaId: str(picture.downloadCode) ?? str(picture.pictureDownloadCode) });
    return { ignore: 'empty richText message' };
  }
  const kind = MEDIA[msgtype];
  if (!kind) return { ignore: `message type ${msgtype} is not handled` };
  const ev: InboundMessage = { ...base, msgType: kind, mediaId: str(c.downloadCode) ?? str(c.pictureDownloadCode) };
  if (kind === 'file') ev.fileName = str(c.fileName);
  // DingTalk's own speech recognition of the clip (optional: it may be missing or empty).
  if (kind === 'voice' && str(c.recognition)?.trim()) ev.text = String(c.recognition).trim();
  return delivery(ev);
}

/** Button parameters the card template sends back that are not a selection. */
const RESERVED = new Set(['action', 'rev', 'select', 'select_key']);

export interface CardCallback {
  delivery: Delivery;
  /** The card revision the tapped copy showed (our template sends it with every button). */
  rev?: string;
  action: string;
}

/**
 * A card button tap (卡片回传请求: stream topic `/v1.0/card/instances/callback`, or the HTTP-mode
 * body): `outTrackId` is our card's task id, `content` (a JSON string) carries
 * `cardPrivateData.params` — our template sends `action` (the button key), `rev`, and the
 * selection as `select_key` + `select`. The dedupe key is the tap's identity: card, action, user
 * and the stream frame's message id (the same when the platform redelivers it); over HTTP, the
 * revision the tap was made on and the selection.
 */
export function decodeCardCallback(m: Record<string, any>, frameId?: string): { callback: CardCallback } | { invalid: string } {
  const taskId = str(m.outTrackId);
  const userId = str(m.userId);
  if (!taskId || !userId) return { invalid: 'card callback without outTrackId or userId' };
  let content: Record<string, any>;
  try {
    const raw = m.content ?? m.value;
    content = typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {});
  } catch {
    return { invalid: 'card callback content is not JSON' };
  }
  const priv = (content.cardPrivateData ?? {}) as { actionIds?: unknown[]; params?: Record<string, unknown> };
  const params = priv.params ?? {};
  const action = str(params.action) ?? str(priv.actionIds?.[0]);
  if (!action) return { invalid: 'card callback without an action' };
  const selected: Record<string, string[]> = {};
  const selKey = str(params.select_key);
  const sel = params.select;
  if (selKey && (typeof sel === 'string' ? sel : Array.isArray(sel) && sel.length)) selected[selKey] = (Array.isArray(sel) ? sel : [sel]).map(String);
  for (const [k, v] of Object.entries(params)) {
    if (RESERVED.has(k)) continue;
    if (typeof v === 'string' && v) selected[k] = [v];
    else if (Array.isArray(v)) selected[k] = v.map(String);
  }
  const rev = str(params.rev);
  const identity = frameId ?? `${rev ?? ''}:${JSON.stringify(selected)}`;
  return {
    callback: {
      action,
      rev,
      delivery: {
        dedupeKey: `dingtalk:card:${taskId}:${action}:${userId}:${identity}`,
        event: {
          type: 'card_action',
          platform: 'dingtalk',
          senderId: userId,
          taskId,
          action,
          selected: Object.keys(selected).length ? selected : undefined,
          sentAt: Date.now(),
        },
      },
    },
  };
}
