import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FsMediaStore, isSha256, keyPath } from '../../src/media/store';

const read = async (s: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

/** Media kept by content hash under MEDIA_DIR (docs/interface.md#media): atomic, idempotent, and no key but a sha256. */
describe('FsMediaStore', () => {
  let root: string;
  let store: FsMediaStore;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'minqing-media-'));
    store = new FsMediaStore(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const photo = Buffer.from('\xff\xd8\xff\xe0 a photo of the broken streetlight', 'latin1');
  const sha = createHash('sha256').update(photo).digest('hex');

  it('keeps bytes under ab/cd/<sha256>.bin and gives them back', async () => {
    const kept = await store.put(photo);
    expect(kept).toEqual({ sha256: sha, bytes: photo.length, path: `${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}.bin` });
    expect(readFileSync(path.join(root, kept.path))).toEqual(photo);
    const opened = await store.open(sha);
    expect(opened?.bytes).toBe(photo.length);
    expect(await read(opened!.stream())).toEqual(photo);
    expect(await store.exists(sha)).toBe(true);
  });

  it('keeps the same bytes once, however often and however concurrently they are put', async () => {
    const first = await store.put(photo);
    const mtime = statSync(path.join(root, first.path)).mtimeMs;
    const again = await Promise.all([store.put(photo), store.put(Buffer.from(photo)), store.put(new Uint8Array(photo))]);
    for (const r of again) expect(r).toEqual(first);
    expect(statSync(path.join(root, first.path)).mtimeMs).toBe(mtime);
    expect(readdirSync(path.join(root, sha.slice(0, 2), sha.slice(2, 4)))).toEqual([`${sha}.bin`]);
    expect(readdirSync(path.join(root, 'tmp'))).toEqual([]); // no temp file left behind
  });

  it('lands one whole file when the same new bytes are put at once', async () => {
    const kept = await Promise.all(Array.from({ length: 5 }, () => store.put(photo)));
    expect(new Set(kept.map((k) => k.path)).size).toBe(1);
    expect(readFileSync(path.join(root, kept[0].path))).toEqual(photo);
    expect(readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });

  it('writes concurrent different files side by side, each whole', async () => {
    const many = Array.from({ length: 20 }, (_, i) => Buffer.alloc(64 * 1024 + i, i));
    const kept = await Promise.all(many.map((b) => store.put(b)));
    for (let i = 0; i < many.length; i++) expect(readFileSync(path.join(root, kept[i].path))).toEqual(many[i]);
    expect(readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });

  it('keeps an empty file too (its hash is the empty sha256)', async () => {
    const kept = await store.put(Buffer.alloc(0));
    expect(kept.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect((await store.open(kept.sha256))?.bytes).toBe(0);
  });

  it('replaces a file of the wrong size left under a hash (e.g. cut short by hand)', async () => {
    const rel = keyPath(sha);
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), photo.subarray(0, 5));
    await store.put(photo);
    expect(readFileSync(path.join(root, rel))).toEqual(photo);
  });

  it('answers nothing for anything that is not a lower-case hex sha256: no path tricks', async () => {
    writeFileSync(path.join(root, 'secret.txt'), 'not media');
    await store.put(photo);
    for (const key of ['../secret.txt', '../../etc/passwd', sha.toUpperCase(), sha.slice(0, 63), `${sha}0`, `${sha.slice(0, 62)}/a`, `${sha.slice(0, 63)}\0`, '', 'secret.txt']) {
      expect(await store.open(key)).toBeNull();
      expect(await store.exists(key)).toBe(false);
    }
    expect(await store.open('0'.repeat(64))).toBeNull(); // valid, not kept
    expect(() => keyPath('../x')).toThrow(RangeError);
    expect([isSha256(sha), isSha256(sha.toUpperCase()), isSha256(123)]).toEqual([true, false, false]);
  });

  it('defaults to ./data/media (MEDIA_DIR)', () => {
    expect(new FsMediaStore().root).toBe(path.resolve('data/media'));
  });
});
