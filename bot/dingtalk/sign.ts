import crypto from 'node:crypto';

/**
 * DingTalk's callback signature (机器人 HTTP 回调, 卡片回调): headers `timestamp` (ms) and
 * `sign` = base64(HmacSHA256(key = appSecret, timestamp + "\n" + appSecret)).
 */
export function dingtalkSign(timestamp: string, appSecret: string): string {
  return crypto.createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`, 'utf8').digest('base64');
}

/** DingTalk refuses callbacks whose timestamp is more than an hour from now; so do we. */
export const SIGN_TOLERANCE_MS = 60 * 60 * 1000;

export type SignCheck = { ok: true } | { ok: false; status: number; reason: string };

/**
 * Checks a callback's `timestamp` and `sign` headers: the timestamp must be a plain millisecond
 * number within the tolerance, and the signature is compared in constant time over its bytes.
 */
export function verifyDingtalkSign(
  headers: { timestamp?: string | string[]; sign?: string | string[] },
  appSecret: string,
  now: number,
  toleranceMs = SIGN_TOLERANCE_MS,
): SignCheck {
  const ts = headers.timestamp;
  const sign = headers.sign;
  if (typeof ts !== 'string' || typeof sign !== 'string' || !ts || !sign) return { ok: false, status: 401, reason: 'missing timestamp or sign header' };
  if (!/^[1-9]\d{0,15}$/.test(ts)) return { ok: false, status: 401, reason: 'timestamp is not a millisecond number' };
  if (Math.abs(now - Number(ts)) > toleranceMs) return { ok: false, status: 401, reason: 'timestamp is more than an hour from now' };
  const want = Buffer.from(dingtalkSign(ts, appSecret), 'utf8');
  const got = Buffer.from(sign, 'utf8');
  // Lengths are public (a base64 HMAC-SHA256 is always 44 characters); only equal lengths are compared.
  if (got.length !== want.length || !crypto.timingSafeEqual(got, want)) return { ok: false, status: 401, reason: 'sign does not match' };
  return { ok: true };
}

/**
 * The interactive-card callback's signature (官方 事件回调 "回调签名验证",
 * open.dingtalk.com/document/development/event-callback-card): when the callback was registered with an
 * `apiSecret`, DingTalk sends `x-ddpaas-signature-timestamp` (ms) and `x-ddpaas-signature` =
 * base64(HmacSHA256(key = apiSecret, message = the timestamp's decimal string)). Verified against
 * that page and its sample code only, not against DingTalk itself; the page gives no allowed clock
 * skew, so the robot's hour applies (plus: each signature serves one tap, see the adapter).
 */
export function dingtalkCardSign(timestamp: string, apiSecret: string): string {
  return crypto.createHmac('sha256', apiSecret).update(timestamp, 'utf8').digest('base64');
}

export function verifyDingtalkCardSign(
  headers: { timestamp?: string | string[]; sign?: string | string[] },
  apiSecret: string | null,
  now: number,
  toleranceMs = SIGN_TOLERANCE_MS,
): SignCheck {
  if (!apiSecret) return { ok: false, status: 401, reason: 'no card callback apiSecret registered yet' };
  const ts = headers.timestamp;
  const sign = headers.sign;
  if (typeof ts !== 'string' || typeof sign !== 'string' || !ts || !sign) return { ok: false, status: 401, reason: 'missing x-ddpaas-signature-timestamp or x-ddpaas-signature header' };
  if (!/^[1-9]\d{0,15}$/.test(ts)) return { ok: false, status: 401, reason: 'x-ddpaas-signature-timestamp is not a millisecond number' };
  if (Math.abs(now - Number(ts)) > toleranceMs) return { ok: false, status: 401, reason: 'x-ddpaas-signature-timestamp is more than an hour from now' };
  const want = Buffer.from(dingtalkCardSign(ts, apiSecret), 'utf8');
  const got = Buffer.from(sign, 'utf8');
  if (got.length !== want.length || !crypto.timingSafeEqual(got, want)) return { ok: false, status: 401, reason: 'x-ddpaas-signature does not match' };
  return { ok: true };
}
