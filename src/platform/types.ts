import type Router from '@koa/router';
import type { CardContent } from '../../cards/content';
import type { Logger } from '../log';

/**
 * The seam between the core and the chat platforms. Adapters in `bot/` turn raw bytes into
 * `InboundEvent`s and send `OutboundMessage`s; the core never knows which platform a person used.
 */
export type PlatformName = 'wecom' | 'dingtalk' | 'sandbox';

/** How a message reached us on a platform: an app/robot chat, 微信客服, a group, the sandbox page. */
export type Channel = 'app' | 'kf' | 'group' | 'sandbox';

export type MessageType = 'text' | 'image' | 'voice' | 'video' | 'location' | 'file' | 'link' | 'other';

export interface InboundMessage {
  type: 'message';
  platform: PlatformName;
  channel: Channel;
  /** The platform's user id: WeCom userid, 微信客服 external_userid, DingTalk staffId, sandbox id. */
  senderId: string;
  msgType: MessageType;
  text?: string;
  mediaId?: string;
  location?: { lat: number; lng: number; label?: string };
  fileName?: string;
  /** When the platform says it was sent (ms). */
  sentAt: number;
  messageId: string;
  /** Where a reply must go, when it is not simply the sender (e.g. the 微信客服 account, a group). */
  replyVia?: { openKfId?: string; conversationId?: string };
}

export interface InboundCardAction {
  type: 'card_action';
  platform: PlatformName;
  senderId: string;
  /** Our card's platform id (WeCom task_id, DingTalk outTrackId). */
  taskId: string;
  /** The button's key. */
  action: string;
  /** Chosen options of the card's selection, by question key. */
  selected?: Record<string, string[]>;
  /** WeCom: a fresh code to update this card with. */
  responseCode?: string;
  sentAt: number;
}

/** A nudge that there is something to fetch (e.g. 微信客服's kf_msg_or_event). */
export interface InboundPull {
  type: 'pull';
  platform: PlatformName;
  data: Record<string, string>;
}

export type InboundEvent = InboundMessage | InboundCardAction | InboundPull;

/** One delivery from a platform, ready to be stored under its dedupe key. */
export interface Delivery {
  dedupeKey: string;
  event: InboundEvent;
}

/** Where an outbound message goes on a platform. */
export interface Address {
  platform: PlatformName;
  channel: Channel;
  userId: string;
  /** e.g. { openKfId } for 微信客服 replies. */
  via?: Record<string, string>;
}

export type OutboundPayload =
  | { kind: 'text'; text: string }
  | { kind: 'card'; cardId: number; taskId: string; card: CardContent }
  | {
      kind: 'card_update';
      cardId: number;
      taskId: string;
      card: CardContent;
      /** Short text that replaces the buttons, e.g. "已由李四受理". */
      replaceName: string;
    }
  | { kind: 'image'; pngBase64: string; caption?: string };

/** What the outbox hands an adapter: one row, one platform call. */
export interface OutboundMessage {
  id: number;
  platform: PlatformName;
  channel: Channel;
  /** One or more platform user ids. */
  to: string[];
  via?: Record<string, string>;
  payload: OutboundPayload;
  /** For card updates on platforms that need one (WeCom response_code). */
  responseCode?: string | null;
  attempt: number;
}

export type SendOutcome =
  | { ok: true; result?: Record<string, unknown> }
  | { ok: false; retryable: boolean; error: string; retryAfterMs?: number };

/** What an adapter can use when it mounts HTTP routes or pulls messages. */
export interface AdapterContext {
  /** Store a delivery; resolves 'stored' or 'duplicate'. Called before answering the platform. */
  ingest(delivery: Delivery): Promise<'stored' | 'duplicate'>;
  /** Small durable state (cursors). */
  kv: { get(key: string): Promise<string | null>; set(key: string, value: string): Promise<void> };
  log: Logger;
  now(): number;
}

export interface PlatformAdapter {
  readonly name: PlatformName;
  /** Per-recipient pacing the platform imposes (WeCom: 30/min, 1000/h per member). */
  readonly limits?: { perMinute: number; perHour: number };
  /** Card updates need a platform-issued code (WeCom response_code). */
  readonly cardUpdateNeedsCode?: boolean;
  /** HTTP routes (callbacks, pages). */
  mount?(router: Router, ctx: AdapterContext): void;
  /** Fetch what a pull event announces and ingest each item. */
  pull?(event: InboundPull, ctx: AdapterContext): Promise<void>;
  send(msg: OutboundMessage): Promise<SendOutcome>;
  start?(ctx: AdapterContext): Promise<void>;
  stop?(): Promise<void>;
}
