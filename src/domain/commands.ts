import { CATEGORIES } from './category';
import { T, TM, TY } from './texts';

/**
 * Short text commands (docs/interface.md#text-commands), parsed without side effects. Anything that is not a command
 * from a villager is a new request (or a follow-up); from a cadre, it gets help.
 */
export type Command =
  | { name: 'help' }
  | { name: 'query'; code?: string }
  | { name: 'supplement'; text: string }
  /** `bare`: a lone 1 / 2 / 满意 / 不满意, a rating only when something awaits one. */
  | { name: 'rate'; value: 1 | 2; code?: string; bare?: boolean }
  | { name: 'appeal'; code?: string; text?: string }
  | { name: 'worklist' }
  /** `category`: 1–8 when the cadre gave one (`日记 4 内容`, `日记 农村矛盾纠纷 内容`). */
  | { name: 'diary'; text: string; category?: number }
  /** `phone`, `org`: 来电人电话 and 单位 when typed (`补录 王大爷（县供电所） 13800000000 内容`). */
  | { name: 'walk_in'; reporter: string; text: string; phone?: string; org?: string }
  | { name: 'heads_meeting'; village: string; text: string }
  | { name: 'review'; person: string; text: string }
  | { name: 'self_assessment'; text: string }
  | { name: 'handover'; code: string; to: string }
  | { name: 'callback'; code: string; satisfied: boolean; note: string }
  | { name: 'supervise'; code: string; to: string; date: string; note: string }
  | { name: 'fulfil'; code: string; text: string }
  | { name: 'visit'; household: string; text: string }
  | { name: 'progress'; code: string; text: string }
  | { name: 'resolve'; code: string; text: string }
  | { name: 'reject'; code: string; basis: string; reason: string }
  | { name: 'notify'; code: string; text?: string }
  | { name: 'deadline'; code: string; date: string }
  | { name: 'category'; code: string; category: number }
  | { name: 'merge'; code: string; into: string }
  | { name: 'escalate'; code: string; date?: string }
  | { name: 'accept'; code: string }
  | { name: 'forward'; code: string; to: string }
  | { name: 'phoned'; code: string }
  | { name: 'approve'; code: string }
  | { name: 'deny'; code: string; text?: string }
  /** A villager's 新问题: the message just added to their request is another matter. */
  | { name: 'split_off' }
  | { name: 'split'; code: string }
  | { name: 'bad'; usage: string };

export const CODE = /^\d{8}-\d{3,}$/;

/** Full-width digits and punctuation as a phone keyboard may send them. */
export function normalize(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[－—–]/g, '-')
    .replace(/\u3000/g, ' ')
    .trim();
}

/** Splits "依据：…；理由：…" (any order, ：or :, ；or newline between). */
export function parseRefusal(text: string): { basis: string; reason: string } | null {
  const m = /依据\s*[:：]\s*([\s\S]+?)\s*(?:[;；\n]\s*)?理由\s*[:：]\s*([\s\S]+)$/.exec(text);
  const n = /理由\s*[:：]\s*([\s\S]+?)\s*(?:[;；\n]\s*)?依据\s*[:：]\s*([\s\S]+)$/.exec(text);
  const basis = (m?.[1] ?? n?.[2] ?? '').trim().replace(/[;；]$/, '');
  const reason = (m?.[2] ?? n?.[1] ?? '').trim().replace(/[;；]$/, '');
  return basis && reason ? { basis, reason } : null;
}


const bad = (k: keyof typeof T.usages): Command => ({ name: 'bad', usage: T.usages[k] });
const badY = (k: keyof typeof TY.usages): Command => ({ name: 'bad', usage: TY.usages[k] });

const PHONE = /^\+?\d[\d-]{4,19}$/;

/** A category typed before a diary entry: 1–8, [4], 【4】, or its name (农村矛盾纠纷). */
export function parseCategoryToken(token: string): number | null {
  const t = token.replace(/^[[【(（〔]/, '').replace(/[\]】)）〕]$/, '');
  if (/^[1-8]$/.test(t)) return Number(t);
  const named = Object.entries(CATEGORIES).find(([, name]) => name === t);
  return named ? Number(named[0]) : null;
}

/** 反映人 as typed for a 补录: "王大爷", "王大爷（县供电所）", "王大爷/县供电所". */
export function parseReporter(token: string): { name: string; org?: string } {
  const m = /^(.+?)[（(](.+)[)）]$/.exec(token) ?? /^(.+?)[/／](.+)$/.exec(token);
  return m ? { name: m[1], org: m[2] } : { name: token };
}

function walkIn(rest: string[], tail: string): Command {
  if (rest.length < 2) return bad('walk_in');
  const who = parseReporter(rest[0]);
  const phone = rest.length >= 3 && PHONE.test(rest[1]) ? rest[1].replace(/-/g, '') : undefined;
  const text = tail.slice(rest[0].length).trim().slice(phone ? rest[1].length : 0).trim();
  return { name: 'walk_in', reporter: who.name, text, ...(who.org ? { org: who.org } : {}), ...(phone ? { phone } : {}) };
}

export function parseCommand(raw: string): Command | null {
  const text = normalize(raw);
  const [head, ...rest] = text.split(/\s+/);
  const tail = text.slice(head.length).trim();
  const codeArg = rest[0] && CODE.test(rest[0]) ? rest[0] : undefined;
  const afterCode = codeArg ? tail.slice(codeArg.length).trim() : tail;

  switch (head) {
    case '帮助':
    case '?':
    case '？':
      return rest.length ? null : { name: 'help' };
    case '查询':
      return rest.length === 0 ? { name: 'query' } : codeArg && rest.length === 1 ? { name: 'query', code: codeArg } : null;
    case '补充':
      return tail ? { name: 'supplement', text: tail } : bad('supplement');
    case '1':
    case '2':
      return rest.length ? null : { name: 'rate', value: Number(head) as 1 | 2, bare: true };
    case '满意':
    case '不满意':
      return rest.length ? null : { name: 'rate', value: head === '满意' ? 1 : 2, bare: true };
    case '评价': {
      // 评价 1 · 评价 编号 1 · 评价 1 编号
      if (/^[12]$/.test(afterCode)) return { name: 'rate', value: Number(afterCode) as 1 | 2, code: codeArg };
      if (rest.length === 2 && /^[12]$/.test(rest[0]) && CODE.test(rest[1])) return { name: 'rate', value: Number(rest[0]) as 1 | 2, code: rest[1] };
      return null;
    }
    case '申诉':
      return { name: 'appeal', code: codeArg, text: afterCode || undefined };
    case '待办':
      return rest.length ? null : { name: 'worklist' };
    case '督办': {
      const [to, date, ...note] = afterCode.split(/\s+/);
      return codeArg && to && date ? { name: 'supervise', code: codeArg, to, date, note: note.join(' ') } : bad('supervise');
    }
    case '落实':
      return codeArg && afterCode ? { name: 'fulfil', code: codeArg, text: afterCode } : bad('fulfil');
    case '补录':
      return walkIn(rest, tail);
    case '日记': {
      const category = rest.length >= 2 ? parseCategoryToken(rest[0]) : null;
      if (category) return { name: 'diary', text: tail.slice(rest[0].length).trim(), category };
      return tail ? { name: 'diary', text: tail } : bad('diary');
    }
    case '户主会':
      return rest.length >= 2 ? { name: 'heads_meeting', village: rest[0], text: tail.slice(rest[0].length).trim() } : badY('heads_meeting');
    case '审阅':
      return rest.length >= 1 ? { name: 'review', person: rest[0], text: tail.slice(rest[0].length).trim() } : badY('review');
    case '自评':
      return tail ? { name: 'self_assessment', text: tail } : badY('self_assessment');
    case '交接':
      return codeArg && afterCode && !/\s/.test(afterCode) ? { name: 'handover', code: codeArg, to: afterCode } : badY('handover');
    case '回访': {
      const [verdict, ...note] = afterCode.split(/\s+/);
      const satisfied = verdict === '满意' || verdict === '1' ? true : verdict === '不满意' || verdict === '2' ? false : null;
      return codeArg && satisfied !== null ? { name: 'callback', code: codeArg, satisfied, note: note.join(' ') } : badY('callback');
    }
    case '走访':
      return rest.length >= 2 ? { name: 'visit', household: rest[0], text: tail.slice(rest[0].length).trim() } : bad('visit');
    case '进展':
      return codeArg && afterCode ? { name: 'progress', code: codeArg, text: afterCode } : bad('progress');
    case '办结':
      return codeArg && afterCode ? { name: 'resolve', code: codeArg, text: afterCode } : codeArg ? bad('resolve') : null;
    case '否定':
    case '否定报备': {
      if (!codeArg) return bad('reject');
      const r = parseRefusal(afterCode);
      return r ? { name: 'reject', code: codeArg, ...r } : bad('reject');
    }
    case '告知':
      return codeArg ? { name: 'notify', code: codeArg, text: afterCode || undefined } : null;
    case '时限':
      return codeArg && afterCode ? { name: 'deadline', code: codeArg, date: afterCode } : bad('deadline');
    case '分类': {
      const n = Number(afterCode);
      return codeArg && Number.isInteger(n) && n >= 1 && n <= 8 ? { name: 'category', code: codeArg, category: n } : bad('category');
    }
    case '合并':
      return codeArg && CODE.test(afterCode) ? { name: 'merge', code: codeArg, into: afterCode } : bad('merge');
    case '上报':
      return codeArg ? { name: 'escalate', code: codeArg, date: afterCode || undefined } : null;
    case '转办':
      return codeArg && afterCode ? { name: 'forward', code: codeArg, to: afterCode } : bad('forward');
    case '已电话告知':
    case '已告知':
      return codeArg && !afterCode ? { name: 'phoned', code: codeArg } : null;
    case '受理':
      return codeArg && !afterCode ? { name: 'accept', code: codeArg } : null;
    case '同意':
      return codeArg && !afterCode ? { name: 'approve', code: codeArg } : null;
    case '驳回':
      return codeArg ? { name: 'deny', code: codeArg, text: afterCode || undefined } : null;
    case '新问题':
      return rest.length ? null : { name: 'split_off' };
    case '拆分':
      return codeArg && !afterCode ? { name: 'split', code: codeArg } : { name: 'bad', usage: TM.usageSplit };
    default:
      return null;
  }
}
