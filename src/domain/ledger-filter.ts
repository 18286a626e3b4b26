import { period } from './periods';
import { isStatus, OPEN, Status } from './status';
import { TL } from './texts';
import { shanghaiDay } from './time';

/**
 * The ledger page's filters (docs/interface.md#dashboard-and-ledger), the same for the page, its CSV and
 * its XLSX: `village` (an id), `status` (`open` for 在办, or statuses separated by commas), `month`
 * (`2026-11`: received in that month; `all`: every month; absent: the current month) and `owner`
 * (the 首问责任人's id). Pure: the query in, the filter or a Chinese reason out.
 */
export interface LedgerFilter {
  village?: string;
  owner?: string;
  /** As asked: '' (all), 'open', or the comma list. */
  status: string;
  statuses?: readonly Status[];
  /** `2026-11`, or null for every month. */
  month: string | null;
  since?: number;
  until?: number;
}

const one = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

export function parseLedgerFilter(q: Record<string, unknown>, now: number): LedgerFilter | { error: string } {
  const village = one(q.village);
  const owner = one(q.owner);
  if (village && !/^[A-Za-z0-9_.-]{1,64}$/.test(village)) return { error: TL.filterErrors.village };
  if (owner && !/^[A-Za-z0-9_.-]{1,64}$/.test(owner)) return { error: TL.filterErrors.owner };
  const status = one(q.status) ?? '';
  let statuses: readonly Status[] | undefined;
  if (status === 'open') statuses = OPEN;
  else if (status) {
    const list = status.split(',').map((s) => s.trim());
    if (!list.every(isStatus)) return { error: TL.filterErrors.status };
    statuses = list;
  }
  const m = one(q.month) ?? shanghaiDay(new Date(now)).slice(0, 7);
  if (m === 'all') return { village, owner, status, statuses, month: null };
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(m)) return { error: TL.filterErrors.month };
  const p = period(m);
  return { village, owner, status, statuses, month: m, since: p.from, until: p.to };
}
