import { WecomApi } from '../../bot/wecom/api';
import { fetchWecomMedia } from '../../bot/wecom/media';
import { memoryLogger } from '../../src/log';
import { FakeWecom } from '../helpers/fake-wecom';

/**
 * media/get as the download queue asks it (docs/interface.md#media): the file in a 200, or WeCom's
 * errcode JSON in a 200 — also when labelled text/plain — which is a refusal, never a file.
 */
describe('WeCom media/get', () => {
  let fake: FakeWecom;
  let api: WecomApi;
  const ref = (mediaId: string) => ({ mediaId, kind: 'image' as const, channel: 'app' as const });
  const get = (mediaId: string) => fetchWecomMedia(api, ref(mediaId), new AbortController().signal);

  beforeEach(async () => {
    fake = await new FakeWecom().start();
    api = new WecomApi({ base: fake.base, corpId: 'wwminqingtest0001', secret: 's3cret', log: memoryLogger().log });
  });
  afterEach(() => fake.stop());

  it('hands the file over as it came, token in the query', async () => {
    fake.media.set('m1', { body: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), type: 'image/jpeg' });
    const a = await get('m1');
    expect(a.ok).toBe(true);
    if (a.ok) expect(Buffer.from(await a.response.arrayBuffer())).toEqual(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    expect(fake.callsTo('/cgi-bin/media/get')[0].query).toEqual({ access_token: 'tok1', media_id: 'm1' });
  });

  it('takes errcode 40007 for a final refusal, JSON or text/plain alike', async () => {
    expect(await get('nope')).toEqual({ ok: false, retryable: false, reason: 'refused', detail: 'media/get errcode 40007: invalid media_id' });
    fake.media.set('m2', { body: Buffer.from('{"errcode":40007,"errmsg":"invalid media_id"}'), type: 'text/plain' });
    expect(await get('m2')).toMatchObject({ ok: false, retryable: false, reason: 'refused' });
  });

  it('refreshes a refused token once, retries busy answers later, and calls 830002 too large', async () => {
    fake.media.set('m1', { body: Buffer.from('GIF89a......'), type: 'image/gif' });
    await get('m1');
    fake.expireTokens();
    const again = await get('m1');
    expect(again.ok).toBe(true);
    expect(fake.tokenFetches).toBe(2);
    fake.script('/cgi-bin/media/get', { json: { errcode: -1, errmsg: 'system busy' } });
    expect(await get('m1')).toMatchObject({ ok: false, retryable: true, reason: 'refused' });
    fake.script('/cgi-bin/media/get', { json: { errcode: 830002, errmsg: 'file size exceed, use range download' } });
    expect(await get('m1')).toMatchObject({ ok: false, retryable: false, reason: 'too_large' });
  });

  it('passes a real text file through whole, even one larger than what is read to look for an errcode', async () => {
    const text = Buffer.from('村口路灯坏了。\n'.repeat(20_000));
    fake.media.set('m3', { body: text, type: 'text/plain', chunked: true });
    const a = await get('m3');
    expect(a.ok).toBe(true);
    if (a.ok) expect(Buffer.from(await a.response.arrayBuffer()).equals(text)).toBe(true);
  });

  it('leaves an HTTP error for the download to judge by its status', async () => {
    fake.script('/cgi-bin/media/get', { status: 503 });
    const a = await get('m1');
    expect(a.ok && a.response.status).toBe(503);
  });
});
