import { ActionKey, LABELS } from './labels';

/**
 * A card's content, built once from a request's state and rendered per platform
 * (`wecom.ts`, `dingtalk.ts`, `sandbox.ts`). Pure data: no platform knows about another.
 */
export interface CardButton {
  key: ActionKey;
  label: string;
  style: 'primary' | 'default' | 'danger';
}

export interface CardSelect {
  key: string;
  title: string;
  options: { id: string; text: string }[];
}

export interface CardContent {
  /** e.g. 新的群众诉求 */
  title: string;
  /** e.g. 关沟村 · 20261126-001 */
  subtitle: string;
  /** The villager's own words (truncated for the card; the full text is one tap away). */
  quote: string;
  fields: { label: string; value: string }[];
  buttons: CardButton[];
  select?: CardSelect;
  /** Shown instead of the buttons once the card is answered, e.g. 已由李四受理. */
  closedNote?: string;
  /** The request's page. */
  url?: string;
}

/** What a card needs to know of a request — plain values, already formatted. */
export interface RequestView {
  id: number;
  code: string;
  villageName: string | null;
  reporterName: string | null;
  text: string;
  receivedAt: string;
  deadline: string | null;
  ownerName: string | null;
  statusLabel: string;
  url?: string;
}

export const QUOTE_MAX = 120;

export function truncate(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

const button = (key: ActionKey, style: CardButton['style'] = 'default'): CardButton => ({ key, label: LABELS[key], style });

function base(v: RequestView, title: string): Omit<CardContent, 'buttons'> {
  const fields = [
    { label: '编号', value: v.code },
    { label: '反映人', value: v.reporterName ?? '群众' },
    { label: '收到', value: v.receivedAt },
  ];
  if (v.deadline) fields.push({ label: '办结时限', value: v.deadline });
  if (v.ownerName) fields.push({ label: '首问责任人', value: v.ownerName });
  return {
    title,
    subtitle: `${v.villageName ?? '未定村'} · ${v.statusLabel}`,
    quote: truncate(v.text, QUOTE_MAX),
    fields,
    url: v.url,
  };
}

/** A new request, to the on-duty and resident cadres (or the township office): 受理 / 转办. */
export function newRequestCard(v: RequestView, forwardTo: { id: string; text: string }[]): CardContent {
  return {
    ...base(v, '新的群众诉求'),
    buttons: [button('accept', 'primary'), button('forward')],
    select: forwardTo.length ? { key: 'forward_to', title: '转办给', options: forwardTo } : undefined,
  };
}

/** The same card after someone took it. */
export function takenCard(card: CardContent, ownerName: string): CardContent {
  return { ...card, buttons: [], select: undefined, closedNote: takenNote(ownerName) };
}

export function takenNote(ownerName: string): string {
  return `已由${ownerName}受理`;
}

/** The owner's working card: 办结 / 转办 / 上报 / 否定报备. */
export function ownerCard(v: RequestView, forwardTo: { id: string; text: string }[]): CardContent {
  return {
    ...base(v, '您负责的群众诉求'),
    buttons: [button('resolve', 'primary'), button('forward'), button('escalate'), button('reject', 'danger')],
    select: forwardTo.length ? { key: 'forward_to', title: '转办/上报给', options: forwardTo } : undefined,
  };
}

/** A handler's card after a 转办: they work on it; the owner stays accountable. */
export function handlerCard(v: RequestView, fromName: string): CardContent {
  return {
    ...base(v, `${fromName}转来的群众诉求`),
    buttons: [button('resolve', 'primary')],
  };
}

/** Any card, closed with a note (no more buttons). */
export function closedCard(card: CardContent, note: string): CardContent {
  return { ...card, buttons: [], select: undefined, closedNote: note };
}
