/**
 * The household register (民情档案, docs/interface.md#year): one household per village + 户主 + 组. What the
 * visit duties count (visits.ts), what `走访 户主 情况` links a visit to, and what `households import`
 * reads from a township's spreadsheet (columns 户主, 村, 组, 联系电话, 人口, 备注, optional 状态).
 */
export interface Household {
  id: number;
  villageId: string;
  head: string;
  /** The 组 as a key: "3" for 3组 / 三组 / 第三村民小组; '' when none is known. */
  group: string;
  phone: string | null;
  members: number | null;
  note: string | null;
  active: boolean;
}

/** A row of an import file, checked. A field left `undefined` had no column in the file: it is left as it is. */
export interface HouseholdInput {
  /** The row number in the file (the header is row 1 when it is the first line). */
  row: number;
  villageId: string;
  head: string;
  group: string;
  phone?: string | null;
  members?: number | null;
  note?: string | null;
  active?: boolean;
}

export interface RefusedRow {
  row: number;
  reason: string;
}

const DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一…九十九 → 1…99; null if it is not a Chinese numeral. */
function chineseNumber(s: string): number | null {
  if (!s || !/^[零〇一二两三四五六七八九十]+$/.test(s)) return null;
  if (!s.includes('十')) return s.length === 1 ? DIGIT[s] : null;
  const [tens, ones] = s.split('十');
  if (s.split('十').length > 2) return null;
  const t = tens === '' ? 1 : tens.length === 1 ? DIGIT[tens] : NaN;
  const o = ones === '' ? 0 : ones.length === 1 ? DIGIT[ones] : NaN;
  return Number.isNaN(t) || Number.isNaN(o) ? null : t * 10 + o;
}

const toHalfWidth = (s: string) => s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** A 组 as a key: "3组", "3", "03", "三组", "第三村民小组", "3社" → "3"; other names ("东头") as written; empty → ''. */
export function normalizeGroup(raw: string | null | undefined): string {
  const s = toHalfWidth((raw ?? '').trim()).replace(/\s+/g, '');
  if (!s) return '';
  const core = s.replace(/^第/, '').replace(/(村民小组|小组|组|社)$/, '');
  if (/^\d+$/.test(core)) return String(Number(core));
  const n = chineseNumber(core);
  return n !== null ? String(n) : s;
}

/** "3" → "3组"; a named group as it is. */
export function groupLabel(group: string): string {
  return /^\d+$/.test(group) ? `${group}组` : group;
}

/** "3组张三", or "张三" when the group is not known. */
export function householdLabel(h: Pick<Household, 'head' | 'group'>): string {
  return `${groupLabel(h.group)}${h.head}`;
}

// Digits or Chinese numerals, not both: the 三 of 张三 must not join the 5 of 张三5组.
const GROUP = '第?(?:[0-9０-９]+|[一二两三四五六七八九十]+)(?:村民小组|小组|组|社)';

/** Splits what a cadre typed ("3组张三", "张三（3组）", "张三家", "三组的张三") into a head name and a group key. */
export function parseHouseholdText(text: string): { head: string; group: string } {
  let t = text.trim().replace(/\s+/g, '');
  let group = '';
  const bracket = new RegExp(`[（(](${GROUP})[)）]`).exec(t);
  const lead = new RegExp(`^(${GROUP})的?`).exec(t);
  const trail = new RegExp(`(${GROUP})$`).exec(t);
  const m = bracket ?? lead ?? trail;
  if (m) {
    group = normalizeGroup(m[1]);
    t = t.replace(m[0], '');
  }
  const head = t.replace(/(家|户)$/, '');
  return { head, group };
}

export type HouseholdMatch = { kind: 'one'; household: Household } | { kind: 'many'; households: Household[] } | { kind: 'none' };

/**
 * The household a cadre means by `text` in `走访 户主 情况`: by the head's name, narrowed by 组 when
 * given ("张三", "3组张三", "张三家"). Active households of `villageId` only (all villages when null).
 * Two households with that head and no 组 to tell them apart → `many`, so the caller can ask which.
 */
export function findHousehold(households: Household[], villageId: string | null, text: string): HouseholdMatch {
  const { head, group } = parseHouseholdText(text);
  if (!head) return { kind: 'none' };
  const found = households.filter((h) => h.active && (villageId === null || h.villageId === villageId) && h.head === head && (!group || h.group === group));
  if (found.length === 1) return { kind: 'one', household: found[0] };
  return found.length ? { kind: 'many', households: found } : { kind: 'none' };
}

/** Household columns by their Chinese headers (and the names township spreadsheets commonly use). */
const COLUMNS = {
  head: ['户主', '户主姓名', '户主名'],
  village: ['村', '村名', '所在村', '行政村', '村（社区）', '村(社区)'],
  group: ['组', '组别', '村民小组', '小组', '社'],
  phone: ['联系电话', '电话', '手机', '手机号', '联系方式'],
  members: ['人口', '家庭人口', '人口数', '人数'],
  note: ['备注', '说明'],
  status: ['状态', '在册'],
} as const;
type Column = keyof typeof COLUMNS;

/** 状态 values that take a household off the register (it stays, inactive). */
const OFF_REGISTER = ['迁出', '注销', '销户', '停用', '否', '不在册', '已故', '0'];

export interface VillageRef {
  id: string;
  name: string;
}

/** A village named by id, by name, or by name without 村 / with 村委会. */
export function villageOf(villages: VillageRef[], text: string): VillageRef | undefined {
  const t = text.trim().replace(/\s+/g, '');
  const bare = t.replace(/(村民委员会|村委会)$/, '');
  return villages.find((v) => v.id === t) ?? villages.find((v) => v.name === t || v.name === bare || v.name === `${bare}村` || v.name.replace(/村$/, '') === bare);
}

export class HouseholdFileError extends Error {}

/**
 * Reads the rows of a spreadsheet (`rows[i]` is file row i + 1; the first non-blank row is the
 * header) into checked households and refused rows, each with its row number and reason (Chinese /
 * English). Blank rows are skipped; a second row for the same household is refused.
 * A header without 户主 or 村 is a `HouseholdFileError`.
 */
export function parseHouseholdRows(rows: string[][], villages: VillageRef[]): { ok: HouseholdInput[]; refused: RefusedRow[] } {
  const blank = (r: string[]) => r.every((c) => !c || !c.trim());
  const headerAt = rows.findIndex((r) => !blank(r));
  if (headerAt < 0) throw new HouseholdFileError('文件是空的 / the file has no rows');
  const header = rows[headerAt].map((c) => (c ?? '').trim().replace(/\s+/g, ''));
  const at: Partial<Record<Column, number>> = {};
  for (const [col, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    const i = header.findIndex((h) => names.includes(h));
    if (i >= 0) at[col] = i;
  }
  if (at.head === undefined || at.village === undefined) {
    throw new HouseholdFileError(`表头须有“户主”和“村”两列 / the header (row ${headerAt + 1}) needs the columns 户主 and 村`);
  }
  const ok: HouseholdInput[] = [];
  const refused: RefusedRow[] = [];
  const seen = new Map<string, number>();
  for (let i = headerAt + 1; i < rows.length; i++) {
    const r = rows[i];
    if (blank(r)) continue;
    const row = i + 1;
    const cell = (c: Column) => (at[c] === undefined ? undefined : (r[at[c]] ?? '').trim());
    const refuse = (reason: string) => refused.push({ row, reason });
    const head = cell('head')!.replace(/\s+/g, '');
    const villageText = cell('village')!;
    if (!head) { refuse('缺少户主 / missing 户主'); continue; }
    if (head.length > 64) { refuse('户主过长 / 户主 is longer than 64 characters'); continue; }
    if (!villageText) { refuse('缺少村 / missing 村'); continue; }
    const village = villageOf(villages, villageText);
    if (!village) { refuse(`未知的村“${villageText}” / unknown village "${villageText}"`); continue; }
    const group = normalizeGroup(cell('group'));
    if (group.length > 32) { refuse('组名过长 / 组 is longer than 32 characters'); continue; }
    const phone = cell('phone')?.replace(/[\s-]/g, '');
    if (phone && !/^\+?\d{5,20}$/.test(phone)) { refuse(`联系电话有误“${cell('phone')}” / 联系电话 is not a phone number`); continue; }
    const membersText = cell('members');
    const members = membersText ? Number(toHalfWidth(membersText).replace(/人$/, '')) : null;
    if (members !== null && !(Number.isInteger(members) && members >= 0 && members <= 99)) { refuse(`人口有误“${membersText}” / 人口 must be a whole number 0–99`); continue; }
    const key = `${village.id}\u0000${head}\u0000${group}`;
    if (seen.has(key)) { refuse(`与第${seen.get(key)}行是同一户 / the same household as row ${seen.get(key)}`); continue; }
    seen.set(key, row);
    const status = cell('status');
    ok.push({
      row,
      villageId: village.id,
      head,
      group,
      ...(at.phone !== undefined ? { phone: phone || null } : {}),
      ...(at.members !== undefined ? { members } : {}),
      ...(at.note !== undefined ? { note: cell('note') || null } : {}),
      ...(at.status !== undefined ? { active: !OFF_REGISTER.includes(status ?? '') } : {}),
    });
  }
  return { ok, refused };
}
