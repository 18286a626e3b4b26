import fs from 'node:fs';
import path from 'node:path';

/** Build files that are not assets: TypeScript (tsc compiles it) and the browser scripts' tsconfig. */
const isSource = (name: string) => name.endsWith('.ts') || /^tsconfig.*\.json$/.test(name);

/**
 * Copies every web asset under `from` (each file that is not TypeScript: HTML, CSS, browser JS,
 * images) to the same place under `to`, and returns their paths relative to `from`, sorted.
 * `npm run build` runs it after `tsc`, so that `dist/src/web/` holds what `src/web/` does and
 * `StaticFolder` finds the same files from source and from dist.
 */
export function copyAssets(from: string, to: string): string[] {
  const copied: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(from, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (e.isFile() && !isSource(e.name)) {
        fs.mkdirSync(path.join(to, rel), { recursive: true });
        fs.copyFileSync(path.join(from, r), path.join(to, r));
        copied.push(r.split(path.sep).join('/'));
      }
    }
  };
  walk('');
  return copied.sort();
}

// `node dist/src/web/copy-assets.js`: from the repository's src/web to the folder this file is in.
if (require.main === module) copyAssets(path.resolve(__dirname, '../../../src/web'), __dirname);
