import type { Tx } from '../tx';

/**
 * The request's page (docs/interface.md#routes `/h5/requests/:code`). Who may open it is the page's
 * business (its session or a signed link); the link itself carries no right.
 */
export function requestLink(tx: Tx, code: string): string {
  return `${tx.deps.publicBaseUrl}/h5/requests/${encodeURIComponent(code)}`;
}
