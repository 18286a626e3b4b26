import { readFileSync } from 'node:fs';
import path from 'node:path';
import { download, failure, MAX_MEDIA_BYTES, type Fetch, type SetTimer } from '../../src/media/download';
import { memoryLogger } from '../../src/log';

const jpeg = readFileSync(path.join(__dirname, 'fixtures', 'image.jpg'));
const URL_WITH_TOKEN = 'https://qyapi.example/cgi-bin/media/get?access_token=SECRET_TOKEN&media_id=MEDIA123';

/** A fetch that answers with `body` (bytes, or a stream of chunks) and remembers what it was asked. */
function fake(body: ConstructorParameters<typeof Response>[0], init: ResponseInit = {}): Fetch & { calls: { url: string; signal?: AbortSignal | null }[] } {
  const calls: { url: string; signal?: AbortSignal | null }[] = [];
  const f = (async (url: string | URL | Request, i?: RequestInit) => {
    calls.push({ url: url instanceof Request ? url.url : url.toString(), signal: i?.signal });
    return new Response(body, init);
  }) as Fetch & { calls: typeof calls };
  f.calls = calls;
  return f;
}

/** A stream of `n` chunks of `size` bytes, made only as they are read (so a cap can stop it early). */
function chunks(n: number, size: number, first?: Buffer) {
  let sent = 0;
  const pulled = { count: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      pulled.count++;
      if (sent === n) return c.close();
      c.enqueue(sent === 0 && first ? Buffer.concat([first, Buffer.alloc(size - first.length)]) : new Uint8Array(size));
      sent++;
    },
  });
  return { stream, pulled };
}

/** A timer that fires only when told. */
function manualTimer() {
  let fire: (() => void) | null = null;
  let cancelled = false;
  const setTimer: SetTimer = (f) => {
    fire = f;
    return () => void (cancelled = true);
  };
  return { setTimer, fire: () => fire?.(), cancelled: () => cancelled };
}

/** The byte-capped download helper: ≤ 20 MiB, a time limit, and failures that say whether to retry. */
describe('download', () => {
  it('gives the bytes, what they are and the server-given file name, and cancels its timer', async () => {
    const f = fake(jpeg, { headers: { 'content-type': 'application/octet-stream', 'content-disposition': "attachment; filename*=UTF-8''%E8%B7%AF%E7%81%AF.jpg" } });
    const t = manualTimer();
    const r = await download({ fetch: f, url: URL_WITH_TOKEN, setTimer: t.setTimer, expect: 'image' });
    expect(r).toMatchObject({ ok: true, sniffed: { mime: 'image/jpeg', kind: 'image' }, contentType: 'application/octet-stream', filename: '路灯.jpg' });
    expect(r.ok && r.bytes.equals(jpeg)).toBe(true);
    expect(f.calls[0].signal).toBeInstanceOf(AbortSignal);
    expect(t.cancelled()).toBe(true);
  });

  it('refuses a Content-Length over 20 MiB without reading the body', async () => {
    const { stream, pulled } = chunks(100, 1024 * 1024);
    const r = await download({ fetch: fake(stream, { headers: { 'content-length': String(MAX_MEDIA_BYTES + 1) } }), url: URL_WITH_TOKEN });
    expect(r).toMatchObject({ ok: false, reason: 'too_large', retryable: false, zh: '文件超过 20MB，未保存' });
    expect(pulled.count).toBeLessThanOrEqual(1);
  });

  it('stops reading at 20 MiB whatever Content-Length says (a 21 MB body that claims 1 KB, or claims nothing)', async () => {
    for (const headers of [{ 'content-length': '1024' }, {}] as Record<string, string>[]) {
      const { stream, pulled } = chunks(21, 1024 * 1024, jpeg);
      const r = await download({ fetch: fake(stream, { headers }), url: URL_WITH_TOKEN, expect: 'image' });
      expect(r).toMatchObject({ ok: false, reason: 'too_large', retryable: false, zh: '文件超过 20MB，未保存' });
      expect(pulled.count).toBeLessThanOrEqual(22); // 20 MiB read, the 21st chunk overflows, no more pulled
    }
    const exact = chunks(20, 1024 * 1024, jpeg);
    expect(await download({ fetch: fake(exact.stream), url: URL_WITH_TOKEN })).toMatchObject({ ok: true, sniffed: { mime: 'image/jpeg' } });
  });

  it('gives up when the time limit passes before the answer, or in the middle of the body', async () => {
    const t1 = manualTimer();
    const hanging: Fetch = (_u, i) => new Promise((_, reject) => i?.signal?.addEventListener('abort', () => reject(i.signal!.reason as Error)));
    const p1 = download({ fetch: hanging, url: URL_WITH_TOKEN, setTimer: t1.setTimer, timeoutMs: 5000 });
    t1.fire();
    expect(await p1).toMatchObject({ ok: false, reason: 'timeout', retryable: true, zh: '下载超时，未能保存' });

    const t2 = manualTimer();
    const ignoresSignal: Fetch = () => new Promise(() => undefined); // never answers, never looks at the signal
    const p2 = download({ fetch: ignoresSignal, url: URL_WITH_TOKEN, setTimer: t2.setTimer });
    t2.fire();
    expect(await p2).toMatchObject({ ok: false, reason: 'timeout', retryable: true });

    const t3 = manualTimer();
    const slow = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(jpeg); // then nothing more
      },
    });
    const p3 = download({ fetch: fake(slow), url: URL_WITH_TOKEN, setTimer: t3.setTimer });
    await new Promise((r) => setImmediate(r));
    t3.fire();
    expect(await p3).toMatchObject({ ok: false, reason: 'timeout', retryable: true });
  });

  it('calls network errors and 5xx / 429 retryable, other 4xx not', async () => {
    const broken: Fetch = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await download({ fetch: broken, url: URL_WITH_TOKEN })).toMatchObject({ ok: false, reason: 'network', retryable: true, zh: '网络故障，未能下载' });
    for (const [status, retryable] of [[500, true], [502, true], [503, true], [429, true], [408, true], [404, false], [403, false], [400, false]] as const) {
      expect(await download({ fetch: fake('x', { status }), url: URL_WITH_TOKEN })).toMatchObject({ ok: false, reason: 'http_status', status, retryable });
    }
    const dropped = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(jpeg);
        c.error(new Error('socket hang up'));
      },
    });
    expect(await download({ fetch: fake(dropped), url: URL_WITH_TOKEN })).toMatchObject({ ok: false, reason: 'network', retryable: true });
  });

  it('refuses bytes that are not what the message says, and an empty body', async () => {
    const zip = Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1');
    expect(await download({ fetch: fake(zip), url: URL_WITH_TOKEN, expect: 'image' })).toMatchObject({ ok: false, reason: 'wrong_type', retryable: false, zh: '文件内容与消息类型不符，未保存' });
    expect(await download({ fetch: fake(''), url: URL_WITH_TOKEN, expect: 'image' })).toMatchObject({ ok: false, reason: 'empty', retryable: false });
    expect(await download({ fetch: fake(zip), url: URL_WITH_TOKEN, expect: 'file' })).toMatchObject({ ok: true, sniffed: { mime: 'application/zip' } });
  });

  it("lets the platform say it refused inside a 200 (WeCom's 40007 JSON instead of the file)", async () => {
    const body = JSON.stringify({ errcode: 40007, errmsg: 'invalid media_id' });
    const refuse = ({ contentType, bytes }: { contentType: string | null; bytes: Buffer }) => {
      if (!contentType?.includes('json')) return null;
      const e = JSON.parse(bytes.toString('utf8')) as { errcode?: number };
      return e.errcode ? failure('refused', `platform errcode ${e.errcode}`) : null;
    };
    const r = await download({ fetch: fake(body, { headers: { 'content-type': 'application/json; charset=utf-8' } }), url: URL_WITH_TOKEN, expect: 'image', refuse });
    expect(r).toMatchObject({ ok: false, reason: 'refused', retryable: false, detail: 'platform errcode 40007', zh: '平台拒绝下载（文件可能已过期），未保存' });
  });

  it('logs one English line per failure, without the URL, its token or the media id', async () => {
    const { log, lines } = memoryLogger();
    await download({ fetch: fake('x', { status: 404 }), url: URL_WITH_TOKEN, log });
    await download({ fetch: fake(jpeg), url: URL_WITH_TOKEN, log, maxBytes: 10 });
    const warn = lines().filter((l) => l.level === 40);
    expect(warn.map((l) => l.reason)).toEqual(['http_status', 'too_large']);
    const text = JSON.stringify(lines());
    expect(text).not.toMatch(/SECRET_TOKEN|MEDIA123|qyapi/);
    expect(text).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('says the cap it was given in its Chinese reason', async () => {
    expect(await download({ fetch: fake(Buffer.alloc(3 * 1024 * 1024)), url: URL_WITH_TOKEN, maxBytes: 2 * 1024 * 1024 })).toMatchObject({ reason: 'too_large', zh: '文件超过 2MB，未保存' });
  });
});
