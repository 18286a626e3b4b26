import { z } from 'zod';
import type { RequestRow } from '../db/entities';
import { parseInstant } from '../domain/time';
import { MinqingError } from '../errors';
import { AppDeps, inTx } from '../operations/tx';
import { recordWalkIn } from '../operations/walk-in';

// What a clerk reads when a field is wrong (the API answers `请求有误：<field>: <this>`).
const must = (what: string) => ({ error: (i: { input?: unknown }) => (i.input === undefined ? '必须填写' : `必须是${what}`) });
const TIER_CHOICE = /^(general|township|complaint|complaint_special|(beyond|joint)(:\d{1,3})?)$/;
const CATEGORY = '必须是 1 到 8 的整数（民情日记分类）';

/** 补录 (docs/interface.md#api, POST /api/v1/requests): a matter taken at the window, by phone, by letter or on the Tuesday desk. */
export const walkInSchema = z.object(
  {
    village: z.string(must('村的编号')).min(1, '不能为空').max(64, '太长').nullable().optional(),
    text: z.string(must('文字')).trim().min(1, '不能为空').max(4000, '不能超过 4000 字'),
    channel: z.enum(['visit', 'phone', 'letter'], { error: '只能是 visit（来访）、phone（来电）或 letter（来信）' }),
    receivedAt: z.string(must('ISO-8601 时间')).min(10, '不是有效的 ISO-8601 时间').max(40, '不是有效的 ISO-8601 时间'),
    reporterName: z.string(must('文字')).trim().min(1, '不能为空').max(64, '不能超过 64 字').optional(),
    /** 来电人电话 and 单位 (docs/interface.md#year). */
    reporterPhone: z.string(must('电话号码')).trim().regex(/^\+?\d[\d -]{4,24}$/, '不是电话号码').max(32, '太长').optional(),
    reporterOrg: z.string(must('文字')).trim().min(1, '不能为空').max(64, '不能超过 64 字').optional(),
    takenBy: z.string(must('组织架构中的人员编号')).min(1, '不能为空').max(64, '太长'),
    category: z.number({ error: CATEGORY }).int(CATEGORY).min(1, CATEGORY).max(8, CATEGORY).optional(),
    tier: z.string(must('办结时限类别')).regex(TIER_CHOICE, '只能是 general、township、complaint、complaint_special、beyond 或 joint').optional(),
  },
  { error: '必须是一个 JSON 对象' },
);
export type WalkIn = z.infer<typeof walkInSchema>;

const invalid = (field: string, zh: string) => new MinqingError(400, 'invalid', `${field}：${zh}`, `${field}: ${zh}`);

/**
 * Records the matter with `takenBy` as its 首问责任人 and `receivedAt` as given; from there the same
 * rules apply (deadline from the day received, owner card, 办结 → the owner records the villager's
 * answer in person).
 */
export async function walkInFromApi(deps: AppDeps, input: WalkIn): Promise<RequestRow> {
  const owner = deps.directory.person(input.takenBy);
  if (!owner?.active) throw invalid('takenBy', '不是组织架构中的在职人员');
  const village = input.village ? deps.directory.village(input.village) : undefined;
  if (input.village && !village?.active) throw invalid('village', '没有这个村');
  const at = parseInstant(input.receivedAt);
  if (!at) throw invalid('receivedAt', '不是有效的 ISO-8601 时间');
  if (at.getTime() > deps.clock.now().getTime() + 60_000) throw invalid('receivedAt', '不能晚于现在');
  return inTx(deps, deps.log, (tx) => recordWalkIn(tx, { ...input, villageId: village?.id ?? null, receivedAt: at.getTime() }, owner));
}
