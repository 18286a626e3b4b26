import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyAssets } from '../../src/web/copy-assets';

/** `npm run build` copies the web assets of src/web beside the compiled modules in dist/src/web. */
describe('copyAssets', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minqing-assets-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('copies every file that is not TypeScript (nor the browser tsconfig), keeping the tree', () => {
    const src = path.join(tmp, 'src');
    const files: Record<string, string> = {
      'static.ts': 'export {}',
      'types.d.ts': 'export {}',
      'tsconfig.json': '{}',
      'sandbox/index.html': '<!doctype html>',
      'sandbox/sandbox.css': 'body{}',
      'sandbox/sandbox.js': '// @ts-check',
      'h5/img/logo.svg': '<svg/>',
    };
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(src, f)), { recursive: true });
      fs.writeFileSync(path.join(src, f), text);
    }
    const out = path.join(tmp, 'dist');
    expect(copyAssets(src, out)).toEqual(['h5/img/logo.svg', 'sandbox/index.html', 'sandbox/sandbox.css', 'sandbox/sandbox.js']);
    expect(fs.readFileSync(path.join(out, 'sandbox/sandbox.js'), 'utf8')).toBe('// @ts-check');
    expect(fs.readFileSync(path.join(out, 'h5/img/logo.svg'), 'utf8')).toBe('<svg/>');
    expect(fs.existsSync(path.join(out, 'static.ts'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'tsconfig.json'))).toBe(false);
  });

  it('finds the real page files in src/web', () => {
    const out = path.join(tmp, 'dist');
    const copied = copyAssets(path.resolve(__dirname, '../../src/web'), out);
    expect(copied).toEqual(expect.arrayContaining(['sandbox/index.html', 'sandbox/sandbox.css', 'sandbox/sandbox.js']));
    expect(copied.filter((f) => f.endsWith('.ts'))).toEqual([]);
  });
});
