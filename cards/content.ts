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
  /** The option chosen until one picks another (default: the first). */
  selected?: string;
}

export interface CardContent {
  /** The request's code (20261126-001): the card's subject, and what text commands refer to. */
  code: string;
  /** e.g. 新的群众诉求 */
  title: string;
  /** e.g. 关沟村 · 待受理 */
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
  /** The open request this one looks like (疑似重复): what its `merge_dup` button merges it into. */
  duplicateOf?: string;
  /** What the card is about beyond its request, when there can be several (`supervision:3`, `deadline:5`). */
  ref?: string;
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
  categoryLabel?: string | null;
  url?: string;
}

export type Option = { id: string; text: string };

export const QUOTE_MAX = 120;

export function truncate(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

const button = (key: ActionKey, style: CardButton['style'] = 'default'): CardButton => ({ key, label: LABELS[key], style });

/** WeCom shows at most 6 rows (horizontal_content_list). */
export const MAX_FIELDS = 6;

/**
 * The request's fields, then the card's own (`extra`: what the card is about — 办理依据, 否定理由,
 * 办理结果…). When there are more than fit, the request's less important fields give way, never
 * the card's own.
 */
function base(v: RequestView, title: string, extra: { label: string; value: string }[] = []): Omit<CardContent, 'buttons'> {
  const general = [{ label: '反映人', value: v.reporterName ?? '群众' }, { label: '收到', value: v.receivedAt }];
  if (v.deadline) general.push({ label: '办结时限', value: v.deadline });
  if (v.ownerName) general.push({ label: '首问责任人', value: v.ownerName });
  const own = extra.slice(0, MAX_FIELDS - 1);
  return {
    code: v.code,
    title,
    subtitle: `${v.villageName ?? '未定村'} · ${v.statusLabel}`,
    quote: truncate(v.text, QUOTE_MAX),
    fields: [{ label: '编号', value: v.code }, ...general.slice(0, MAX_FIELDS - 1 - own.length), ...own],
    ...(v.url ? { url: v.url } : {}),
  };
}

const select = (key: string, title: string, options: Option[], selected?: string): CardSelect | undefined =>
  options.length ? { key, title, options, ...(selected && options.some((o) => o.id === selected) ? { selected } : {}) } : undefined;

/**
 * A new request, to the on-duty and resident cadres (or the township office): 受理 / 转办, with the 时限 to
 * pick (`selected`: the 农事村办 matter's default) — and, when it looks like an open request of the
 * village (docs/interface.md#duplicates), the field 疑似重复 naming it and a 合并 button that merges the new
 * one into it.
 */
export function newRequestCard(v: RequestView, tiers: Option[], o: { selected?: string; duplicateOf?: string } = {}): CardContent {
  const dup = o.duplicateOf;
  return {
    ...base(v, '新的群众诉求', dup ? [{ label: '疑似重复', value: dup }] : []),
    buttons: [button('accept', 'primary'), button('forward'), ...(dup ? [button('merge_dup')] : [])],
    select: select('tier', '办结时限', tiers, o.selected),
    ...(dup ? { duplicateOf: dup } : {}),
  };
}

/** The same card after someone took it. */
export function takenCard(card: CardContent, ownerName: string): CardContent {
  return closedCard(card, takenNote(ownerName));
}

export function takenNote(ownerName: string): string {
  return `已由${ownerName}受理`;
}

/** Asks the one who tapped 转办 on a new request whom to hand it to. */
export function forwardCard(v: RequestView, targets: Option[]): CardContent {
  return { ...base(v, '转办给谁？'), buttons: [button('forward', 'primary')], select: select('forward_to', '转办给', targets) };
}

/** The owner's working card: 办结 / 转办 / 上报 / 否定报备 / 一次性告知. */
export function ownerCard(v: RequestView, targets: Option[]): CardContent {
  return {
    ...base(v, '您负责的群众诉求'),
    buttons: [button('resolve', 'primary'), button('forward'), button('escalate'), button('reject', 'danger'), button('notify')],
    select: select('forward_to', '转办给', targets),
  };
}

/** A handler's card after a 转办 or 上报: they work on it; the owner stays accountable. */
export function handlerCard(v: RequestView, title: string, targets: Option[]): CardContent {
  return {
    ...base(v, title),
    buttons: [button('resolve', 'primary'), button('forward'), button('escalate')],
    select: select('forward_to', '转办给', targets),
  };
}

/** 否定报备 to the approving leader: 同意 / 驳回. */
export function approvalCard(v: RequestView, refusal: { byName: string; basis: string; reason: string }): CardContent {
  return {
    ...base(v, '否定报备待您审批', [
      { label: '报备人', value: refusal.byName },
      { label: '办理依据', value: truncate(refusal.basis, 60) },
      { label: '否定理由', value: truncate(refusal.reason, 60) },
    ]),
    buttons: [button('approve', 'primary'), button('deny', 'danger')],
  };
}

/** 情况反馈: the result, to the villager (or to the owner to record the villager's answer in person). */
export function feedbackCard(v: RequestView, result: string, forOwner: boolean): CardContent {
  return {
    ...base(v, forOwner ? '请代群众评价（当面或电话）' : '您反映的问题已办结', [{ label: '办理结果', value: truncate(result, 60) }]),
    buttons: [button('satisfied', 'primary'), button('unsatisfied')],
  };
}

/** The villager could not be reached in chat: the owner calls and confirms. */
export function phoneCard(v: RequestView, message: string, phone: string | null): CardContent {
  return {
    ...base(v, '请电话告知群众', [{ label: '待告知', value: truncate(message, 60) }, ...(phone ? [{ label: '电话', value: phone }] : [])]),
    buttons: [button('phoned', 'primary')],
  };
}

/** The fields `base` fills from the request itself (after 编号); every other one is the card's own. */
const GENERAL_FIELDS = new Set(['反映人', '收到', '办结时限', '首问责任人']);

/**
 * A card as sent, brought up to the request's state now: the subtitle's 状态 and the request's own
 * fields (办结时限, 首问责任人…) from `v`, the card's own fields (办理依据, 督办人…), buttons, choice and
 * link as they were. What a card update must show — the stored content is the one of the send.
 */
export function refreshCard(card: CardContent, v: RequestView): CardContent {
  const own = card.fields.filter((f) => f.label !== '编号' && !GENERAL_FIELDS.has(f.label));
  const fresh = base(v, card.title, own);
  return { ...card, subtitle: fresh.subtitle, fields: fresh.fields };
}

/** Any card, closed with a note (no more buttons). */
export function closedCard(card: CardContent, note: string): CardContent {
  return { ...card, buttons: [], select: undefined, closedNote: note, duplicateOf: undefined };
}

/** 交接 (docs/interface.md#year): the owner has left; the village secretary or a leader chooses who takes it over. */
export function handoverCard(v: RequestView, leaver: string, targets: Option[]): CardContent {
  return {
    ...base(v, `交接：${leaver}已离岗`, [{ label: '原负责人', value: leaver }]),
    buttons: [button('handover', 'primary')],
    select: select('handover_to', '交给', targets),
  };
}

/** 督办单 from the joint meeting, to the responsible person: 已落实 when done. */
export function supervisionCard(v: RequestView, o: { id: number; issuer: string; deadline: string; note: string }): CardContent {
  return {
    ...base(v, `督办单 #${o.id}`, [
      { label: '督办人', value: o.issuer },
      { label: '督办时限', value: o.deadline },
      { label: '督办要求', value: truncate(o.note, 60) },
    ]),
    buttons: [button('fulfil', 'primary')],
    ref: `supervision:${o.id}`,
  };
}

/** 时限 asked for by the owner on a tier that fixes it: to the responsible leaders, 同意 / 驳回. */
export function deadlineCard(v: RequestView, o: { id: number; byName: string; from: string; to: string }): CardContent {
  return {
    ...base(v, '时限调整待您审批', [
      { label: '申请人', value: o.byName },
      { label: '原时限', value: o.from },
      { label: '调整为', value: o.to },
    ]),
    buttons: [button('approve_deadline', 'primary'), button('deny_deadline', 'danger')],
    ref: `deadline:${o.id}`,
  };
}
