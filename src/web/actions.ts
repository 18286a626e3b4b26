import type { RequestRow } from '../db/entities';
import { CATEGORIES } from '../domain/category';
import { TIER_CHOICES } from '../domain/deadline';
import type { Directory, Person } from '../domain/directory';
import { noticeDraft } from '../domain/notice-templates';
import type { OpName } from '../domain/rights';
import { forwardTargets } from '../domain/routing';
import { T, TP } from '../domain/texts';
import { accept } from '../operations/accept';
import { appeal } from '../operations/appeal';
import { setCategory } from '../operations/category';
import { setDeadline } from '../operations/deadline';
import { approve, deny } from '../operations/decide';
import { escalate } from '../operations/escalate';
import { forward } from '../operations/forward';
import { merge } from '../operations/merge';
import { notify } from '../operations/notify';
import { progress } from '../operations/progress';
import { rate } from '../operations/rate';
import { reject } from '../operations/refusal';
import { resolve } from '../operations/resolve';
import type { RequestOp } from '../operations/run';
import { fulfil, supervise } from '../operations/supervise';
import type { Platforms } from '../platform/registry';
import { esc } from './layout';

/**
 * Every action the request page offers (docs/interface.md#pages): the operation it runs — the same one a
 * card tap or a text command runs, through the same rights matrix — the form that asks for its input,
 * and how the form's fields become that input. Which of them a viewer sees is the matrix's answer.
 */
export interface PageAction {
  key: string;
  name: OpName;
  label: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table of operations of every input type; `input` builds each one's
  op: RequestOp<any, any>;
  danger?: boolean;
  /** The form brings its own submit buttons (满意 / 不满意). */
  ownButtons?: boolean;
  /** Only shown in these statuses (beyond what the matrix allows), e.g. 督办 on open requests. */
  only?: readonly string[];
  /** The form's fields (HTML). */
  fields(c: FormContext): string;
  /** The operation's input from the form, or a Chinese reason it cannot be read. */
  input(f: Record<string, string>, c: FormContext): Record<string, unknown> | string;
}

export interface FormContext {
  req: RequestRow;
  dir: Directory;
  platforms: Platforms;
  viewerId: string | null;
}

const MAX = 4000;
const text = (f: Record<string, string>, k: string) => (f[k] ?? '').trim();
const area = (name: string, label: string, value = '', required = true) =>
  `<label for="f-${name}">${esc(label)}</label><textarea id="f-${name}" name="${name}" maxlength="${MAX}"${required ? ' required' : ''}>${esc(value)}</textarea>`;
const line = (name: string, label: string, type = 'text', required = true, extra = '') =>
  `<label for="f-${name}">${esc(label)}</label><input id="f-${name}" name="${name}" type="${type}"${required ? ' required' : ''}${extra}>`;
const select = (name: string, label: string, options: { id: string; text: string }[]) =>
  `<label for="f-${name}">${esc(label)}</label><select id="f-${name}" name="${name}">${options.map((o) => `<option value="${esc(o.id)}">${esc(o.text)}</option>`).join('')}</select>`;
const needs = (v: string, what: string) => (v ? null : `请填写${what}。`);
const tooLong = (v: string) => (v.length > MAX ? `内容不能超过 ${MAX} 字。` : null);

/** Everyone one may hand a request to: the village's and the township office first, then all active people. */
export function forwardChoices(dir: Directory, req: RequestRow, except: (string | null)[]): Person[] {
  const first = forwardTargets(dir, req.villageId);
  const rest = dir.activePeople().filter((p) => !first.some((q) => q.id === p.id));
  return [...first, ...rest].filter((p) => p.active && !except.includes(p.id));
}

/** The people list's HTML per directory version, village and who is left out (it is the page's largest part). */
const pickerCache = new Map<string, string>();

/** A searchable list of people (radio buttons), and the WeCom contact picker's hidden field. */
function peoplePicker(name: string, people: Person[], dir: Directory, key: string): string {
  const cacheKey = `${dir.version}|${name}|${key}`;
  let items = pickerCache.get(cacheKey);
  if (items === undefined) {
    items = people.map((p) => `<label data-name="${esc(`${p.name} ${p.title ?? ''}`)}"><input type="radio" name="${name}" value="${esc(p.id)}">${esc(dir.label(p))}</label>`).join('');
    if (pickerCache.size > 500) pickerCache.clear();
    pickerCache.set(cacheKey, items);
  }
  return (
    `<label for="f-${name}-q">${esc(TP.forwardTo)}</label><input id="f-${name}-q" class="picker-search" type="search" placeholder="${esc(TP.forwardSearch)}" autocomplete="off">` +
    `<button type="button" class="contact-pick" hidden>${esc(TP.forwardPickContact)}</button><input type="hidden" name="pick" value="">` +
    `<p class="muted picked" hidden></p><div class="picker">${items}</div>`
  );
}

/** A person named by the form: their id, or (the WeCom picker) their user id in some platform realm. */
export function personFromForm(f: Record<string, string>, key: string, c: FormContext): string | null {
  const id = text(f, key);
  if (id && c.dir.person(id)?.active) return id;
  const pick = text(f, 'pick');
  if (!pick) return null;
  for (const realm of c.platforms.all().flatMap((a) => a.realms)) {
    const p = c.dir.personByPlatformId(realm.name, pick);
    if (p) return p.id;
  }
  return null;
}

const categories = Object.entries(CATEGORIES).map(([id, name]) => ({ id, text: `${id} ${name}` }));

export const PAGE_ACTIONS: PageAction[] = [
  { key: 'accept', name: 'accept', label: '受理', op: accept, fields: () => select('tier', TP.tierLabel, TIER_CHOICES), input: (f) => ({ tier: text(f, 'tier') || undefined }) },
  {
    key: 'resolve',
    name: 'resolve',
    label: '办结',
    op: resolve,
    fields: () => area('result', TP.resultLabel),
    input: (f) => needs(text(f, 'result'), TP.result) ?? tooLong(text(f, 'result')) ?? { result: text(f, 'result') },
  },
  {
    key: 'forward',
    name: 'forward',
    label: '转办',
    op: forward,
    fields: (c) => (c.req.status === 'pending' ? select('tier', TP.tierLabel, TIER_CHOICES) : '') + peoplePicker('to', forwardChoices(c.dir, c.req, [c.viewerId]), c.dir, `${c.req.villageId}|${c.viewerId}`),
    input: (f, c) => {
      const to = personFromForm(f, 'to', c);
      return to ? { to, tier: text(f, 'tier') || undefined } : T.forwardNeedsTarget.replace('在卡片上', '');
    },
  },
  { key: 'escalate', name: 'escalate', label: '上报', op: escalate, fields: () => line('date', TP.escalateDate, 'date', false), input: (f) => ({ date: text(f, 'date') || undefined }) },
  {
    key: 'reject',
    name: 'reject',
    label: '否定报备',
    danger: true,
    op: reject,
    fields: () => area('basis', TP.basisLabel) + area('reason', TP.reasonLabel),
    input: (f) => needs(text(f, 'basis'), TP.basisLabel) ?? needs(text(f, 'reason'), TP.reasonLabel) ?? tooLong(text(f, 'basis') + text(f, 'reason')) ?? { basis: text(f, 'basis'), reason: text(f, 'reason') },
  },
  { key: 'approve', name: 'approve', label: '同意', op: approve, fields: () => '', input: () => ({}) },
  { key: 'deny', name: 'deny', label: '驳回', danger: true, op: deny, fields: () => area('comment', TP.commentLabel, '', false), input: (f) => tooLong(text(f, 'comment')) ?? { comment: text(f, 'comment') || undefined } },
  {
    key: 'notify',
    name: 'notify',
    label: '一次性告知',
    op: notify,
    fields: (c) => area('text', TP.noticeLabel, noticeDraft(c.req.category)),
    input: (f) => needs(text(f, 'text'), TP.noticeLabel) ?? tooLong(text(f, 'text')) ?? { text: text(f, 'text') },
  },
  { key: 'progress', name: 'progress', label: '进展', op: progress, fields: () => area('text', TP.progressLabel), input: (f) => needs(text(f, 'text'), TP.progressLabel) ?? tooLong(text(f, 'text')) ?? { text: text(f, 'text') } },
  { key: 'deadline', name: 'set_deadline', label: '时限', op: setDeadline, fields: () => line('date', TP.dateLabel, 'date'), input: (f) => needs(text(f, 'date'), TP.dateLabel) ?? { date: text(f, 'date') } },
  {
    key: 'category',
    name: 'set_category',
    label: '分类',
    op: setCategory,
    fields: () => select('category', TP.categoryLabel, categories),
    input: (f) => (/^[1-8]$/.test(text(f, 'category')) ? { category: Number(text(f, 'category')) } : TP.badInput),
  },
  { key: 'merge', name: 'merge', label: '合并', op: merge, fields: () => line('into', TP.mergeInto, 'text', true, ' pattern="\\d{8}-\\d{3,}" inputmode="numeric"'), input: (f) => needs(text(f, 'into'), TP.mergeInto) ?? { into: text(f, 'into') } },
  {
    key: 'supervise',
    name: 'supervise',
    label: '督办',
    op: supervise,
    only: ['pending', 'accepted', 'rejection_pending'],
    fields: (c) => peoplePicker('to', forwardChoices(c.dir, c.req, []), c.dir, `${c.req.villageId}|`).replace(esc(TP.forwardTo), esc(TP.superviseTo)) + line('date', TP.dateLabel, 'date') + area('note', TP.superviseNote),
    input: (f, c) => {
      const to = personFromForm(f, 'to', c);
      if (!to) return `请选择${TP.superviseTo}。`;
      return needs(text(f, 'date'), TP.dateLabel) ?? tooLong(text(f, 'note')) ?? { to, date: text(f, 'date'), note: text(f, 'note') };
    },
  },
  { key: 'fulfil', name: 'fulfil', label: '已落实', op: fulfil, fields: () => area('text', TP.fulfilLabel), input: (f) => needs(text(f, 'text'), TP.fulfilLabel) ?? tooLong(text(f, 'text')) ?? { text: text(f, 'text') } },
  {
    key: 'rate',
    name: 'rate',
    label: '评价',
    op: rate,
    ownButtons: true,
    fields: () =>
      `<p>${esc(TP.rateAsk)}</p>${area('reason', TP.unsatisfied + '的原因（可不填）', '', false)}` +
      `<button class="primary" name="satisfied" value="1">${esc(TP.satisfied)}</button><button class="danger" name="satisfied" value="0">${esc(TP.unsatisfied)}</button>`,
    input: (f) => (f.satisfied === '1' || f.satisfied === '0' ? { satisfied: f.satisfied === '1', reason: text(f, 'reason').slice(0, MAX) || undefined } : TP.badInput),
  },
  { key: 'appeal', name: 'appeal', label: '申诉', op: appeal, fields: () => area('text', TP.appealLabel, '', false), input: (f) => tooLong(text(f, 'text')) ?? { text: text(f, 'text') || undefined } },
];

export const actionByKey = (key: string) => PAGE_ACTIONS.find((a) => a.key === key);
