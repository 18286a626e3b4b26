import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads a spreadsheet a township clerk saves — CSV (UTF-8 with or without BOM, or GB18030/GBK as
 * Excel and WPS write "CSV" on a Chinese Windows) or XLSX — into rows of cell texts; `rows[i]` is
 * the file's row i + 1. exceljs (already a dependency) reads XLSX and is loaded only when needed; its
 * CSV reader is not used because it turns cells into numbers and dates (a phone number loses its
 * leading 0), so CSV is parsed here, as RFC 4180 says.
 */
export class TableFileError extends Error {}

export async function readTable(file: string): Promise<string[][]> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return parseCsv(decodeText(fs.readFileSync(file)));
  if (ext === '.xlsx') return readXlsx(file);
  throw new TableFileError(`只支持 CSV 或 XLSX 文件 / the file must be .csv or .xlsx: ${file}`);
}

/** UTF-8 (a BOM is dropped), UTF-16 with a BOM, else GB18030 (a superset of GBK and GB2312). */
export function decodeText(buf: Buffer): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder('gb18030').decode(buf);
  }
}

/** RFC 4180: comma-separated, fields in double quotes may hold commas, quotes ("") and line breaks; CRLF, LF or CR end a row. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') endField();
    else if (c === '\r' || c === '\n') {
      endRow();
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (field !== '' || row.length) endRow();
  return rows;
}

async function readXlsx(file: string): Promise<string[][]> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(file);
  } catch (e) {
    throw new TableFileError(`无法读取 XLSX 文件 / cannot read ${file} as XLSX: ${(e as Error).message}`);
  }
  const ws = wb.worksheets.find((w) => w.actualRowCount > 0) ?? wb.worksheets[0];
  if (!ws) return [];
  const rows: string[][] = [];
  for (let n = 1; n <= ws.rowCount; n++) {
    const r = ws.getRow(n);
    const cells: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) cells.push(r.getCell(c).text ?? '');
    rows.push(cells);
  }
  return rows;
}
