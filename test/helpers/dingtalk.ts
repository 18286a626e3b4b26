import { TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream';
import type { DingtalkAdapter } from '../../bot/dingtalk/adapter';
import { dingtalkCardSign, dingtalkSign } from '../../bot/dingtalk/sign';
import type { AdapterContext } from '../../src/platform/types';
import { FAKE_APP, FakeDingtalk } from './fake-dingtalk';
import { Harness, startHarness } from './harness';

export { TOPIC_CARD, TOPIC_ROBOT };
export const TEMPLATE_ID = 'minqing-card-test.schema';
/** The card callbacks' apiSecret in tests (DINGTALK_CARD_API_SECRET). */
export const CARD_SECRET = 'card-callback-secret-for-tests';

export const dingtalkEnv = (fake: FakeDingtalk, o: { mode?: 'stream' | 'http'; template?: boolean; cardSecret?: boolean } = {}): Record<string, string> => ({
  DINGTALK_APP_KEY: FAKE_APP.key,
  DINGTALK_APP_SECRET: FAKE_APP.secret,
  DINGTALK_ROBOT_CODE: FAKE_APP.robot,
  DINGTALK_MODE: o.mode ?? 'stream',
  DINGTALK_API_BASE: fake.base,
  DINGTALK_OAPI_BASE: fake.base,
  ...(o.template === false ? {} : { DINGTALK_CARD_TEMPLATE_ID: TEMPLATE_ID }),
  ...(o.cardSecret === false ? {} : { DINGTALK_CARD_API_SECRET: CARD_SECRET }),
});

let seq = 0;
export const nextMsgId = () => `msgDT${Date.now().toString(36)}${++seq}`;

/** A robot message as DingTalk sends it (stream `data` or HTTP body). */
export function robotText(o: { from: string; content: string; msgId?: string; group?: string; createAt?: number; nick?: string }): Record<string, unknown> {
  return {
    conversationId: o.group ?? `cid1to1${o.from}`,
    chatbotCorpId: 'dingcorpminqing',
    chatbotUserId: '$:LWCP_v1:$robot',
    msgId: o.msgId ?? nextMsgId(),
    senderNick: o.nick ?? o.from,
    isAdmin: false,
    senderStaffId: o.from,
    sessionWebhookExpiredTime: (o.createAt ?? Date.now()) + 5_400_000,
    createAt: o.createAt ?? Date.now(),
    senderCorpId: 'dingcorpminqing',
    conversationType: o.group ? '2' : '1',
    senderId: `$:LWCP_v1:$${o.from}`,
    sessionWebhook: 'https://oapi.dingtalk.invalid/robot/sendBySession?session=x',
    robotCode: FAKE_APP.robot,
    msgtype: 'text',
    // DingTalk puts a space before what the person typed.
    text: { content: ` ${o.content}` },
    ...(o.group ? { isInAtList: true, conversationTitle: '关沟村民情群' } : {}),
  };
}

export function robotMedia(o: {
  from: string;
  type: 'picture' | 'audio' | 'file' | 'video';
  msgId?: string;
  downloadCode?: string;
  /** DingTalk's recognition of an audio clip (default 路灯坏了; null: none) */
  recognition?: string | null;
  /** `content` as a JSON string, as some deliveries carry it */
  contentAsString?: boolean;
  createAt?: number;
}): Record<string, unknown> {
  const { text: _t, ...base } = robotText({ from: o.from, content: '', msgId: o.msgId, createAt: o.createAt });
  const content: Record<string, unknown> = { downloadCode: o.downloadCode ?? `dl-${o.type}-1` };
  if (o.type === 'file') content.fileName = '房屋照片.zip';
  if (o.type === 'audio') Object.assign(content, { duration: 4000, ...(o.recognition === null ? {} : { recognition: o.recognition ?? '路灯坏了' }) });
  return { ...base, msgtype: o.type, content: o.contentAsString ? JSON.stringify(content) : content };
}

/** A card button tap, as the card callback carries it. */
export function cardTap(o: { from: string; taskId: string; action: string; rev?: string; select?: { key: string; value: string } }): Record<string, unknown> {
  const params: Record<string, string> = { action: o.action, rev: o.rev ?? '' };
  if (o.select) Object.assign(params, { select_key: o.select.key, select: o.select.value });
  const content = JSON.stringify({ cardPrivateData: { actionIds: [`btn_${o.action}`], params } });
  return { outTrackId: o.taskId, corpId: 'dingcorpminqing', userId: o.from, userIdType: 1, type: 'actionCallback', spaceType: 'IM_ROBOT', spaceId: o.from, content, value: content, extension: '{}' };
}

export function signedHeaders(timestampMs: number, secret = FAKE_APP.secret): Record<string, string> {
  const timestamp = String(timestampMs);
  return { 'content-type': 'application/json', timestamp, sign: dingtalkSign(timestamp, secret) };
}

/** The headers of a card callback signed with the apiSecret (x-ddpaas-signature-*). */
export function cardSignedHeaders(timestampMs: number, secret = CARD_SECRET): Record<string, string> {
  const timestamp = String(timestampMs);
  return { 'content-type': 'application/json', 'x-ddpaas-signature-timestamp': timestamp, 'x-ddpaas-signature': dingtalkCardSign(timestamp, secret) };
}

let tick = 0;

/**
 * The signed headers each HTTP-mode route takes, as DingTalk would send them for a new delivery: a
 * signature covers only its timestamp, and one is good for one delivery, so each call signs a
 * timestamp of its own (the clock's ms plus a counter: tests run on a fixed clock).
 */
export const signedFor = (path: string, timestampMs: number): Record<string, string> => {
  const ts = timestampMs + (++tick % 100_000);
  return path.endsWith('/card') ? cardSignedHeaders(ts) : signedHeaders(ts);
};

export interface DingtalkHarness {
  h: Harness;
  fake: FakeDingtalk;
  adapter: DingtalkAdapter;
  close(): Promise<void>;
}

/**
 * The app with DingTalk on against the fake (the sandbox off): in stream mode the adapter is
 * started (the harness does not start workers) and connected before this resolves.
 */
export async function startDingtalk(o: {
  databaseUrl: string;
  mode?: 'stream' | 'http';
  template?: boolean;
  cardSecret?: boolean;
  timings?: DingtalkAdapter['streamTimings'];
}): Promise<DingtalkHarness> {
  const fake = await new FakeDingtalk().start();
  const h = await startHarness({ databaseUrl: o.databaseUrl, platform: 'sandbox', env: dingtalkEnv(fake, o) });
  const adapter = h.app.adapters.get('dingtalk') as DingtalkAdapter;
  if ((o.mode ?? 'stream') === 'stream') {
    adapter.streamTimings = { reconnectDelaysMs: [50, 100, 200], pingIntervalMs: 200, silenceMs: 600, connectTimeoutMs: 2_000, ...o.timings };
    const kv = new Map<string, string>();
    const ctx: AdapterContext = {
      ingest: (d) => h.app.inbound.ingest(d),
      kv: { get: async (k) => kv.get(k) ?? null, set: async (k, v) => void kv.set(k, v) },
      signatures: { claim: (scope, sig, owner, expiresAt) => h.app.db.write((r) => r.signatures.claim(scope, sig, owner, expiresAt)) },
      log: h.app.log,
      now: () => h.clock.now().getTime(),
    };
    await adapter.start(ctx);
    await fake.waitConnected();
  }
  return {
    h,
    fake,
    adapter,
    async close() {
      await h.close();
      await fake.stop();
    },
  };
}
