/**
 * Where villagers' photos, voice and files are kept (docs/interface.md#media): by content hash, so the same
 * bytes are kept once, and the only key anyone can ask for is a validated sha256 — no name, no path.
 * `MediaStore` is the seam for an object store; `FsMediaStore` is the embedded default (`MEDIA_DIR`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export const DEFAULT_MEDIA_DIR = './data/media';

export interface StoredMedia {
  sha256: string;
  bytes: number;
  /** where it is inside the store (for the filesystem: relative to its root), e.g. `ab/cd/abcd….bin` */
  path: string;
}

export interface OpenedMedia {
  bytes: number;
  stream(): NodeJS.ReadableStream;
}

export interface MediaStore {
  /** Keep these bytes (idempotent: the same bytes again change nothing and give the same answer). */
  put(data: Uint8Array): Promise<StoredMedia>;
  /** The bytes kept under this hash, or null (also for anything that is not a lower-case hex sha256). */
  open(sha256: string): Promise<OpenedMedia | null>;
  exists(sha256: string): Promise<boolean>;
}

const SHA256 = /^[0-9a-f]{64}$/;
export const isSha256 = (s: unknown): s is string => typeof s === 'string' && SHA256.test(s);

export const sha256Of = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** `ab/cd/abcd….bin` for a valid hash; throws for anything else, so no caller can build a path from input. */
export function keyPath(sha256: string): string {
  if (!isSha256(sha256)) throw new RangeError('media key is not a sha256');
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}.bin`;
}

/**
 * Files under `root`, written atomically: to a temporary file in `root/tmp` (same filesystem), flushed,
 * then renamed into place — a reader sees the whole file or none, and a crash leaves only a temp file.
 */
export class FsMediaStore implements MediaStore {
  readonly root: string;
  /** Directories already made (a file's two levels, and tmp): each is made once per process. */
  private readonly made = new Set<string>();

  constructor(root: string = DEFAULT_MEDIA_DIR) {
    this.root = path.resolve(root);
  }

  private async dir(d: string): Promise<void> {
    if (this.made.has(d)) return;
    await mkdir(d, { recursive: true });
    this.made.add(d);
  }

  private file(sha256: string): string {
    return path.join(this.root, keyPath(sha256));
  }

  async put(data: Uint8Array): Promise<StoredMedia> {
    const sha256 = sha256Of(data);
    const rel = keyPath(sha256);
    const dest = this.file(sha256);
    const done: StoredMedia = { sha256, bytes: data.byteLength, path: rel };
    if (await this.sizeOf(dest) === data.byteLength) return done;

    const tmpDir = path.join(this.root, 'tmp');
    await this.dir(tmpDir);
    await this.dir(path.dirname(dest));
    const tmp = path.join(tmpDir, `${sha256}.${randomBytes(6).toString('hex')}.part`);
    try {
      const fh = await open(tmp, 'wx', 0o640);
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, dest);
    } catch (err) {
      await rm(tmp, { force: true });
      // A directory removed behind our back is made again on the next try.
      this.made.clear();
      throw err;
    }
    return done;
  }

  async open(sha256: string): Promise<OpenedMedia | null> {
    if (!isSha256(sha256)) return null;
    const file = this.file(sha256);
    const bytes = await this.sizeOf(file);
    if (bytes === null) return null;
    return { bytes, stream: (): ReadStream => createReadStream(file) };
  }

  async exists(sha256: string): Promise<boolean> {
    return isSha256(sha256) && (await this.sizeOf(this.file(sha256))) !== null;
  }

  private async sizeOf(file: string): Promise<number | null> {
    try {
      const s = await stat(file);
      return s.isFile() ? s.size : null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}
