import type { RequestRow } from '../../db/entities';
import type { Tx } from '../tx';

/** The request's page, for cards that go to several people (they log in), or undefined when the app has no pages. */
export function pageUrl(tx: Tx, r: Pick<RequestRow, 'code'>): string | undefined {
  return tx.deps.links?.page(r.code);
}

/** The reporter's own 7-day link to the request's page (docs/interface.md#pages), or undefined. */
export function villagerLink(tx: Tx, r: Pick<RequestRow, 'id' | 'code' | 'reporterVillagerId'>): string | undefined {
  if (!tx.deps.links || !r.reporterVillagerId) return undefined;
  return tx.deps.links.signed(r, `villager:${r.reporterVillagerId}`, tx.now);
}
