import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Router from '@koa/router';
import Koa from 'koa';
import { acceptsGzip, safeRelativePath, StaticFolder } from '../../src/web/static';

/** The static-asset server: one folder under a URL prefix, ETag/304, gzip once per file, no way out. */
interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minqing-static-'));
let server: http.Server;
let port: number;

/** A raw request: the path is sent as written (no normalising of `..`), nothing decompressed. */
function get(p: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const CSS = `body{margin:0}\n${'.row{display:flex;gap:6px;padding:4px 8px}\n'.repeat(40)}`;

beforeAll(async () => {
  const pub = path.join(tmp, 'public');
  fs.mkdirSync(path.join(pub, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(pub, 'page.css'), CSS);
  fs.writeFileSync(path.join(pub, 'tiny.js'), 'void 0;\n');
  fs.writeFileSync(path.join(pub, 'index.html'), '<!doctype html><title>页</title>');
  fs.writeFileSync(path.join(pub, 'pic.png'), Buffer.alloc(2000, 7));
  fs.writeFileSync(path.join(pub, 'sub', 'deep.json'), '{"ok":true}');
  fs.writeFileSync(path.join(pub, '.env'), 'SECRET=1');
  fs.writeFileSync(path.join(pub, 'tool.exe'), 'MZ');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'do not serve');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(pub, 'link.txt'));

  const folder = new StaticFolder(pub, { cacheControl: 'public, max-age=60' });
  const router = new Router();
  folder.mount(router, '/assets/');
  router.get('/home', async (c) => {
    await folder.serve(c, 'index.html');
  });
  const app = new Koa();
  app.use(router.routes());
  server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('StaticFolder', () => {
  it('serves a file with its content type, an ETag, cache-control and nosniff', async () => {
    const r = await get('/assets/page.css');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(r.headers.etag).toMatch(/^"[\w-]{20,}"$/);
    expect(r.headers['cache-control']).toBe('public, max-age=60');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers.vary).toMatch(/accept-encoding/i);
    expect(r.body.toString()).toBe(CSS);
    expect((await get('/assets/sub/deep.json')).headers['content-type']).toBe('application/json; charset=utf-8');
    expect((await get('/assets/tiny.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/home')).headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('answers 304 with no body when the ETag matches (plain, weak, or in a list)', async () => {
    const { headers } = await get('/assets/page.css');
    for (const inm of [headers.etag!, `W/${headers.etag}`, `"other", ${headers.etag}`, '*']) {
      const r = await get('/assets/page.css', { 'if-none-match': inm });
      expect(r.status).toBe(304);
      expect(r.body.length).toBe(0);
      expect(r.headers.etag).toBe(headers.etag);
      expect(r.headers['cache-control']).toBe('public, max-age=60');
    }
    expect((await get('/assets/page.css', { 'if-none-match': '"stale"' })).status).toBe(200);
  });

  it('gzips when the client accepts it, with its own ETag; not when it does not, nor small or binary files', async () => {
    const plain = await get('/assets/page.css');
    const gz = await get('/assets/page.css', { 'accept-encoding': 'br, gzip;q=0.8' });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.length).toBeLessThan(CSS.length / 4);
    expect(zlib.gunzipSync(gz.body).toString()).toBe(CSS);
    expect(gz.headers.etag).not.toBe(plain.headers.etag);
    expect((await get('/assets/page.css', { 'accept-encoding': 'gzip', 'if-none-match': gz.headers.etag! })).status).toBe(304);
    // The plain copy's ETag does not stand for the gzip copy.
    expect((await get('/assets/page.css', { 'accept-encoding': 'gzip', 'if-none-match': plain.headers.etag! })).status).toBe(200);

    expect((await get('/assets/page.css', { 'accept-encoding': 'gzip;q=0, deflate' })).headers['content-encoding']).toBeUndefined();
    expect((await get('/assets/page.css', { 'accept-encoding': 'identity' })).headers['content-encoding']).toBeUndefined();
    expect((await get('/assets/tiny.js', { 'accept-encoding': 'gzip' })).headers['content-encoding']).toBeUndefined();
    const png = await get('/assets/pic.png', { 'accept-encoding': 'gzip' });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.body.length).toBe(2000);
  });

  it('reads and compresses each file once', async () => {
    const pub = path.join(tmp, 'once');
    fs.mkdirSync(pub);
    fs.writeFileSync(path.join(pub, 'a.css'), CSS);
    const folder = new StaticFolder(pub);
    const read = jest.spyOn(fsp, 'readFile');
    const gzip = jest.spyOn(zlib, 'gzipSync');
    try {
      const c = () => ({ get: (h: string) => (h === 'accept-encoding' ? 'gzip' : ''), set: jest.fn(), vary: jest.fn() }) as never;
      for (let i = 0; i < 5; i++) expect(await folder.serve(c(), 'a.css')).toBe(true);
      expect(read).toHaveBeenCalledTimes(1);
      expect(gzip).toHaveBeenCalledTimes(1);
    } finally {
      read.mockRestore();
      gzip.mockRestore();
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const r = await get('/assets/page.css', {}, 'HEAD');
    expect(r.status).toBe(200);
    expect(r.headers.etag).toBeDefined();
    expect(r.body.length).toBe(0);
  });

  it.each([
    ['/assets/../secret.txt'],
    ['/assets/sub/../../secret.txt'],
    ['/assets/%2e%2e/secret.txt'],
    ['/assets/..%2fsecret.txt'],
    ['/assets/..%5csecret.txt'],
    ['/assets/%2F' + encodeURIComponent(path.join(tmp, 'secret.txt').slice(1))],
    ['/assets//etc/passwd'],
    ['/assets/page.css%00.png'],
    ['/assets/./page.css'],
    ['/assets/.env'],
    ['/assets/sub'],
    ['/assets/sub/'],
    ['/assets/missing.css'],
    ['/assets/tool.exe'],
    ['/assets/link.txt'],
    ['/assets/'],
  ])('%s is 404', async (p) => {
    const r = await get(p);
    expect(r.status).toBe(404);
    expect(r.body.toString()).not.toContain('do not serve');
  });
});

describe('safeRelativePath', () => {
  it('keeps plain relative paths and refuses every way out', () => {
    expect(safeRelativePath('a/b.css')).toBe('a/b.css');
    expect(safeRelativePath('sandbox.js')).toBe('sandbox.js');
    for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'a//b', 'a/./b', '.git/config', 'a\\..\\b', 'C:\\x', 'a\u0000b', 'a\nb', 'x/']) {
      expect(safeRelativePath(bad)).toBeNull();
    }
  });
});

describe('acceptsGzip', () => {
  it.each([
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.5', true],
    ['GZIP', true],
    ['*', true],
    ['gzip;q=0', false],
    ['*;q=0', false],
    ['identity', false],
    ['deflate, br', false],
    ['', false],
  ])('%j → %s', (h, want) => {
    expect(acceptsGzip(h)).toBe(want);
  });
});
