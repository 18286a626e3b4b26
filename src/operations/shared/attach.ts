import type { AttachmentRow, RequestRow, VillagerRow } from '../../db/entities';
import { MEDIA_LABELS, TM } from '../../domain/texts';
import { atShanghai, shanghaiDay } from '../../domain/time';
import type { Address, MessageType } from '../../platform/types';
import type { Tx } from '../tx';
import { requestLink } from './link';

/** A villager's files kept in one Shanghai day, at most (a flood of photos is refused politely). */
export const MEDIA_PER_VILLAGER_DAY = 30;
/** Files that arrive within this long of the request's last one are announced together (once). */
export const ANNOUNCE_QUIET_MS = 2 * 60 * 1000;

/** What a message carried beside (or instead of) text. */
export interface Carried {
  kind: MessageType;
  mediaId?: string;
  location?: { lat: number; lng: number; label?: string };
  fileName?: string;
  messageId: string;
  /** What the voice says (DingTalk's recognition). */
  heard?: string;
}

export type Kept = { attachment: AttachmentRow; capped: false } | { attachment: AttachmentRow; capped: true; /** the first refused today: say so */ first: boolean };

/** Whether this villager may have one more file kept today, and whether this is the first one refused. */
export async function overCap(tx: Tx, villagerId: number): Promise<{ over: boolean; first: boolean }> {
  const since = atShanghai(shanghaiDay(new Date(tx.now)), 0).getTime();
  const n = await tx.media.filesSince(villagerId, since);
  return { over: n >= MEDIA_PER_VILLAGER_DAY, first: n === MEDIA_PER_VILLAGER_DAY };
}

/**
 * Records what a message carried on `req` (docs/interface.md#media): a file with a platform media id
 * becomes a pending row of the download queue (or failed at once where the platform keeps no files, or
 * past the villager's daily cap — kept as a row that says why, never downloaded); a location is kept
 * as it is. The timeline gets an `attachment` event.
 */
export async function keepCarried(tx: Tx, req: RequestRow, villager: VillagerRow, from: Address | null, c: Carried, via: string | null): Promise<Kept> {
  const platform = from?.platform ?? 'none';
  const isFile = Boolean(c.mediaId) && c.kind !== 'location';
  let status: 'pending' | 'stored' | 'failed' = isFile ? 'pending' : 'stored';
  let error: string | null = null;
  const cap = isFile ? await overCap(tx, villager.id) : { over: false, first: false };
  if (cap.over) {
    status = 'failed';
    error = TM.overCap(MEDIA_PER_VILLAGER_DAY);
  } else if (isFile && !tx.platforms.get(platform)?.fetchMedia) {
    status = 'failed';
    error = TM.noDownload;
  }
  const attachment = await tx.media.add({
    requestId: req.id,
    kind: c.kind,
    platform,
    mediaId: c.mediaId ?? null,
    villagerId: villager.id,
    meta: { messageId: c.messageId, fileName: c.fileName, location: c.location, channel: from?.channel },
    status,
    error,
    text: c.heard ?? (c.kind === 'location' ? (c.location?.label ?? null) : null),
    at: tx.now,
  });
  await tx.event(req.id, 'attachment', `villager:${villager.id}`, via, { kind: c.kind, attachmentId: attachment.id, status, mediaId: c.mediaId ?? null });
  if (cap.over) {
    tx.log.info({ requestId: req.id, attachmentId: attachment.id, cap: MEDIA_PER_VILLAGER_DAY }, 'file refused: over the daily cap of its villager; not downloaded');
    return { attachment, capped: true, first: cap.first };
  }
  return { attachment, capped: false };
}

/**
 * A photo, voice, file or location joined an open request: its owner hears of it with the code and the
 * link — or, while nobody has taken it, whoever holds its new-request card. A burst of files is announced once.
 */
export async function announceCarried(tx: Tx, req: RequestRow, kept: AttachmentRow): Promise<void> {
  const earlier = await tx.media.ofRequests([req.id]);
  if (earlier.some((a) => a.id !== kept.id && a.id < kept.id && kept.createdAt - a.createdAt < ANNOUNCE_QUIET_MS)) return;
  const what = MEDIA_LABELS[kept.kind] ?? MEDIA_LABELS.other;
  const link = requestLink(tx, req.code);
  const owner = tx.dir.person(req.ownerId);
  if (owner) return tx.tell(owner, TM.mediaToOwner(req.code, what, link), req.id);
  const holders = new Set<string>();
  for (const card of await tx.cards.openOf(req.id, 'new_request')) for (const r of await tx.cards.recipients(card.id)) holders.add(r.personId);
  for (const id of holders) {
    const p = tx.dir.person(id);
    if (p) await tx.tell(p, TM.mediaToHolders(req.code, what, link), req.id);
  }
}
