import crypto from 'node:crypto';
import { CardContent, truncate } from './content';

/**
 * DingTalk renderings of the neutral card content:
 * - `toDingtalkCardData`: the public variables of our interactive-card template
 *   (`bot/dingtalk/card-template.json`; every value a string, as `cardParamMap` requires);
 * - `toDingtalkActionCard`: an ActionCard robot message for townships without the template, whose
 *   buttons send the matching text command (or open the request's page).
 */
export const MAX_BUTTONS = 6;
const COLOR = { primary: 'blue', default: 'gray', danger: 'red' } as const;

export function markdownFields(card: CardContent): string {
  return card.fields.map((f) => `**${f.label}**：${f.value}`).join('  \n');
}

/** A short fingerprint of what the card shows; sent back with every tap (`rev`). */
export function cardRevision(map: Record<string, string>): string {
  const { rev: _omit, ...rest } = map;
  return crypto.createHash('sha1').update(JSON.stringify(rest)).digest('hex').slice(0, 10);
}

export function toDingtalkCardData(card: CardContent): Record<string, string> {
  const closed = card.buttons.length === 0;
  const map: Record<string, string> = {
    title: truncate(card.title, 40),
    subtitle: truncate(card.subtitle, 60),
    quote: card.quote,
    fields_md: markdownFields(card),
    closed: String(closed),
    closed_note: card.closedNote ?? (closed ? '已处理' : ''),
    url: card.url ?? '',
    url_show: String(Boolean(card.url)),
    select_show: String(Boolean(card.select) && !closed),
    select_key: card.select?.key ?? '',
    select_title: card.select?.title ?? '',
    select_options: JSON.stringify((card.select?.options ?? []).map((o) => ({ value: o.id, text: truncate(o.text, 20) }))),
    // The option shown chosen (the 农事村办 matter's 时限); a tap without touching the select sends no
    // choice and the server applies the same default (src/domain/tier-choice.ts `defaultTier`).
    select_default: card.select?.selected && card.select.options.some((o) => o.id === card.select!.selected) ? card.select.selected : '',
  };
  for (let i = 0; i < MAX_BUTTONS; i++) {
    const b = card.buttons[i];
    const n = i + 1;
    map[`btn${n}_show`] = String(Boolean(b));
    map[`btn${n}_text`] = b?.label ?? '';
    map[`btn${n}_key`] = b?.key ?? '';
    map[`btn${n}_color`] = b ? COLOR[b.style] : 'gray';
  }
  map.rev = cardRevision(map);
  return map;
}

/** The request code a card is about. */
export function cardCode(card: CardContent): string {
  return card.code ?? card.fields.find((f) => f.label === '编号')?.value ?? '';
}

/**
 * The text command that does what a button does (docs/interface.md#cards labels; `src/domain/commands.ts`);
 * `into` is the request a `merge_dup` button merges into.
 */
export function commandFor(key: string, code: string, into?: string): string | null {
  switch (key) {
    case 'merge_dup':
      return into ? `合并 ${code} ${into}` : null;
    case 'accept':
      return `受理 ${code}`;
    case 'approve':
      return `同意 ${code}`;
    case 'deny':
      return `驳回 ${code}`;
    case 'escalate':
      return `上报 ${code}`;
    case 'resolve':
      return `办结 ${code} 办理结果`;
    case 'reject':
      return `否定 ${code} 依据：…；理由：…`;
    case 'notify':
      return `告知 ${code}`;
    case 'forward':
      return `转办 ${code} 姓名`;
    case 'phoned':
      return `已电话告知 ${code}`;
    case 'fulfil':
      return `落实 ${code} 落实情况`;
    case 'handover':
      return `交接 ${code} 姓名`;
    case 'satisfied':
      return '满意';
    case 'unsatisfied':
      return '不满意';
    default:
      return null;
  }
}

/** A link that, tapped in a DingTalk chat, sends `text` to the robot as the person's own message. */
export function sendMessageLink(text: string): string {
  return `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent(text)}`;
}

export interface ActionCardMessage {
  msgKey: string;
  msgParam: Record<string, string>;
}

/** ActionCard (sampleActionCard…5 / sampleMarkdown) for the robot's batch and group sends. */
export function toDingtalkActionCard(card: CardContent): ActionCardMessage {
  const code = cardCode(card);
  const buttons = card.buttons
    .map((b) => {
      const cmd = commandFor(b.key, code, card.duplicateOf);
      // A command that needs more words (办结 …) is sent without them: the robot answers with its usage.
      const sendable = cmd?.replace(/ (办理结果|依据：…；理由：…|姓名|落实情况)$/, '');
      const url = sendable ? sendMessageLink(sendable) : card.url;
      return url ? { title: b.label, url, cmd } : null;
    })
    .filter((b): b is { title: string; url: string; cmd: string | null } => Boolean(b))
    .slice(0, 5);
  const hints = buttons.map((b) => b.cmd).filter(Boolean) as string[];
  const text = [
    `#### ${card.title}`,
    card.subtitle,
    '',
    `> ${card.quote.replace(/\n/g, ' ')}`,
    '',
    markdownFields(card),
    card.closedNote ? `\n**${card.closedNote}**` : '',
    hints.length ? `\n点下方按钮，或直接回复：${hints.map((h) => `「${h}」`).join('、')}` : '',
  ]
    .filter((l, i, all) => l !== '' || all[i - 1] !== '')
    .join('\n');
  const title = truncate(card.title, 40);
  if (!buttons.length) return { msgKey: 'sampleMarkdown', msgParam: { title, text } };
  if (buttons.length === 1) return { msgKey: 'sampleActionCard', msgParam: { title, text, singleTitle: buttons[0].title, singleURL: buttons[0].url } };
  const msgParam: Record<string, string> = { title, text };
  buttons.forEach((b, i) => {
    msgParam[`actionTitle${i + 1}`] = b.title;
    msgParam[`actionURL${i + 1}`] = b.url;
  });
  return { msgKey: `sampleActionCard${buttons.length}`, msgParam };
}
