import { EntityManager, In, IsNull, MoreThanOrEqual, Not } from 'typeorm';
import { AttachmentRow } from '../entities';
import type { QueueShape } from './queue';

/** The attachment table worked through as the download queue (src/media/worker.ts). */
export const MEDIA_QUEUE: QueueShape<AttachmentRow> = { entity: AttachmentRow, table: 'attachment', ready: 'pending', claimed: 'downloading', failed: 'failed', errorColumn: 'lastError' };

/** What a new attachment is made of; its queue columns come from here. */
export interface NewAttachment {
  requestId: number;
  kind: string;
  platform: string;
  mediaId: string | null;
  villagerId: number | null;
  meta: Record<string, unknown>;
  /** pending (to download), stored (nothing to download: a location) or failed (refused before any download) */
  status: 'pending' | 'stored' | 'failed';
  error?: string | null;
  text?: string | null;
  at: number;
}

/** What a download kept. */
export interface StoredFile {
  sha256: string;
  bytes: number;
  mime: string;
  ext: string;
  play?: { sha256: string; bytes: number; mime: string } | null;
  /** Kept, but with a note (e.g. the voice could not be converted). */
  note?: string | null;
}

/** Attachments: what a villager sent, and where its download stands (docs/interface.md#media). */
export class MediaRepo {
  constructor(private readonly em: EntityManager) {}

  private get repo() {
    return this.em.getRepository(AttachmentRow);
  }

  async add(a: NewAttachment): Promise<AttachmentRow> {
    return this.repo.save(
      this.repo.create({
        requestId: a.requestId,
        kind: a.kind,
        platform: a.platform,
        mediaId: a.mediaId,
        villagerId: a.villagerId,
        meta: a.meta,
        createdAt: a.at,
        status: a.status,
        attempts: 0,
        nextAttemptAt: a.at,
        lockedUntil: null,
        lastError: null,
        error: a.error ?? null,
        text: a.text ?? null,
        sha256: null,
        bytes: null,
        mime: null,
        ext: null,
        playSha256: null,
        playMime: null,
        playBytes: null,
        storedAt: a.status === 'stored' ? a.at : null,
      }),
    );
  }

  byId(id: number): Promise<AttachmentRow | null> {
    return this.repo.findOneBy({ id });
  }

  async ofRequests(ids: number[]): Promise<AttachmentRow[]> {
    const out: AttachmentRow[] = [];
    for (let i = 0; i < ids.length; i += 1000) out.push(...(await this.repo.find({ where: { requestId: In(ids.slice(i, i + 1000)) }, order: { id: 'ASC' } })));
    return out;
  }

  /** How many files (anything with a platform media id) this villager sent since `since`. */
  filesSince(villagerId: number, since: number): Promise<number> {
    return this.repo.countBy({ villagerId, createdAt: MoreThanOrEqual(since), mediaId: Not(IsNull()) });
  }

  /** The download finished: what was kept. Only a row still being downloaded is changed. */
  async stored(id: number, f: StoredFile, at: number): Promise<boolean> {
    const r = await this.repo.update(
      { id, status: MEDIA_QUEUE.claimed },
      {
        status: 'stored',
        lockedUntil: null,
        sha256: f.sha256,
        bytes: f.bytes,
        mime: f.mime,
        ext: f.ext,
        playSha256: f.play?.sha256 ?? null,
        playBytes: f.play?.bytes ?? null,
        playMime: f.play?.mime ?? null,
        error: f.note ?? null,
        lastError: null,
        storedAt: at,
      },
    );
    return (r.affected ?? 0) === 1;
  }

  /** Why it is not kept (yet), in Chinese, as the attachment's `error`. */
  async explain(id: number, zh: string): Promise<void> {
    await this.repo.update({ id }, { error: zh });
  }

  /** The attachment belongs to another request from now on (a message split off into its own). */
  async moveTo(id: number, requestId: number): Promise<void> {
    await this.repo.update({ id }, { requestId });
  }
}
