import type { Option, RequestView } from '../../../cards/content';
import type { RequestRow } from '../../db/entities';
import { forwardTargets } from '../../domain/routing';
import { STATUS_LABELS } from '../../domain/texts';
import { shortZh } from '../../domain/time';
import type { Tx } from '../tx';
import { pageUrl } from './links';

/** What cards and messages say about a request. */
export function viewOf(tx: Tx, r: RequestRow): RequestView {
  return {
    id: r.id,
    code: r.code,
    villageName: tx.dir.village(r.villageId)?.name ?? null,
    reporterName: r.reporterName,
    text: r.text,
    receivedAt: shortZh(new Date(r.receivedAt)),
    deadline: r.deadline ? shortZh(new Date(r.deadline)) : null,
    ownerName: tx.dir.person(r.ownerId)?.name ?? null,
    statusLabel: STATUS_LABELS[r.status] ?? r.status,
    url: pageUrl(tx, r),
  };
}

export function deadlineText(ms: number): string {
  return shortZh(new Date(ms));
}

/** Whom the request can be handed to (转办), less `except`, as a card's options. */
export function targetOptions(tx: Tx, req: RequestRow, except: string[]): Option[] {
  return forwardTargets(tx.dir, req.villageId)
    .filter((p) => !except.includes(p.id))
    .map((p) => ({ id: p.id, text: tx.dir.label(p) }));
}
