import { z } from 'zod';

/**
 * The 农事村办 catalogue (seed 001 §二.8, docs/rules.md#sources): the matters a village service room takes and 代办 for
 * villagers — 婚育证件、户口迁移、医疗保险、农村低保、建房审批、涉农补贴、党员组织关系接转 — each with what to
 * bring, where it is handled and the 办结时限 it gets by default. The built-in list below is written
 * from the seeds and general practice; a township changes it with an optional `matters` list in its
 * org file (see `matterOverrideSchema`), loaded by `org import` like the rest of the file.
 *
 * What uses it: `matchMatter(text)` picks the matter a villager's text is about, so the 一次性告知
 * draft (`matterNotice`) names the right materials and the new request's card preselects its 时限.
 */
export interface Matter {
  /** Stable id (letters, digits, _ -), what an override in the org file names. */
  id: string;
  /** 事项名称, e.g. 农村低保. */
  name: string;
  /** Words in a villager's text that point at this matter; the longest matches win. */
  keywords: string[];
  /** 需携带的材料, one item each. */
  materials: string[];
  /** 办理地点 / 流程: where it is taken and who decides. */
  where: string;
  /** The default 时限 choice, as on the card: general, township, complaint, complaint_special, beyond:N, joint:N (N working days). */
  tier: string;
  /** Anything else the villager should know (optional). */
  note?: string;
}

/** A 时限 choice as `resolveTierChoice` (deadline.ts) reads it. */
export const TIER_CHOICE = /^(?:general|township|complaint|complaint_special|(?:beyond|joint):(?:[1-9]\d?|1[01]\d|120))$/;

export const DEFAULT_MATTERS: Matter[] = [
  {
    id: 'hunyu',
    name: '婚育证件',
    keywords: ['婚育', '生育登记', '生育证', '准生证', '生育服务证', '婚育证明', '独生子女证', '计生', '二孩', '三孩', '生小孩', '生孩子'],
    materials: ['夫妻双方身份证', '户口本', '结婚证', '已生育的带子女出生医学证明'],
    where: '村便民服务室受理代办，镇卫健（计生）办审核办理。',
    tier: 'general',
  },
  {
    id: 'hukou',
    name: '户口迁移',
    keywords: ['户口', '迁户', '户口迁', '迁入', '迁出', '落户', '准迁证', '迁移证', '分户', '上户口', '户籍'],
    materials: ['户口本', '本人身份证', '迁入地准予迁入证明', '相关证明（结婚证、录取通知书或房产证等）'],
    where: '村便民服务室登记代办，派出所户籍窗口办理。',
    tier: 'beyond:10',
    note: '跨县市迁移需先到迁入地办理准迁证。',
  },
  {
    id: 'yibao',
    name: '医疗保险',
    keywords: ['医保', '医疗保险', '新农合', '合作医疗', '参保', '医保缴费', '住院报销', '医疗报销', '报销'],
    materials: ['身份证', '户口本', '报销另带：住院发票、费用清单、出院小结、银行卡（社保卡）'],
    where: '村便民服务室代收代办，镇医保（社保）服务站办理。',
    tier: 'township',
  },
  {
    id: 'dibao',
    name: '农村低保',
    keywords: ['低保', '最低生活保障', '特困', '五保', '临时救助', '困难补助', '救助金', '低保户'],
    materials: ['申请书', '户口本', '家庭成员身份证', '家庭收入情况说明', '病历或残疾证等证明', '银行卡（社保卡）'],
    where: '村委会受理、入户调查并民主评议公示，镇民政办审核，县民政局审批。',
    tier: 'beyond:20',
  },
  {
    id: 'jianfang',
    name: '建房审批',
    keywords: ['建房', '盖房', '修房', '起房', '翻建', '宅基地', '建房审批', '规划许可', '乡村建设规划'],
    materials: ['建房申请书', '户口本', '身份证', '宅基地或土地使用证明', '四邻意见', '建房设计图或通用图'],
    where: '村委会受理并公示，镇村镇建设（自然资源）所审核，镇政府审批。',
    tier: 'beyond:20',
    note: '审批前请勿动工。',
  },
  {
    id: 'butie',
    name: '涉农补贴',
    keywords: ['补贴', '惠农', '粮补', '种粮', '耕地地力', '农机补贴', '一卡通', '退耕还林', '良种补贴', '补助款'],
    materials: ['身份证', '一卡通或社保卡', '土地承包证或种植面积证明'],
    where: '村委会核实登记，镇农业服务中心审核，镇财政所发放。',
    tier: 'township',
  },
  {
    id: 'zuzhi',
    name: '党员组织关系接转',
    keywords: ['组织关系', '党组织关系', '党关系', '转党', '党员转入', '党员转出', '介绍信', '流动党员'],
    materials: ['党员组织关系介绍信（或系统转接）', '身份证', '党员档案或证明'],
    where: '村党组织受理，镇党委组织办办理接转。',
    tier: 'township',
  },
];

const matterId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1–32 letters, digits, _ or -');
const shortText = (max: number) => z.string().trim().min(1).max(max);

/**
 * One entry of the org file's optional `matters` list. An entry with a built-in id changes only the
 * fields it gives (`"off": true` drops that matter); an entry with a new id adds a matter and must
 * give name, keywords, materials, where and tier.
 */
export const matterOverrideSchema = z
  .object({
    id: matterId,
    name: shortText(32).optional(),
    keywords: z.array(shortText(16)).min(1).optional(),
    materials: z.array(shortText(64)).min(1).optional(),
    where: shortText(120).optional(),
    tier: z.string().regex(TIER_CHOICE, 'must be general, township, complaint, complaint_special, beyond:N or joint:N').optional(),
    note: shortText(120).optional(),
    off: z.boolean().optional(),
  })
  .superRefine((m, ctx) => {
    if (m.off || DEFAULT_MATTERS.some((d) => d.id === m.id)) return;
    for (const k of ['name', 'keywords', 'materials', 'where', 'tier'] as const) {
      if (m[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: `a new matter "${m.id}" needs ${k}` });
    }
  });
export type MatterOverride = z.infer<typeof matterOverrideSchema>;

/** The built-in catalogue with the township's changes: overrides in file order, new matters after the built-in ones. */
export function mergeCatalogue(overrides: MatterOverride[] = [], base: Matter[] = DEFAULT_MATTERS): Matter[] {
  const out = base.map((m) => ({ ...m }));
  for (const o of overrides) {
    const i = out.findIndex((m) => m.id === o.id);
    if (o.off) {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    const { off: _off, ...fields } = o;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<Matter>;
    if (i >= 0) out[i] = { ...out[i], ...defined };
    else out.push(defined as Matter);
  }
  return out;
}

const squash = (s: string) => s.replace(/\s+/g, '');

/**
 * The matter a villager's text is about, or null. Each matter scores the total length of its
 * keywords found in the text (so 住院报销 beats 报销 alone, and two hits beat one); the highest score
 * wins, the earlier matter on a tie.
 */
export function matchMatter(text: string, catalogue: Matter[] = DEFAULT_MATTERS): Matter | null {
  const t = squash(text);
  if (!t) return null;
  let best: Matter | null = null;
  let bestScore = 0;
  for (const m of catalogue) {
    // A keyword inside a longer matched keyword of the same matter counts once (报销 within 住院报销).
    const hits = m.keywords.filter((k) => t.includes(k));
    const score = hits.filter((k) => !hits.some((h) => h !== k && h.includes(k))).reduce((n, k) => n + k.length, 0);
    if (score > bestScore) {
      best = m;
      bestScore = score;
    }
  }
  return best;
}

/** The 时限 line of a matter, as a villager reads it. */
export function matterTierText(tier: string): string {
  const [t, n] = tier.split(':');
  switch (t) {
    case 'general':
      return '1个工作日内办结';
    case 'township':
      return '3个工作日内办结';
    case 'complaint':
      return '7日内答复';
    case 'complaint_special':
      return '15日内答复';
    case 'beyond':
      return `需上级审批，承诺${n}个工作日内办结`;
    case 'joint':
      return `多部门联办，商定${n}个工作日内办结`;
    default:
      return '按承诺时限办结';
  }
}

/** The 一次性告知 draft for a matter: what it is, what to bring, where, how long — in one message. */
export function matterNotice(m: Matter): string {
  const lines = [
    `办理事项：${m.name}`,
    `请携带：${m.materials.join('、')}`,
    `办理地点：${m.where}`,
    `办理时限：材料齐全后${matterTierText(m.tier)}。`,
  ];
  if (m.note) lines.push(`温馨提示：${m.note}`);
  return lines.join('\n');
}
