/**
 * 一次性告知 drafts per category (docs/rules.md#4): what is needed, what to bring, where, when, how it
 * proceeds — in one message. The owner edits the draft before it goes out.
 */
const COMMON = '办理地点：村便民服务室（每周二驻村干部在村）。\n办理时间：工作日 8:30-17:30。\n办理流程：材料齐全后当场受理，按承诺时限办结并告知结果。';

export const NOTICE_TEMPLATES: Record<number, string> = {
  1: `请携带：身份证、户口本、相关合同或协议原件及复印件。\n${COMMON}`,
  2: `请补充：反映的具体人员、时间、事情经过。\n${COMMON}`,
  3: `请补充：涉及的村务事项名称、时间，如有公示照片请一并提供。\n${COMMON}`,
  4: `请携带：身份证、相关证明材料（合同、照片、证人联系方式）；双方当事人需到场调解。\n${COMMON}`,
  5: `请携带：身份证、户口本、银行卡（如涉及补助）、相关证明（病历、房屋照片等）。\n${COMMON}`,
  6: `请补充：具体地点、时间和情况说明。\n${COMMON}`,
  7: `请补充：具体位置（可发定位）和现场照片。\n${COMMON}`,
  8: `请补充：需要办理的事项说明及相关材料。\n${COMMON}`,
};

export function noticeDraft(category: number | null): string {
  return NOTICE_TEMPLATES[category ?? 8] ?? NOTICE_TEMPLATES[8];
}
