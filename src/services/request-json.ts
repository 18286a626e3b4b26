import type { Db } from '../db/db';
import type { AttachmentRow, RequestRow } from '../db/entities';
import type { Directory } from '../domain/directory';
import { isoOrNull } from '../domain/time';

/** The `Request` shape of docs/interface.md#api. */
export interface RequestJson {
  id: number;
  code: string;
  status: string;
  village: string | null;
  category: number | null;
  tier: string;
  text: string;
  reporterName: string | null;
  /** 补录: the caller's phone and 单位 (docs/interface.md#year). */
  reporterPhone: string | null;
  reporterOrg: string | null;
  channel: string;
  owner: { id: string; name: string } | null;
  handlers: { id: string; name: string }[];
  level: string;
  receivedAt: string;
  acceptedAt: string | null;
  deadline: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  satisfaction: string | null;
  /** 办理结果, as written at 办结 (民情日记's third part). */
  result: string | null;
  /** Why it was closed: satisfied | no_answer (未评价) | …; null while open. */
  closeReason: string | null;
  events: { at: string; type: string; actor: string; channel: string | null; data: Record<string, unknown> }[];
  /** Its page (docs/interface.md#pages), when the app knows its public address. */
  url?: string;
  /** What the villager sent with it (docs/interface.md#media). */
  attachments: AttachmentJson[];
}

/** One photo, voice, video, file or location (docs/interface.md#media). */
export interface AttachmentJson {
  id: number;
  kind: string;
  status: string;
  /** Why it is not (fully) kept, in Chinese. */
  error: string | null;
  /** The bytes as kept, for whoever may see the request; null until stored. */
  url: string | null;
  /** The copy a browser plays (the MP3 of an AMR voice), when there is one. */
  playUrl: string | null;
  sha256: string | null;
  bytes: number | null;
  mime: string | null;
  /** What a voice says (DingTalk's recognition), or a location's label. */
  text: string | null;
  location?: { lat: number; lng: number; label?: string };
}

export function attachmentJson(a: AttachmentRow, baseUrl: string): AttachmentJson {
  const stored = a.status === 'stored';
  return {
    id: a.id,
    kind: a.kind,
    status: a.status,
    error: a.error,
    url: stored && a.sha256 ? `${baseUrl}/media/${a.id}` : null,
    playUrl: stored && a.playSha256 ? `${baseUrl}/media/${a.id}/play` : null,
    sha256: a.sha256,
    bytes: a.bytes,
    mime: a.mime,
    text: a.text,
    ...(a.kind === 'location' && a.meta.location ? { location: a.meta.location as AttachmentJson['location'] } : {}),
  };
}

/** Serializes requests with their handlers, timelines and attachments in four queries, whatever their number; `baseUrl` prefixes the media links. */
export async function requestsJson(db: Db, dir: Directory, rows: RequestRow[], o: { pageOf?: (code: string) => string; baseUrl?: string } = {}): Promise<RequestJson[]> {
  const { pageOf, baseUrl = '' } = o;
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const handlers = await db.read.handlers.ofRequests(ids);
  const events = await db.read.events.ofRequests(ids);
  const attachments = await db.read.media.ofRequests(ids);
  const person = (id: string) => ({ id, name: dir.person(id)?.name ?? id });
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    status: r.status,
    village: r.villageId,
    category: r.category,
    tier: r.tier,
    text: r.text,
    reporterName: r.reporterName,
    reporterPhone: r.reporterPhone,
    reporterOrg: r.reporterOrg,
    channel: r.channel,
    owner: r.ownerId ? person(r.ownerId) : null,
    handlers: handlers.filter((h) => h.requestId === r.id).map((h) => person(h.personId)),
    level: r.level,
    receivedAt: isoOrNull(r.receivedAt)!,
    acceptedAt: isoOrNull(r.acceptedAt),
    deadline: isoOrNull(r.deadline),
    resolvedAt: isoOrNull(r.resolvedAt),
    closedAt: isoOrNull(r.closedAt),
    satisfaction: r.satisfaction,
    result: r.result,
    closeReason: r.closeReason,
    events: events
      .filter((e) => e.requestId === r.id)
      .map((e) => ({ at: isoOrNull(e.at)!, type: e.type, actor: e.actor, channel: e.channel, data: e.data })),
    ...(pageOf ? { url: pageOf(r.code) } : {}),
    attachments: attachments.filter((a) => a.requestId === r.id).map((a) => attachmentJson(a, baseUrl)),
  }));
}
