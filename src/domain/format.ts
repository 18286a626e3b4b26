import { truncate } from '../../cards/content';
import type { Directory } from './directory';
import { STATUS_LABELS } from './texts';
import { shortZh } from './time';

export interface RequestLike {
  code: string;
  status: string;
  text: string;
  ownerId: string | null;
  deadline: number | null;
  villageId?: string | null;
}

/** One request as one short line: `20261126-001【办理中】村口路灯坏了…，负责人：李四，时限：11月27日 17:30`. */
export function requestLine(dir: Directory, r: RequestLike, o: { village?: boolean } = {}): string {
  const owner = dir.person(r.ownerId)?.name;
  const village = o.village ? dir.village(r.villageId)?.name : undefined;
  const parts = [`${r.code}【${STATUS_LABELS[r.status] ?? r.status}】${village ? `${village} ` : ''}${truncate(r.text, 16)}`];
  if (owner) parts.push(`负责人：${owner}`);
  if (r.deadline && ['accepted', 'rejection_pending'].includes(r.status)) parts.push(`时限：${shortZh(new Date(r.deadline))}`);
  return parts.join('，');
}

/** A list of lines under a heading, cut at `max` with a count of the rest. */
export function listBlock(heading: string, lines: string[], max = 10): string {
  if (!lines.length) return '';
  const shown = lines.slice(0, max);
  const rest = lines.length - shown.length;
  return [heading, ...shown.map((l) => `· ${l}`), ...(rest > 0 ? [`……另有 ${rest} 件`] : [])].join('\n');
}
