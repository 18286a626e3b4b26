import { T } from '../../src/domain/texts';
import type { WecomCrypto } from './crypto';

/**
 * The passive reply to a tap (被动回复消息 → 模板卡片更新消息, "更新点击用户的按钮文案"): WeCom shows it on the
 * tapper's copy of the card as soon as the callback is answered — before the tap is worked on — so
 * nobody taps twice for want of an answer. Only the tapper's copy changes; everyone's copy gets the
 * real result later, with message/update_template_card (bot/wecom/send.ts).
 */

/** Taps whose result is the card's final state by itself: the reply shows it at once. */
const FINAL: Record<string, string> = {
  satisfied: T.ratedNote(true),
  unsatisfied: T.ratedNote(false),
  phoned: T.phonedNote,
};

/**
 * Taps that close the card for everyone when they go through (受理, 同意/驳回, 交接, 合并): the buttons give
 * way to 已收到，处理中… at once; the closing note follows as an update (or, with no code left, a text).
 */
const CLOSING = new Set(['accept', 'approve', 'deny', 'approve_deadline', 'deny_deadline', 'handover', 'merge_dup']);

/**
 * What the tapper's buttons turn into, or null to leave the card as it is: a tap that asks a question
 * first (办结, 否定报备, 一次性告知, 已落实, 上报) or may leave the card open (转办 on the owner's card)
 * must not take the buttons away while the card is still to be used.
 */
export function tapReplyText(action: string): string | null {
  if (Object.prototype.hasOwnProperty.call(FINAL, action)) return FINAL[action];
  return CLOSING.has(action) ? T.cardTapReceived : null;
}

const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

/** The plaintext reply: update the tapper's button text (MsgType update_button). */
export function updateButtonXml(o: { toUser: string; corpId: string; createTime: number; replaceName: string }): string {
  return (
    `<xml><ToUserName>${cdata(o.toUser)}</ToUserName><FromUserName>${cdata(o.corpId)}</FromUserName>` +
    `<CreateTime>${o.createTime}</CreateTime><MsgType>${cdata('update_button')}</MsgType>` +
    `<Button><ReplaceName>${cdata(o.replaceName)}</ReplaceName></Button></xml>`
  );
}

/** The reply as WeCom takes it: encrypted and signed with the callback's timestamp and nonce. */
export function sealedReply(crypto: WecomCrypto, plain: string, timestamp: string, nonce: string): string {
  const { encrypt, signature } = crypto.seal(plain, timestamp, nonce);
  return (
    `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature>` +
    `<TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`
  );
}
