import type { Db } from '../db/db';
import { CATEGORIES } from '../domain/category';
import type { Directory } from '../domain/directory';
import { isoOrNull } from '../domain/time';
import { TY } from '../domain/texts';
import { csvCell } from './ledger';

/**
 * A person's 民情日记 as data (docs/interface.md#year): every entry oldest first — free entries with
 * their category, the 办理过程 of requests (with the request's 事由 and 办理结果, the three parts of the
 * seed 002 format), household visits, 一次性告知, 户主会 — their 审阅 and 自评, and the archive records
 * made when they left. For `GET /api/v1/diary/:personId`, `minqing diary export` and the diary book page.
 */
export interface DiaryExport {
  person: { id: string; name: string; title: string | null; active: boolean };
  archived: { archivedAt: string; entries: number; firstAt: string | null; lastAt: string | null }[];
  entries: {
    at: string;
    kind: string;
    kindLabel: string;
    category: number | null;
    categoryLabel: string | null;
    household: string | null;
    text: string;
    request: { code: string; text: string; result: string | null; status: string } | null;
  }[];
  reviews: { period: string; kind: 'review' | 'self'; reviewer: { id: string; name: string } | null; text: string; at: string }[];
}

export async function diaryExport(db: Db, dir: Directory, personId: string): Promise<DiaryExport | null> {
  const p = dir.person(personId);
  if (!p) return null;
  const rows = await db.read.diaryArchive.entriesOf(personId);
  const requests = new Map((await db.read.requests.byIds([...new Set(rows.map((r) => r.requestId).filter((id): id is number => id !== null))])).map((r) => [r.id, r]));
  const name = (id: string) => dir.person(id)?.name ?? id;
  return {
    person: { id: p.id, name: p.name, title: p.title, active: p.active },
    archived: (await db.read.diaryArchive.ofPerson(personId)).map((a) => ({ archivedAt: isoOrNull(a.archivedAt)!, entries: a.entries, firstAt: isoOrNull(a.firstAt), lastAt: isoOrNull(a.lastAt) })),
    entries: rows.map((e) => {
      const data = (e.data ?? {}) as { category?: number; household?: string };
      const req = e.requestId ? requests.get(e.requestId) : undefined;
      const category = data.category ?? req?.category ?? null;
      return {
        at: isoOrNull(e.at)!,
        kind: e.kind,
        kindLabel: TY.entryKinds[e.kind] ?? e.kind,
        category,
        categoryLabel: category ? (CATEGORIES[category] ?? null) : null,
        household: data.household ?? null,
        text: e.text,
        request: req ? { code: req.code, text: req.text, result: req.result, status: req.status } : null,
      };
    }),
    reviews: (await db.read.diaryReviews.ofPerson(personId)).map((r) => ({
      period: r.period,
      kind: r.kind === 'self' ? ('self' as const) : ('review' as const),
      reviewer: r.reviewerId ? { id: r.reviewerId, name: name(r.reviewerId) } : null,
      text: r.text,
      at: isoOrNull(r.at)!,
    })),
  };
}

/** The same as CSV (BOM, for Excel): one row per entry, then the 审阅 and 自评. */
export function diaryCsv(x: DiaryExport): string {
  const header = TY.diaryCsvHeader;
  const rows = [
    ...x.entries.map((e) => [e.at, e.kindLabel, e.categoryLabel ?? '', e.request?.code ?? '', e.household ?? '', e.text, e.request?.text ?? '', e.request?.result ?? '']),
    ...x.reviews.map((r) => [r.at, r.kind === 'self' ? TY.entryKinds.self : TY.entryKinds.review, r.period, '', r.reviewer?.name ?? '', r.text, '', '']),
  ];
  return '\uFEFF' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
