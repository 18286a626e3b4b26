/**
 * WeCom voice is AMR-NB, which no browser plays (docs/interface.md#media: "kept in a format a browser plays").
 * ffmpeg turns it into MP3 (mono, 16 kHz, 32 kbit/s — MPEG-2 layer III, which every browser and the
 * WeCom/DingTalk web views play) in a child process: the event loop never waits on the decoding,
 * a time limit kills it, and its output is capped.
 *
 * The binary comes from the npm registry alone: `@ffmpeg-installer/ffmpeg` ships a static build for
 * the platform as an optional dependency (linux-x64: ffmpeg N-47683 with libopencore-amrnb/-amrwb and
 * libmp3lame, GPL-3.0). Where none installed, `bundledFfmpeg()` is null and the voice is kept as sent.
 */
import { spawn } from 'node:child_process';
import type { Logger } from '../log';
import { MAX_MEDIA_BYTES, type SetTimer } from './download';
import { sniff } from './sniff';

export const TRANSCODE_TIMEOUT_MS = 20_000;

/** What a browser cannot play and ffmpeg's `amr` demuxer reads (it takes both). */
const NEEDS: Record<string, string> = { 'audio/amr': 'amr', 'audio/amr-wb': 'amr' };

export const needsTranscode = (mime: string): boolean => mime in NEEDS;

let cached: string | null | undefined;
/** The ffmpeg that `@ffmpeg-installer/ffmpeg` installed for this platform, or null. */
export function bundledFfmpeg(): string | null {
  if (cached === undefined) {
    try {
      // Loaded on first use: a missing optional binary is an answer (null), not a crash at start.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      cached = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    } catch {
      cached = null;
    }
  }
  return cached;
}

export interface TranscodeOptions {
  /** the ffmpeg binary; default `bundledFfmpeg()` */
  ffmpeg?: string | null;
  timeoutMs?: number;
  maxOutputBytes?: number;
  setTimer?: SetTimer;
  log?: Logger;
}

export type TranscodeResult =
  | { ok: true; bytes: Buffer; mime: 'audio/mpeg'; ext: 'mp3' }
  | { ok: false; reason: 'unsupported' | 'unavailable' | 'timeout' | 'too_large' | 'failed'; detail: string; zh: string };

const realTimer: SetTimer = (fire, ms) => {
  const t = setTimeout(fire, ms);
  return () => clearTimeout(t);
};

const ZH = {
  unsupported: '这种语音格式无法转换',
  unavailable: '语音转换程序不可用，已保存原始语音',
  timeout: '语音转换超时，已保存原始语音',
  too_large: '语音转换结果过大，已保存原始语音',
  failed: '语音无法转换，已保存原始语音',
};

/** AMR (NB or WB) → MP3. Anything else: `unsupported` (it needs no converting, or cannot be). */
export function transcodeVoice(input: Uint8Array, mime: string, o: TranscodeOptions = {}): Promise<TranscodeResult> {
  const fail = (reason: keyof typeof ZH, detail: string): TranscodeResult => {
    if (reason !== 'unsupported') o.log?.warn({ reason, detail: detail.slice(0, 300), bytes: input.byteLength }, 'voice transcode failed');
    return { ok: false, reason, detail, zh: ZH[reason] };
  };
  const format = NEEDS[mime];
  if (!format) return Promise.resolve(fail('unsupported', `no conversion for ${mime}`));
  const bin = o.ffmpeg === undefined ? bundledFfmpeg() : o.ffmpeg;
  if (!bin) return Promise.resolve(fail('unavailable', 'no ffmpeg binary for this platform'));
  const max = o.maxOutputBytes ?? MAX_MEDIA_BYTES;
  const args = ['-hide_banner', '-loglevel', 'error', '-protocol_whitelist', 'pipe', '-f', format, '-i', 'pipe:0', '-vn', '-map_metadata', '-1', '-ac', '1', '-ar', '16000', '-c:a', 'libmp3lame', '-b:a', '32k', '-f', 'mp3', 'pipe:1'];

  return new Promise((resolve) => {
    let settled = false;
    let outcome: TranscodeResult | null = null;
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const stop = (r: TranscodeResult) => {
      if (outcome) return;
      outcome = r;
      child.kill('SIGKILL');
    };
    const cancelTimer = (o.setTimer ?? realTimer)(() => stop(fail('timeout', `ffmpeg ran over ${o.timeoutMs ?? TRANSCODE_TIMEOUT_MS} ms`)), o.timeoutMs ?? TRANSCODE_TIMEOUT_MS);
    const finish = (r: TranscodeResult) => {
      if (settled) return;
      settled = true;
      cancelTimer();
      resolve(r);
    };
    child.stdout.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (outBytes > max) stop(fail('too_large', `output over ${max} bytes`));
      else out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      if (err.length < 2000) err += c.toString('utf8');
    });
    child.stdin.on('error', () => undefined); // ffmpeg may stop reading early (bad input): its exit code says why
    child.on('error', (e) => finish(outcome ?? fail('unavailable', `cannot start ffmpeg: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (outcome) return finish(outcome);
      const bytes = Buffer.concat(out, outBytes);
      if (code !== 0) return finish(fail('failed', `ffmpeg exit ${code ?? signal}: ${err.trim()}`));
      if (!bytes.length || sniff(bytes).mime !== 'audio/mpeg') return finish(fail('failed', 'ffmpeg gave no MP3'));
      finish({ ok: true, bytes, mime: 'audio/mpeg', ext: 'mp3' });
    });
    child.stdin.end(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  });
}
