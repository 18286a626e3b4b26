import type { Clock } from '../clock';
import type { Db } from '../db/db';
import type { AttachmentRow } from '../db/entities';
import { MEDIA_QUEUE, type StoredFile } from '../db/repos/media';
import { QueueStore } from '../db/repos/queue';
import { TM } from '../domain/texts';
import type { Logger } from '../log';
import type { Platforms } from '../platform/registry';
import type { Channel, MediaRef } from '../platform/types';
import { Handled, QueueOptions, QueueWorker } from '../queue/worker';
import { download, DOWNLOAD_TIMEOUT_MS, DownloadRefused, failure, MAX_MEDIA_BYTES, type SetTimer } from './download';
import { Limit } from './limit';
import type { MediaKind } from './sniff';
import type { MediaStore } from './store';
import { needsTranscode, transcodeVoice } from './transcode';

export interface MediaWorkerOptions extends Pick<QueueOptions, 'backoffMs' | 'lockMs' | 'pollMs' | 'concurrency' | 'batch'> {
  timeoutMs: number;
  maxBytes: number;
  /** ffmpeg runs at once at most (it takes a core each). */
  transcodeConcurrency: number;
  /** The ffmpeg binary (default: the one @ffmpeg-installer installed; null: none). */
  ffmpeg?: string | null;
  /** The download time limit's timer (tests fire it by hand). */
  setTimer?: SetTimer;
  /** Whether callbacks are pouring in (the ack path comes first): downloads then go one batch per `busyGapMs`. */
  busy?: () => boolean;
  busyGapMs: number;
}

/**
 * Five attempts: at once, then after 10 s, 1 min, 5 min and 30 min — all well inside the 3 days WeCom
 * keeps a media id. Two downloads at a time (about 28 a second at most while callbacks pour in); one ffmpeg.
 */
export const DEFAULT_MEDIA_OPTIONS: MediaWorkerOptions = {
  backoffMs: [10_000, 60_000, 300_000, 1_800_000],
  lockMs: 120_000,
  pollMs: 10_000,
  batch: 20,
  concurrency: 2,
  timeoutMs: DOWNLOAD_TIMEOUT_MS,
  maxBytes: MAX_MEDIA_BYTES,
  transcodeConcurrency: 1,
  busyGapMs: 70,
};

export interface MediaDeps {
  db: Db;
  platforms: Platforms;
  clock: Clock;
  log: Logger;
  store: MediaStore;
}

const KINDS: readonly MediaKind[] = ['image', 'voice', 'video', 'file'];

/**
 * The download queue (docs/interface.md#media): every attachment with a platform media id is a row of
 * the durable queue (src/queue/worker.ts) — off the ack path and beside the inbound processor, never in
 * its way. A row's file is asked of its platform's adapter (`fetchMedia`), read with a size cap and a
 * time limit, sniffed (bytes that are not what the message said are refused), kept in the
 * `MediaStore` by sha256, and WeCom's AMR voice also as MP3. What fails is retried with backoff where
 * that may help, and in the end the attachment is `failed` with the reason in Chinese and a timeline
 * event — never silently missing. Log lines name the attachment and the request, never the villager.
 */
export class MediaWorker {
  readonly worker: QueueWorker<AttachmentRow>;
  readonly opts: MediaWorkerOptions;
  private readonly queue: QueueStore<AttachmentRow>;
  private readonly ffmpeg: Limit;

  constructor(
    private readonly deps: MediaDeps,
    opts: Partial<MediaWorkerOptions> = {},
  ) {
    this.opts = { ...DEFAULT_MEDIA_OPTIONS, ...opts };
    this.ffmpeg = new Limit(Math.max(1, this.opts.transcodeConcurrency));
    this.queue = new QueueStore(deps.db, MEDIA_QUEUE);
    this.worker = new QueueWorker(
      this.queue,
      (row) => this.handle(row),
      deps.clock,
      deps.log,
      { backoffMs: this.opts.backoffMs, lockMs: this.opts.lockMs, pollMs: this.opts.pollMs, batch: this.opts.batch, concurrency: this.opts.concurrency, kickDebounceMs: 20 },
      {
        fields: (row) => ({ attachmentId: row.id, requestId: row.requestId, kind: row.kind, platform: row.platform }),
        messages: { retry: 'media download failed; will retry', failed: 'media download failed for good; attachment marked failed' },
        failed: (row, error) => this.failedForGood(row, error),
        pause: () => this.pace(),
      },
    );
  }

  private lastChunk = 0;

  /**
   * Between two batches of `concurrency` downloads of a background pass: while callbacks pour in, the
   * next batch starts no sooner than `busyGapMs` after the last one did (2 per 70 ms: at most 28 files a
   * second) — the ack path first; otherwise at once. Wall-clock time: scheduling, not a rule.
   */
  private pace(): Promise<void> {
    const now = Date.now();
    const wait = this.opts.busy?.() ? this.lastChunk + this.opts.busyGapMs - now : 0;
    return new Promise((r) => {
      const go = () => {
        this.lastChunk = Date.now();
        r();
      };
      if (wait > 0) setTimeout(go, wait);
      else setImmediate(go);
    });
  }

  start(): void {
    this.worker.start();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  kick(): void {
    this.worker.kick();
  }

  /** Downloads everything due now (tests call this instead of waiting). */
  drain(): Promise<void> {
    return this.worker.drain();
  }

  due(): Promise<number> {
    return this.queue.countDue(this.deps.clock.now().getTime());
  }

  private async handle(row: AttachmentRow): Promise<Handled> {
    const started = performance.now();
    const log = this.deps.log.child({ attachmentId: row.id, requestId: row.requestId, kind: row.kind, platform: row.platform });
    const adapter = this.deps.platforms.get(row.platform);
    const kind = KINDS.find((k) => k === row.kind);
    if (!row.mediaId || !kind || !adapter?.fetchMedia) {
      await this.deps.db.write((r) => r.media.explain(row.id, TM.noDownload));
      return { fail: `nothing to download from ${row.platform} for a ${row.kind}` };
    }
    const fetchMedia = adapter.fetchMedia.bind(adapter);
    const ref: MediaRef = { mediaId: row.mediaId, kind, channel: (row.meta.channel as Channel | undefined) ?? 'app' };
    const got = await download({
      url: `media:${row.id}`,
      expect: kind,
      maxBytes: this.opts.maxBytes,
      timeoutMs: this.opts.timeoutMs,
      setTimer: this.opts.setTimer,
      log,
      fetch: async (_url, init) => {
        const answer = await fetchMedia(ref, init!.signal!);
        if (answer.ok) return answer.response;
        const f = failure(answer.reason, answer.detail, { status: answer.status, maxBytes: this.opts.maxBytes });
        throw new DownloadRefused({ ...f, retryable: answer.retryable, zh: answer.retryable ? TM.platformBusy : f.zh });
      },
    });
    if (!got.ok) {
      const last = this.opts.backoffMs.length + 1;
      if (!got.retryable || row.attempts >= last) await this.deps.db.write((r) => r.media.explain(row.id, got.zh));
      const detail = `${got.reason}: ${got.detail}`;
      return got.retryable ? { retry: detail } : { fail: detail };
    }

    const kept = await this.deps.store.put(got.bytes);
    const file: StoredFile = { sha256: kept.sha256, bytes: kept.bytes, mime: got.sniffed.mime, ext: got.sniffed.ext };
    if (kind === 'voice' && needsTranscode(got.sniffed.mime)) {
      const mp3 = await this.ffmpeg.run(() => transcodeVoice(got.bytes, got.sniffed.mime, { ffmpeg: this.opts.ffmpeg, log }));
      if (mp3.ok) {
        const play = await this.deps.store.put(mp3.bytes);
        file.play = { sha256: play.sha256, bytes: play.bytes, mime: mp3.mime };
      } else file.note = mp3.zh;
    }
    const now = this.deps.clock.now().getTime();
    if (!(await this.deps.db.write((r) => r.media.stored(row.id, file, now)))) {
      log.warn('media stored, but the attachment was no longer being downloaded by this worker (its lease ran out)');
      return { done: true };
    }
    log.info({ bytes: file.bytes, mime: file.mime, playable: file.play ? file.play.mime : null, attempt: row.attempts, ms: Math.round(performance.now() - started) }, 'media stored');
    return { done: true };
  }

  /** After the last attempt: the attachment says why (if the handler did not get to say it), and so does the timeline. */
  private async failedForGood(row: AttachmentRow, error: string): Promise<void> {
    await this.deps.db.tx(async (r) => {
      const fresh = await r.media.byId(row.id);
      const zh = fresh?.error ?? TM.gaveUp;
      if (!fresh?.error) await r.media.explain(row.id, zh);
      await r.events.add({ requestId: row.requestId, at: this.deps.clock.now().getTime(), type: 'attachment_failed', actor: 'system', channel: null, data: { attachmentId: row.id, kind: row.kind, error: zh, detail: error.slice(0, 200) } });
    });
  }
}
