import fs from 'node:fs';
import path from 'node:path';

/**
 * The layout's promises (README.md, "Where things are"): the core never knows which platform a person used — only the
 * composition root (src/main.ts) wires the adapters of bot/ in — and cards/ is pure content, free of
 * platform adapters and of the database.
 */
const ROOT = path.resolve(__dirname, '..');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** Every module a file imports (static, type-only, dynamic, require, re-export), as repository paths. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`])\/\/.*$/gm, '$1');
  const specs = [
    ...text.matchAll(/\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?['"]([^'"]+)['"]/g),
    ...text.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]);
  return specs.map((s) => (s.startsWith('.') ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), s)) : s));
}

const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

describe('architecture', () => {
  it('finds the imports it checks (the checker itself works)', () => {
    expect(importsOf('src/main.ts')).toEqual(expect.arrayContaining(['bot/wecom/adapter', 'src/config']));
    expect(importsOf('cards/wecom.ts')).toContain('cards/content');
  });

  it('keeps bot/ out of src/, except the composition root src/main.ts', () => {
    const offenders = tsFiles('src')
      .filter((f) => f !== path.join('src', 'main.ts'))
      .flatMap((f) => importsOf(f).filter((i) => under(i, 'bot')).map((i) => `${f} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it('keeps cards/ free of platform adapters and of the database', () => {
    const offenders = tsFiles('cards').flatMap((f) =>
      importsOf(f)
        .filter((i) => under(i, 'bot') || under(i, 'src/db') || /^(typeorm|better-sqlite3|mysql2)(\/|$)/.test(i))
        .map((i) => `${f} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });
});
