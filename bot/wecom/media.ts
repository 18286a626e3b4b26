import type { MediaAnswer, MediaRef } from '../../src/platform/types';
import type { WecomApi } from './api';

/** At most this much of an answer is read to see whether it is an errcode JSON rather than a file. */
const PEEK_BYTES = 64 * 1024;

/** Access token invalid or expired: refreshed once. */
const TOKEN_ERRORS = new Set([40014, 42001, 40001]);
/** System busy, frequency limits: ask again later. */
const BUSY = new Set([-1, 45009, 45033]);
/** 830002: over 20 MB, which media/get hands out only in Range chunks — more than we keep. */
const TOO_LARGE = 830002;

/**
 * The first bytes of a response (up to `max`), and a response that still yields all of them: the
 * caller decides from the head whether the rest is worth reading.
 */
async function peek(res: Response, max: number): Promise<{ head: Buffer; whole: Response }> {
  if (!res.body) return { head: Buffer.alloc(0), whole: res };
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  while (total < max) {
    const r = await reader.read();
    if (r.done) {
      done = true;
      break;
    }
    chunks.push(r.value);
    total += r.value.byteLength;
  }
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of chunks) c.enqueue(chunk);
      if (done) c.close();
    },
    async pull(c) {
      const r = await reader.read();
      if (r.done) c.close();
      else c.enqueue(r.value);
    },
    cancel: (why) => reader.cancel(why),
  });
  return { head: Buffer.concat(chunks, total), whole: new Response(stream, { status: res.status, statusText: res.statusText, headers: res.headers }) };
}

/** WeCom's error JSON, if that is what the head of an answer is. */
function errcodeOf(head: Buffer): { errcode: number; errmsg: string } | null {
  const text = head.toString('utf8').trim();
  if (!text.startsWith('{')) return null;
  try {
    const j = JSON.parse(text) as { errcode?: unknown; errmsg?: unknown };
    return typeof j.errcode === 'number' ? { errcode: j.errcode, errmsg: typeof j.errmsg === 'string' ? j.errmsg : '' } : null;
  } catch {
    return null;
  }
}

/**
 * 获取临时素材 (WeCom apps and 微信客服 alike): `GET /cgi-bin/media/get?access_token=…&media_id=…`. The file
 * comes as the body of a 200; a refusal comes as JSON in a 200 too (`{"errcode":40007,"errmsg":"invalid
 * media_id"}` — an unknown or expired id: media ids live 3 days), sometimes labelled text/plain, so an
 * answer that says JSON or plain text is read (its first 64 KB) before it is taken for the file. A
 * refused token is refreshed once; 40007 and the other errcodes are final, busy answers are not.
 */
export async function fetchWecomMedia(api: WecomApi, ref: MediaRef, signal: AbortSignal): Promise<MediaAnswer> {
  for (let attempt = 0; ; attempt++) {
    const token = await api.accessToken();
    const res = await api.raw('/cgi-bin/media/get', { media_id: ref.mediaId }, token, signal);
    const type = res.headers.get('content-type') ?? '';
    if (!res.ok || !(type === '' || /json|text\/plain/i.test(type))) return { ok: true, response: res };
    const { head, whole } = await peek(res, PEEK_BYTES);
    const err = errcodeOf(head);
    if (!err) return { ok: true, response: whole };
    await whole.body?.cancel().catch(() => undefined);
    if (err.errcode === 0) return { ok: false, retryable: false, reason: 'refused', detail: 'media/get answered errcode 0 without a file' };
    if (TOKEN_ERRORS.has(err.errcode) && attempt === 0) {
      api.forgetToken(token);
      continue;
    }
    const detail = `media/get errcode ${err.errcode}: ${err.errmsg}`.slice(0, 200);
    if (err.errcode === TOO_LARGE) return { ok: false, retryable: false, reason: 'too_large', detail };
    return { ok: false, retryable: BUSY.has(err.errcode) || TOKEN_ERRORS.has(err.errcode), reason: 'refused', detail };
  }
}
