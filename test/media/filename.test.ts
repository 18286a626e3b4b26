import { contentDisposition, safeFileName } from '../../src/media/filename';

/** The name a file is offered under is never the sender's path (src/media/filename.ts). */
describe('safeFileName', () => {
  it.each([
    ['../../../etc/passwd', 'pdf', 'passwd.pdf'],
    ['C:\\Windows\\system32\\cmd.exe', 'zip', 'cmd.exe.zip'],
    ['..', 'jpg', '附件1.jpg'],
    ['', 'jpg', '附件1.jpg'],
    [undefined, 'png', '附件1.png'],
    ['村委会通知.docx', 'docx', '村委会通知.docx'],
    ['照片.jpeg', 'jpg', '照片.jpeg'],
    ['报表.xls', 'doc', '报表.xls'],
    ['报告\u202efdp.exe', 'pdf', '报告fdp.exe.pdf'],
    ['a"b;c\u0000d.txt', 'txt', 'abcd.txt'],
    ['   .hidden   ', 'txt', 'hidden.txt'],
    ['noext', 'bin', 'noext'],
  ])('%j as %s → %s', (claimed, ext, want) => {
    expect(safeFileName(claimed, ext, '附件1')).toBe(want);
  });

  it('keeps at most 80 characters of a long name', () => {
    expect(Array.from(safeFileName('长'.repeat(200), 'txt', 'x')).length).toBe(84);
  });

  it('writes an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('attachment', "村委会(通知)'.pdf")).toBe(`attachment; filename="___(__)'.pdf"; filename*=UTF-8''%E6%9D%91%E5%A7%94%E4%BC%9A%28%E9%80%9A%E7%9F%A5%29%27.pdf`);
  });
});
