import type { MediaAnswer, MediaRef } from '../../src/platform/types';
import { DingtalkApiError, type DingtalkApi, type Fetch } from './api';

/**
 * 下载机器人接收消息的文件内容: `POST /v1.0/robot/messageFiles/download {downloadCode, robotCode}` answers
 * `{"downloadUrl"}`, a temporary link whose lifetime DingTalk does not state — so it is fetched at once,
 * and asked for again on every attempt. A 4xx about the code (expired, not this robot's) is final;
 * throttling, 5xx and network trouble are worth another try.
 */
export async function fetchDingtalkMedia(api: DingtalkApi, robotCode: string, fetchFn: Fetch, ref: MediaRef, signal: AbortSignal): Promise<MediaAnswer> {
  let body: Record<string, unknown>;
  try {
    body = await api.call('POST', '/v1.0/robot/messageFiles/download', { downloadCode: ref.mediaId, robotCode });
  } catch (e) {
    if (!(e instanceof DingtalkApiError)) throw e;
    return { ok: false, retryable: e.retryable, reason: e.status === 0 ? 'network' : 'refused', ...(e.status ? { status: e.status } : {}), detail: `messageFiles/download ${e.status} ${e.code}`.slice(0, 200) };
  }
  const url = body.downloadUrl;
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return { ok: false, retryable: false, reason: 'refused', detail: 'messageFiles/download gave no downloadUrl' };
  return { ok: true, response: await fetchFn(url, { signal }) };
}
