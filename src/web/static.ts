import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import type Router from '@koa/router';
import type { Context } from 'koa';

/**
 * The web assets (HTML, CSS, browser JS, images) live beside this module: under `src/web/<folder>/`
 * when the TypeScript runs from source (tests), under `dist/src/web/<folder>/` once built
 * (`copy-assets.ts` copies them there after `tsc`).
 */
export const WEB_ROOT = __dirname;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.pdf': 'application/pdf',
};
const COMPRESSIBLE = new Set(['.html', '.css', '.js', '.mjs', '.map', '.json', '.txt', '.svg', '.ttf', '.ico']);
/** Below this size gzip's header costs more than it saves. */
const GZIP_MIN_BYTES = 256;

interface Variant {
  body: Buffer;
  etag: string;
}
interface Asset {
  type: string;
  compressible: boolean;
  plain: Variant;
  gzip: Variant | null;
}

export interface StaticFolderOptions {
  /** `cache-control` of every file (default `no-cache`: the browser keeps a copy and asks with its ETag). */
  cacheControl?: string;
}

/**
 * A relative path inside a folder, or null for anything that could leave it or name something
 * odd: empty, absolute, a backslash, NUL or other control characters, `.` / `..` / empty segments,
 * or a hidden (dot) file.
 */
export function safeRelativePath(rel: string): string | null {
  if (!rel || rel.length > 1024) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(rel) || rel.startsWith('/') || path.isAbsolute(rel)) return null;
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p.startsWith('.'))) return null;
  return parts.join('/');
}

/** Whether the client takes gzip (`accept-encoding: gzip`, or `*`, with q > 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star: boolean | null = null;
  for (const item of header.split(',')) {
    const [name, ...params] = item.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const ok = q === undefined || Number(q.slice(2)) > 0;
    if (name.trim() === 'gzip') return ok;
    if (name.trim() === '*') star = ok;
  }
  return star === true;
}

function matches(ifNoneMatch: string, etag: string): boolean {
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

function tagOf(body: Buffer, suffix = ''): string {
  return `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}${suffix}"`;
}

/**
 * Serves the files of one folder. Each file is read, hashed (its ETag) and gzipped once, on first
 * request, and kept in memory — for the few small files of a page, not for uploads. Paths that
 * could leave the folder, hidden files, directories and unknown extensions are 404.
 */
export class StaticFolder {
  /** The folder served (absolute). */
  readonly dir: string;
  private readonly cacheControl: string;
  private readonly cache = new Map<string, Promise<Asset | null>>();

  constructor(dir: string, o: StaticFolderOptions = {}) {
    this.dir = path.resolve(dir);
    this.cacheControl = o.cacheControl ?? 'no-cache';
  }

  /** Serves `rel` (a path inside the folder) into `c`; false (and `c` untouched) when there is no such file. */
  async serve(c: Context, rel: string): Promise<boolean> {
    const safe = safeRelativePath(rel);
    if (!safe) return false;
    const asset = await this.load(safe);
    if (!asset) return false;
    const gz = asset.gzip && acceptsGzip(c.get('accept-encoding') || undefined) ? asset.gzip : null;
    const v = gz ?? asset.plain;
    c.set('etag', v.etag);
    c.set('cache-control', this.cacheControl);
    c.set('x-content-type-options', 'nosniff');
    if (asset.compressible) c.vary('accept-encoding');
    const inm = c.get('if-none-match');
    if (inm && matches(inm, v.etag)) {
      c.status = 304;
      return true;
    }
    c.status = 200;
    c.type = asset.type;
    if (gz) c.set('content-encoding', 'gzip');
    c.body = v.body;
    return true;
  }

  /** GET `prefix/<path>` serves `<path>` from the folder; anything else under the prefix is 404. */
  mount(router: Router, prefix: string): void {
    router.get(`${prefix.replace(/\/+$/, '')}/*path`, async (c) => {
      const rel = c.params.path;
      await this.serve(c, Array.isArray(rel) ? rel.join('/') : String(rel ?? ''));
    });
  }

  private load(rel: string): Promise<Asset | null> {
    let p = this.cache.get(rel);
    if (!p) {
      p = this.read(rel);
      this.cache.set(rel, p);
      // A missing file is not remembered (it may appear), nor is a failed read.
      p.then(
        (a) => a || this.cache.delete(rel),
        () => this.cache.delete(rel),
      );
    }
    return p;
  }

  private async read(rel: string): Promise<Asset | null> {
    const ext = path.extname(rel).toLowerCase();
    const type = TYPES[ext];
    if (!type) return null;
    const file = path.join(this.dir, rel);
    // Symbolic links may not lead out of the folder either.
    let real: string;
    let rootReal: string;
    try {
      [real, rootReal] = await Promise.all([fs.realpath(file), fs.realpath(this.dir)]);
      if (!real.startsWith(rootReal + path.sep) || !(await fs.stat(real)).isFile()) return null;
    } catch {
      return null;
    }
    const body = await fs.readFile(real);
    const compressible = COMPRESSIBLE.has(ext);
    let gzip: Variant | null = null;
    if (compressible && body.length >= GZIP_MIN_BYTES) {
      const z = zlib.gzipSync(body, { level: 9 });
      if (z.length < body.length) gzip = { body: z, etag: tagOf(body, '-gz') };
    }
    return { type, compressible, plain: { body, etag: tagOf(body) }, gzip };
  }
}
