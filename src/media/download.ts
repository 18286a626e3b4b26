/**
 * Download one file over an injected `fetch`, never more than `maxBytes` (20 MiB: docs/interface.md#media),
 * within a time limit, and say plainly what went wrong: whether trying again may help (network,
 * 5xx, 429, timeout) or not (4xx, too large, not what the message said), an English `detail` for the
 * log and a Chinese `zh` for the attachment's `error`. The URL is never logged (it carries tokens).
 */
import type { Logger } from '../log';
import { checkClaim, sniff, type MediaKind, type Sniffed } from './sniff';

export const MAX_MEDIA_BYTES = 20 * 1024 * 1024;
export const DOWNLOAD_TIMEOUT_MS = 30_000;

export type Fetch = typeof fetch;

export type FailureReason = 'too_large' | 'timeout' | 'network' | 'http_status' | 'refused' | 'empty' | 'wrong_type';

export interface DownloadFailure {
  reason: FailureReason;
  retryable: boolean;
  /** the HTTP status, when there was one */
  status?: number;
  /** English, for logs: no URL, no names */
  detail: string;
  /** Chinese, for people (the attachment's `error`) */
  zh: string;
}

export interface Downloaded {
  bytes: Buffer;
  sniffed: Sniffed;
  /** what the server said; informational only — `sniffed` is what counts */
  contentType: string | null;
  /** the file name the server gave (Content-Disposition), unchecked: never use it as a path */
  filename: string | null;
}

export type DownloadResult = ({ ok: true } & Downloaded) | ({ ok: false } & DownloadFailure);

/** Thrown by a `fetch` that got the platform's refusal instead of a file: `download` answers with it. */
export class DownloadRefused extends Error {
  constructor(readonly failure: DownloadFailure) {
    super(failure.detail);
  }
}

/** Starts a timer and returns how to cancel it; tests pass one they fire by hand. */
export type SetTimer = (fire: () => void, ms: number) => () => void;
const realTimer: SetTimer = (fire, ms) => {
  const t = setTimeout(fire, ms);
  return () => clearTimeout(t);
};

export interface DownloadOptions {
  fetch: Fetch;
  url: string;
  init?: RequestInit;
  maxBytes?: number;
  timeoutMs?: number;
  setTimer?: SetTimer;
  /** what the message says it is: bytes of another kind are refused (`wrong_type`) */
  expect?: MediaKind;
  /**
   * A platform's own refusal inside a 200 (e.g. WeCom's JSON `{"errcode":40007}` instead of the file):
   * return a failure for it, or null to go on. Called with the whole body.
   */
  refuse?: (r: { status: number; contentType: string | null; bytes: Buffer }) => DownloadFailure | null;
  log?: Logger;
}

const mib = (n: number) => Math.round(n / 1024 / 1024);

export const failure = (reason: FailureReason, detail: string, extra: { status?: number; zh?: string; maxBytes?: number } = {}): DownloadFailure => {
  const retryable = reason === 'timeout' || reason === 'network' || (reason === 'http_status' && extra.status !== undefined && (extra.status >= 500 || extra.status === 429 || extra.status === 408));
  const zh =
    extra.zh ??
    {
      too_large: `文件超过 ${mib(extra.maxBytes ?? MAX_MEDIA_BYTES)}MB，未保存`,
      timeout: '下载超时，未能保存',
      network: '网络故障，未能下载',
      http_status: retryable ? '平台暂时无法提供文件，未能下载' : '平台拒绝下载（文件可能已过期），未保存',
      refused: '平台拒绝下载（文件可能已过期），未保存',
      empty: '文件是空的，未保存',
      wrong_type: '文件内容与消息类型不符，未保存',
    }[reason];
  return { reason, retryable, ...(extra.status !== undefined ? { status: extra.status } : {}), detail, zh };
};

function filenameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      return null;
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return plain ? plain[1].trim() : null;
}

export async function download(o: DownloadOptions): Promise<DownloadResult> {
  const max = o.maxBytes ?? MAX_MEDIA_BYTES;
  const started = performance.now();
  const controller = new AbortController();
  let timedOut = false;
  const cancelTimer = (o.setTimer ?? realTimer)(() => {
    timedOut = true;
    controller.abort(new Error('download timed out'));
  }, o.timeoutMs ?? DOWNLOAD_TIMEOUT_MS);

  const result = await (async (): Promise<DownloadResult> => {
    const timeout = () => ({ ok: false as const, ...failure('timeout', `no complete answer within ${o.timeoutMs ?? DOWNLOAD_TIMEOUT_MS} ms`) });
    let res: Response;
    const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true }));
    aborted.catch(() => undefined);
    try {
      // a fetch that ignores the signal still cannot hold us past the time limit
      res = await Promise.race([o.fetch(o.url, { ...o.init, signal: controller.signal }), aborted]);
    } catch (err) {
      if (timedOut) return timeout();
      if (err instanceof DownloadRefused) return { ok: false, ...err.failure };
      return { ok: false, ...failure('network', `request failed: ${(err as Error).name}: ${(err as Error).message}`.slice(0, 200)) };
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, ...failure('http_status', `HTTP ${res.status}`, { status: res.status }) };
    }
    const length = res.headers.get('content-length');
    const declared = length === null ? null : Number(length);
    if (declared !== null && Number.isFinite(declared) && declared > max) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, ...failure('too_large', `Content-Length ${declared} over ${max}`, { maxBytes: max }) };
    }

    const chunks: Uint8Array[] = [];
    let total = 0;
    if (res.body) {
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const onAbort = () => void reader.cancel().catch(() => undefined);
      controller.signal.addEventListener('abort', onAbort, { once: true });
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (timedOut) return timeout();
          if (done) break;
          total += value.byteLength;
          if (total > max) {
            await reader.cancel().catch(() => undefined);
            return { ok: false, ...failure('too_large', `body over ${max} bytes (declared ${declared ?? 'none'})`, { maxBytes: max }) };
          }
          chunks.push(value);
        }
      } catch (err) {
        if (timedOut) return timeout();
        return { ok: false, ...failure('network', `body read failed: ${(err as Error).name}`) };
      } finally {
        controller.signal.removeEventListener('abort', onAbort);
      }
    }
    if (timedOut) return timeout();

    const bytes = Buffer.concat(chunks, total);
    const contentType = res.headers.get('content-type');
    const refused = o.refuse?.({ status: res.status, contentType, bytes });
    if (refused) return { ok: false, ...refused };
    if (!bytes.length) return { ok: false, ...failure('empty', 'empty body') };
    let sniffed = sniff(bytes);
    if (o.expect) {
      const check = checkClaim(o.expect, bytes);
      if (!check.ok) return { ok: false, ...failure('wrong_type', `expected ${o.expect}, bytes are ${check.sniffed.mime} (${check.reason})`, { zh: check.zh }) };
      sniffed = check.sniffed;
    }
    return { ok: true, bytes, sniffed, contentType, filename: filenameOf(res.headers.get('content-disposition')) };
  })();

  cancelTimer();
  if (!result.ok) o.log?.warn({ reason: result.reason, retryable: result.retryable, status: result.status, detail: result.detail, ms: Math.round(performance.now() - started) }, 'media download failed');
  else o.log?.debug({ bytes: result.bytes.length, mime: result.sniffed.mime, ms: Math.round(performance.now() - started) }, 'media downloaded');
  return result;
}
