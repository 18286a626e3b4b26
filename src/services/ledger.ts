import type { Db } from '../db/db';
import type { RequestRow } from '../db/entities';
import { CATEGORIES } from '../domain/category';
import { TIER_LABELS, Tier } from '../domain/deadline';
import type { Directory } from '../domain/directory';
import { LEVEL_ZH, Level } from '../domain/lifecycle';
import { STATUS_LABELS } from '../domain/texts';
import { isoShanghai } from '../domain/time';

/**
 * 销号台账 (docs/rules.md#8): every accepted item stays on the ledger until closed — "办一件销一件".
 * One row per request, with its owner, handlers, deadline, result, rating and 督办单.
 */
export const LEDGER_COLUMNS = [
  '编号', '收到时间', '村', '反映人', '事由', '分类', '渠道', '首问责任人', '承办人', '层级', '时限类别',
  '办结时限', '状态', '受理时间', '办结时间', '销号时间', '是否超期', '办理结果', '群众评价', '否定报备', '督办单',
] as const;

const CHANNEL_ZH: Record<string, string> = {
  wecom: '企业微信', kf: '微信客服', dingtalk: '钉钉', sandbox: '沙盒', visit: '来访', phone: '电话', letter: '来信',
};
const RATING_ZH: Record<string, string> = { satisfied: '满意', unsatisfied: '不满意' };

export interface LedgerFilter {
  since?: number;
  until?: number;
  village?: string;
  status?: string[];
}

export async function ledgerRows(db: Db, dir: Directory, f: LedgerFilter, now: number): Promise<string[][]> {
  const requests = await db.read.requests.ledger({ since: f.since ?? 0, until: f.until ?? now, village: f.village, statuses: f.status });
  return ledgerCells(db, dir, requests, now);
}

/** The ledger's cells (`LEDGER_COLUMNS`) of these requests, in their order. */
export async function ledgerCells(db: Db, dir: Directory, requests: RequestRow[], now: number): Promise<string[][]> {
  const ids = requests.map((r) => r.id);
  const handlers = await db.read.handlers.ofRequests(ids);
  const sups = await db.read.supervisions.ofRequests(ids);
  const t = (ms: number | null) => (ms ? isoShanghai(new Date(ms)).slice(0, 16).replace('T', ' ') : '');
  const name = (id: string | null) => (id ? (dir.person(id)?.name ?? id) : '');
  return requests.map((r) => {
    const overdue = r.deadline !== null && (r.resolvedAt ?? now) > r.deadline && r.status !== 'rejected';
    return [
      r.code,
      t(r.receivedAt),
      dir.village(r.villageId)?.name ?? '镇直',
      reporterCell(r),
      r.text,
      r.category ? `${r.category} ${CATEGORIES[r.category]}` : '',
      CHANNEL_ZH[r.channel] ?? r.channel,
      name(r.ownerId),
      handlers.filter((h) => h.requestId === r.id).map((h) => name(h.personId)).join('、'),
      LEVEL_ZH[r.level as Level] ?? r.level,
      TIER_LABELS[r.tier as Tier] ?? r.tier,
      t(r.deadline),
      (STATUS_LABELS[r.status] ?? r.status) + (r.mergedInto ? '（已合并）' : ''),
      t(r.acceptedAt),
      t(r.resolvedAt),
      t(r.closedAt),
      overdue ? '是' : '否',
      r.result ?? '',
      r.satisfaction ? RATING_ZH[r.satisfaction] : r.closeReason === 'no_answer' ? '未评价' : '',
      r.refusal ? `理由：${r.refusal.reason}；依据：${r.refusal.basis}；${r.refusal.decision === 'approved' ? '已批准' : r.refusal.decision === 'denied' ? '已驳回' : '待审批'}` : '',
      sups
        .filter((s) => s.requestId === r.id)
        .map((s) => `#${s.id} ${name(s.personId)} ${t(s.deadline)} ${s.status === 'done' ? '已落实' : '未落实'}`)
        .join('；'),
    ];
  });
}

/** 反映人 with a 补录's 单位 and 电话: "王大爷（县供电所，13800000000）". */
function reporterCell(r: { reporterName: string | null; reporterOrg: string | null; reporterPhone: string | null }): string {
  const extra = [r.reporterOrg, r.reporterPhone].filter(Boolean).join('，');
  return r.reporterName ? (extra ? `${r.reporterName}（${extra}）` : r.reporterName) : extra;
}

export const csvCell = (v: string) => (/[",\n\r]/.test(v) || /^[=+\-@]/.test(v) ? `"${(/^[=+\-@]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"` : v);

/** CSV with a BOM so that Excel opens the Chinese correctly; formula-looking cells are defused. */
export function toCsv(rows: string[][]): string {
  return '\uFEFF' + [LEDGER_COLUMNS as readonly string[], ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Column widths of the spreadsheet (characters), one per `LEDGER_COLUMNS` entry. */
const XLSX_WIDTHS = [15, 12, 8, 8, 30, 12, 8, 9, 10, 6, 10, 12, 10, 12, 12, 12, 6, 28, 8, 24, 24];

/**
 * The ledger as a workbook a clerk prints as it is: A4 landscape, fitted to one page wide, the
 * header row repeated on every page, text wrapped in every cell, page numbers in the footer.
 */
export async function toXlsx(rows: string[][], title: string): Promise<Buffer> {
  // exceljs is large; load it only when someone asks for a spreadsheet.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'minqing';
  const ws = wb.addWorksheet('销号台账', {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddHeader: `&C${title.replace(/&/g, '&&')}`, oddFooter: '&C第 &P 页，共 &N 页' },
  });
  // A column's style goes to every cell added to it afterwards.
  ws.columns = LEDGER_COLUMNS.map((_, i) => ({ width: XLSX_WIDTHS[i] ?? 12, style: { alignment: { wrapText: true, vertical: 'top' } } }));
  const header = ws.addRow([...LEDGER_COLUMNS]);
  header.font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.autoFilter = { from: 'A1', to: { row: 1, column: LEDGER_COLUMNS.length } };
  wb.title = title;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
