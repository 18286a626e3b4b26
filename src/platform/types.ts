import type Router from '@koa/router';
import type { CardContent } from '../../cards/content';
import type { Logger } from '../log';

/**
 * The seam between the core and the chat platforms. Adapters in `bot/` turn raw bytes into
 * `InboundEvent`s and send `OutboundMessage`s; the core never knows which platform a person used.
 * What differs between platforms — whose ids live where, how a user is addressed, whether an address
 * takes cards or has a reply window — the adapter says (`realms`, `address`, `reach`).
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
  /** What only the adapter reads again (e.g. a code to update this card with). */
  extra?: Record<string, string>;
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

/**
 * A namespace of user ids on a platform (WeCom members, 微信客服 customers, DingTalk staff, the
 * sandbox). A person or villager has at most one id per realm.
 */
export interface Realm {
  name: string;
  /** Whether someone we have never met may write in (and becomes a new villager). */
  admitsStrangers: boolean;
}

/** What an address can take. */
export interface Reach {
  /** The realm its user id belongs to. */
  realm: string;
  /** Interactive cards (else text only, e.g. 1 / 2 for 满意 / 不满意). */
  cards: boolean;
  /** Several recipients in one platform call. */
  batch: boolean;
  /** Replies only within a window after the user's last message, at most so many (微信客服: 48 h, 5). */
  window?: { ms: number; messages: number };
  /** How the ledger names a matter that came in this way (request.channel). */
  source: string;
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
  attempt: number;
  /** Aborted when the outbox stops waiting for this send: the adapter must cancel its HTTP calls. */
  signal?: AbortSignal;
}

export type SendOutcome =
  | { ok: true; result?: Record<string, unknown> }
  | { ok: false; retryable: boolean; error: string; retryAfterMs?: number };

/** Small durable state an adapter keeps for itself (sync cursors, card codes), shared by every instance. */
export interface KvStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

/**
 * A value a platform hands out for a while (a JS-SDK ticket), kept in the database and shared by every
 * instance: `fetch` runs at most once per lifetime however many instances ask at once.
 */
export interface SharedTickets {
  get(key: string, fetch: () => Promise<{ value: string; ttlMs: number }>): Promise<string>;
}

/** A file a message carried, as the download queue asks the platform for it (docs/interface.md#media). */
export interface MediaRef {
  /** The platform's media id (WeCom MediaId, DingTalk downloadCode). */
  mediaId: string;
  kind: 'image' | 'voice' | 'video' | 'file';
  channel: Channel;
}

/**
 * The platform's answer to a media request: the HTTP response carrying the bytes (read, capped and
 * sniffed by the core), or a refusal the platform gave instead (e.g. WeCom's `{"errcode":40007}` inside
 * a 200, an expired DingTalk download code) — `retryable` when asking again later may help.
 */
export type MediaAnswer =
  | { ok: true; response: Response }
  | { ok: false; retryable: boolean; reason: 'refused' | 'too_large' | 'network' | 'http_status'; status?: number; /** English, for the log */ detail: string };

/** What an adapter can use when it mounts HTTP routes or pulls messages. */
export interface AdapterContext {
  /** Store a delivery; resolves 'stored' or 'duplicate'. Called before answering the platform. */
  ingest(delivery: Delivery): Promise<'stored' | 'duplicate'>;
  kv: KvStore;
  /**
   * Signatures used once (src/db/repos/signatures.ts): claims `signature` for the delivery `owner`
   * until `expiresAt`; false when another delivery already came with it (a replay).
   */
  signatures: { claim(scope: string, signature: string, owner: string, expiresAt: number): Promise<boolean> };
  log: Logger;
  now(): number;
  /** Tickets shared by every instance (the pages' JS-SDK signatures). */
  tickets?: SharedTickets;
}

/** Whose a one-time login code is: a user id in one of the platform's realms. */
export interface LoginIdentity {
  realm: string;
  userId: string;
}

/**
 * How a platform lets its users into the pages (docs/interface.md#pages):
 * - `oauth`: a browser without a session is sent to `loginUrl`; the platform comes back to
 *   `GET /h5/auth/<platform>?code&state` (WeCom snsapi_base);
 * - `client`: a script in the platform's app gets a one-time code and posts it to
 *   `POST /h5/auth/<platform>` (DingTalk 免登);
 * - `picker`: anyone may be anyone, `GET /h5/auth/<platform>?as=…` (the sandbox only).
 */
export type PageLoginKind = 'oauth' | 'client' | 'picker';

export interface PlatformAdapter {
  readonly name: PlatformName;
  readonly realms: Realm[];
  /** Per-recipient pacing the platform imposes (WeCom: 30/min, 1000/h per member). */
  readonly limits?: { perMinute: number; perHour: number };
  /** The realm a sender's id belongs to. */
  realmOf(ev: InboundMessage | InboundCardAction): string;
  /** Where to reach a user of one of this platform's realms unprompted; null where only replies go. */
  address(realm: string, userId: string): Address | null;
  reach(address: Address): Reach;
  /** HTTP routes (callbacks, pages). */
  mount?(router: Router, ctx: AdapterContext): void;
  /** How its users log into the pages, when they can (see `PageLoginKind`). */
  readonly pageLogin?: PageLoginKind;
  /** Who a one-time login code belongs to (OAuth code, 免登 authCode, a sandbox identity); null when the platform refuses it. */
  whoIs?(code: string): Promise<LoginIdentity | null>;
  /** `oauth`: where to send a browser to log in; the platform comes back to `redirectUri` with `code` and `state`. */
  loginUrl?(redirectUri: string, state: string): string;
  /** Whether a page is opened inside this platform's own app (from its user agent). */
  isClient?(userAgent: string): boolean;
  /** Scripts (same-origin URLs, mounted by the adapter) the pages load when opened inside its app. */
  pageScripts?(): string[];
  /** Fetch what a pull event announces and ingest each item. */
  pull?(event: InboundPull, ctx: AdapterContext): Promise<void>;
  /** Asks the platform for the bytes of a file a villager sent; absent where the platform keeps no files. */
  fetchMedia?(ref: MediaRef, signal: AbortSignal): Promise<MediaAnswer>;
  /** Called with a stored tap before the core works on it (e.g. to keep a code that updates the card). */
  noteCardAction?(event: InboundCardAction, ctx: AdapterContext): Promise<void>;
  send(msg: OutboundMessage, ctx: AdapterContext): Promise<SendOutcome>;
  /** The org directory changed in the database (e.g. to give new people their ids here). */
  directoryChanged?(): Promise<void>;
  start?(ctx: AdapterContext): Promise<void>;
  stop?(): Promise<void>;
}
