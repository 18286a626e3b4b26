import { CardContent, truncate } from './content';

/**
 * WeCom `template_card` of type `button_interaction` (企业微信 发送应用消息 → 模板卡片消息).
 * Limits from the API: main title ≤ 36 chars, ≤ 6 horizontal rows, ≤ 6 buttons.
 */
const STYLE = { primary: 1, default: 2, danger: 3 } as const;

/**
 * `update`: the card as message/update_template_card takes it (更新为新的卡片). A closed card then also
 * carries `replace_text`, which WeCom shows as a grey button nobody can tap.
 */
export function toWecomTemplateCard(card: CardContent, taskId: string, o: { update?: boolean } = {}): Record<string, unknown> {
  const tc: Record<string, unknown> = {
    card_type: 'button_interaction',
    source: { desc: '民情直通车', desc_color: 0 },
    main_title: { title: truncate(card.title, 36), desc: truncate(card.subtitle, 44) },
    quote_area: { type: 0, title: '群众原话', quote_text: card.quote },
    horizontal_content_list: card.fields.slice(0, 6).map((f) => ({ keyname: truncate(f.label, 5), value: truncate(f.value, 26) })),
    task_id: taskId,
  };
  if (card.url) tc.card_action = { type: 1, url: card.url };
  if (card.select) {
    tc.button_selection = {
      question_key: card.select.key,
      title: card.select.title,
      option_list: card.select.options.slice(0, 10).map((o) => ({ id: o.id, text: truncate(o.text, 16) })),
      selected_id: card.select.options.slice(0, 10).some((o) => o.id === card.select!.selected) ? card.select.selected : card.select.options[0]?.id,
    };
  }
  tc.button_list = card.buttons.length
    ? card.buttons.slice(0, 6).map((b) => ({ text: b.label, style: STYLE[b.style], key: b.key }))
    : [{ text: card.closedNote ?? '已处理', style: 2, key: 'noop' }];
  if (o.update && !card.buttons.length) tc.replace_text = card.closedNote ?? '已处理';
  return tc;
}
