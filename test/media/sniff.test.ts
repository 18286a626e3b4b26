import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { checkClaim, sniff } from '../../src/media/sniff';

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name));
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
/** A ZIP whose first local file header names `name` (what Office files begin with). */
const zipNaming = (name: string) => bytes([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0], new Array(16).fill(0), [name.length, 0, 0, 0], name, 'compressed…');

/** What a file is comes from its bytes (docs/interface.md#media), and bytes that are not what the message says are refused. */
describe('sniff', () => {
  it.each([
    ['image.jpg', 'image/jpeg', 'image'],
    ['image.png', 'image/png', 'image'],
    ['image.gif', 'image/gif', 'image'],
    ['image.webp', 'image/webp', 'image'],
    ['image.bmp', 'image/bmp', 'image'],
    ['voice.amr', 'audio/amr', 'voice'],
    ['audio.mp3', 'audio/mpeg', 'voice'],
    ['audio-noid3.mp3', 'audio/mpeg', 'voice'],
    ['audio.aac', 'audio/aac', 'voice'],
    ['audio.m4a', 'audio/mp4', 'voice'],
    ['audio.ogg', 'audio/ogg', 'voice'],
    ['audio.wav', 'audio/wav', 'voice'],
    ['video.mp4', 'video/mp4', 'video'],
    ['video.3gp', 'video/3gpp', 'video'],
    ['video.webm', 'video/webm', 'video'],
  ])('knows %s as %s (%s)', (file, mime, kind) => {
    expect(sniff(fixture(file))).toMatchObject({ mime, kind });
  });

  it('knows WeChat voice (SILK, with and without its leading 0x02), AMR-WB, PDF, HEIC and the archives', () => {
    expect(sniff(bytes([0x02], '#!SILK_V3', [0x0c, 0x00]))).toMatchObject({ mime: 'audio/silk', kind: 'voice' });
    expect(sniff(bytes('#!SILK_V3', [0x0c, 0x00]))).toMatchObject({ mime: 'audio/silk', kind: 'voice' });
    expect(sniff(bytes('#!AMR-WB\n', [0x04]))).toMatchObject({ mime: 'audio/amr-wb', kind: 'voice' });
    expect(sniff(bytes('%PDF-1.7\n%âãÏÓ\n'))).toMatchObject({ mime: 'application/pdf', kind: 'file' });
    expect(sniff(bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic'))).toMatchObject({ mime: 'image/heic', kind: 'image' });
    expect(sniff(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], new Array(8).fill(0)))).toMatchObject({ mime: 'application/x-ole-storage', kind: 'file' });
    expect(sniff(bytes('Rar!\x1a\x07\x01\x00'))).toMatchObject({ mime: 'application/vnd.rar' });
    expect(sniff(bytes([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]))).toMatchObject({ mime: 'application/x-7z-compressed' });
  });

  it('tells a .docx and an .xlsx from a plain ZIP by the parts they name', () => {
    expect(sniff(zipNaming('[Content_Types].xml')).mime).toBe('application/zip');
    expect(sniff(Buffer.concat([zipNaming('[Content_Types].xml'), zipNaming('word/document.xml')])).mime).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(sniff(zipNaming('xl/workbook.xml')).mime).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(sniff(zipNaming('photos/a.jpg'))).toMatchObject({ mime: 'application/zip', kind: 'file', ext: 'zip' });
  });

  it('knows a real .xlsx (as exceljs writes the ledger)', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('台账').addRow(['编号', '事由']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    expect(sniff(buf)).toMatchObject({ mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' });
  });

  it('calls UTF-8 text text, and anything unknown application/octet-stream', () => {
    expect(sniff(Buffer.from('村口路灯坏了\r\n三天了\t。'))).toMatchObject({ mime: 'text/plain; charset=utf-8', kind: 'file' });
    const long = Buffer.from('路'.repeat(2000)); // 6000 bytes: the 4 KiB sample ends inside a character
    expect(sniff(long).mime).toBe('text/plain; charset=utf-8');
    expect(sniff(Buffer.from([0x00, 0x01, 0x02, 0x03]))).toMatchObject({ mime: 'application/octet-stream', kind: 'file' });
    expect(sniff(Buffer.from([0xc3, 0x28, 0x41]))).toMatchObject({ mime: 'application/octet-stream' }); // not UTF-8
    expect(sniff(Buffer.alloc(0))).toMatchObject({ mime: 'application/octet-stream' });
    expect(sniff(Buffer.from([0xff, 0xfb]))).toMatchObject({ mime: 'application/octet-stream' }); // too short for a frame header
  });

  it('refuses an "image" that is a ZIP, a "voice" that is a photo, a program, and nothing at all', () => {
    expect(checkClaim('image', zipNaming('word/document.xml'))).toMatchObject({ ok: false, reason: 'mismatch', zh: '文件内容与消息类型不符，未保存' });
    expect(checkClaim('voice', fixture('image.jpg'))).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(checkClaim('video', fixture('voice.amr'))).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(checkClaim('file', bytes('MZ', [0x90, 0]))).toMatchObject({ ok: false, reason: 'program', zh: '不能保存可执行程序文件' });
    expect(checkClaim('file', bytes([0x7f], 'ELF', [2, 1, 1]))).toMatchObject({ ok: false, reason: 'program' });
    expect(checkClaim('image', Buffer.alloc(0))).toMatchObject({ ok: false, reason: 'empty', zh: '文件是空的，未保存' });
  });

  it('takes what fits: photos as images, voice in an audio-only MP4, any document as a file', () => {
    expect(checkClaim('image', fixture('image.png'))).toMatchObject({ ok: true, sniffed: { mime: 'image/png' } });
    expect(checkClaim('voice', fixture('voice.amr'))).toMatchObject({ ok: true, sniffed: { mime: 'audio/amr' } });
    expect(checkClaim('voice', fixture('audio.m4a'))).toMatchObject({ ok: true });
    expect(checkClaim('voice', fixture('video.mp4'))).toMatchObject({ ok: true });
    expect(checkClaim('video', fixture('video.mp4'))).toMatchObject({ ok: true });
    expect(checkClaim('file', zipNaming('xl/workbook.xml'))).toMatchObject({ ok: true });
    expect(checkClaim('file', fixture('image.jpg'))).toMatchObject({ ok: true, sniffed: { kind: 'image' } });
  });
});
