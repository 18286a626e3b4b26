import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { Harness, startHarness, ADMIN } from '../helpers/harness';
import { mediaXml, seal, textXml } from '../helpers/wecom';

/** A receipt as the villager gets it: `text`, then their own 7-day link to the request's page. */
const withLink = (text: string, code: string) =>
  expect.stringMatching(new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n查看办理进度（7天内有效）：http\\S+/h5/requests/${code}\\?t=\\S+$`));

/**
 * What a villager sends on WeCom is kept (docs/interface.md#media): downloaded by the queue from
 * media/get, stored by sha256, typed from its bytes, listed on the request, served by /media/:id — and
 * each way it can go wrong (refused, too large, not what it claims, the platform down) ends in a
 * defined state with a Chinese reason, a log line and nothing else lost.
 */
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name));
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe.each(dialects())('media downloads over WeCom (%s)', (dialect) => {
  let h: Harness;
  const ts = () => Math.floor(h.clock.now().getTime() / 1000);
  const post = async (plain: string) => {
    const { query, body } = seal(plain, { timestamp: ts() });
    const res = await h.fetch(`/wecom/callback?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
    expect(res.status).toBe(200);
  };
  const say = (content: string, from = 'YuanZhiDi') => post(textXml({ from, content, createTime: ts() }));
  const send = (type: 'image' | 'voice' | 'file' | 'video', o: { mediaId?: string; fileName?: string; from?: string } = {}) =>
    post(mediaXml({ from: o.from ?? 'YuanZhiDi', type, mediaId: o.mediaId, fileName: o.fileName, createTime: ts() }));
  const only = async () => {
    const { requests } = await h.api('/requests');
    expect(requests).toHaveLength(1);
    return requests[0];
  };
  const media = (url: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN}` }) => fetch(url, { headers });
  const texts = (to: string) => h.wecom!.callsTo('/cgi-bin/message/send').filter((c) => c.body.touser === to && c.body.msgtype === 'text').map((c) => c.body.text.content as string);
  const mediaGets = () => h.wecom!.callsTo('/cgi-bin/media/get').length;
  const logsWith = (msg: string) => h.logs().filter((l) => l.msg === msg);

  beforeEach(async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'wecom' });
  });
  afterEach(async () => {
    await h.close();
  });
  afterAll(dropCreatedDatabases);

  it('downloads a photo, keeps it by sha256 with the type its bytes say, lists it on the request and serves it to the API token', async () => {
    const jpg = fixture('image.jpg');
    // WeCom says "octet-stream": the type comes from the bytes.
    h.wecom!.media.set('m-photo', { body: jpg, type: 'application/octet-stream' });
    await say('村口路灯坏了三天了');
    await send('image', { mediaId: 'm-photo' });
    await h.app.settle();

    const req = await only();
    expect(req.text).toBe('村口路灯坏了三天了');
    const [a] = req.attachments;
    expect(a).toEqual({ id: a.id, kind: 'image', status: 'stored', error: null, url: `http://localhost:0/media/${a.id}`, playUrl: null, sha256: sha(jpg), bytes: jpg.length, mime: 'image/jpeg', text: null });
    const kept = path.join(h.app.config.mediaDir, sha(jpg).slice(0, 2), sha(jpg).slice(2, 4), `${sha(jpg)}.bin`);
    expect(fs.readFileSync(kept).equals(jpg)).toBe(true);

    const res = await media(`${h.base}/media/${a.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="_+\d+\.jpg"/);
    expect(Buffer.from(await res.arrayBuffer()).equals(jpg)).toBe(true);
    expect(h.wecom!.callsTo('/cgi-bin/media/get')[0].query.media_id).toBe('m-photo');
    const stored = logsWith('media stored');
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored[0])).not.toMatch(/YuanZhiDi|袁志弟|m-photo/);
  });

  it('refuses the file to anyone without the token or a yes from the access hook, and says nothing personal in the log', async () => {
    h.wecom!.media.set('m-photo', { body: fixture('image.png') });
    await send('image', { mediaId: 'm-photo' });
    await h.app.settle();
    const [a] = (await only()).attachments;
    const bare = await media(`${h.base}/media/${a.id}`, {});
    expect(bare.status).toBe(403);
    expect(((await bare.json()) as { error: { message: string } }).error.message).toContain('无权查看');
    const wrong = await media(`${h.base}/media/${a.id}`, { authorization: 'Bearer wrong-token' });
    expect(wrong.status).toBe(401);
    await wrong.arrayBuffer();
    const refused = logsWith('media refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ attachmentId: a.id, reason: 'access refused' });
    expect(JSON.stringify(refused[0])).not.toMatch(/YuanZhiDi|袁志弟/);
    for (const bad of ['abc', '..%2F..%2Fetc%2Fpasswd', '99999', `${a.id}.jpg`]) {
      const res = await media(`${h.base}/media/${bad}`);
      expect(res.status).toBe(404);
      await res.arrayBuffer();
    }
  });

  it('marks an id the platform refuses (40007) failed at once, with the reason, an event and one log line', async () => {
    await say('路灯坏了');
    await send('image', { mediaId: 'expired' });
    await h.app.settle();
    const req = await only();
    expect(req.attachments[0]).toMatchObject({ status: 'failed', error: '平台拒绝下载（文件可能已过期），未保存', url: null, sha256: null });
    expect(mediaGets()).toBe(1);
    expect(req.events.at(-1)).toMatchObject({ type: 'attachment_failed', actor: 'system', data: { kind: 'image', error: '平台拒绝下载（文件可能已过期），未保存' } });
    expect(logsWith('media download failed for good; attachment marked failed')).toHaveLength(1);
    // Nothing else lost: the request, its text and its receipt are there.
    expect(req.text).toBe('路灯坏了');
    expect(texts('YuanZhiDi').at(-1)).toContain('已收到您发来的图片');
  });

  it('retries a platform that answers 5xx, with backoff, and keeps the file when it answers', async () => {
    h.wecom!.media.set('m-photo', { body: fixture('image.gif') });
    h.wecom!.script('/cgi-bin/media/get', { status: 502 }, 2);
    await send('image', { mediaId: 'm-photo' });
    await h.app.settle();
    expect((await only()).attachments[0]).toMatchObject({ status: 'pending', error: null });
    h.clock.advance(10_000);
    await h.app.settle();
    expect((await only()).attachments[0]).toMatchObject({ status: 'pending' });
    h.clock.advance(60_000);
    await h.app.settle();
    expect((await only()).attachments[0]).toMatchObject({ status: 'stored', mime: 'image/gif', error: null });
    expect(mediaGets()).toBe(3);
  });

  it('gives up on a download that keeps timing out, after five attempts, and says so', async () => {
    await h.close();
    // The time limit fires as soon as the download has started: the fake never answers.
    h = await startHarness({
      databaseUrl: await freshDatabaseUrl(dialect),
      platform: 'wecom',
      overrides: { media: { setTimer: (fire) => { const t = setTimeout(fire, 20); return () => clearTimeout(t); } } },
    });
    h.wecom!.script('/cgi-bin/media/get', { hang: true }, 5);
    await send('video', { mediaId: 'm-slow' });
    await h.app.settle();
    for (const wait of [10_000, 60_000, 300_000, 1_800_000]) {
      expect((await only()).attachments[0].status).toBe('pending');
      h.clock.advance(wait);
      await h.app.settle();
    }
    const [a] = (await only()).attachments;
    expect(a).toMatchObject({ status: 'failed', error: '下载超时，未能保存' });
    expect(mediaGets()).toBe(5);
    expect(logsWith('media download failed; will retry')).toHaveLength(4);
  });

  it('refuses a file over 20 MiB without keeping any of it, whether or not it says its size', async () => {
    const big = Buffer.concat([fixture('image.jpg'), Buffer.alloc(21 * 1024 * 1024)]);
    h.wecom!.media.set('m-big', { body: big, type: 'image/jpeg' });
    h.wecom!.media.set('m-big-chunked', { body: big, type: 'image/jpeg', chunked: true });
    await send('image', { mediaId: 'm-big' });
    await send('image', { mediaId: 'm-big-chunked' });
    await h.app.settle();
    const { attachments } = await only();
    expect(attachments.map((a: any) => [a.status, a.error])).toEqual([
      ['failed', '文件超过 20MB，未保存'],
      ['failed', '文件超过 20MB，未保存'],
    ]);
    expect(mediaGets()).toBe(2);
    expect(fs.existsSync(path.join(h.app.config.mediaDir, sha(big).slice(0, 2)))).toBe(false);
  });

  it('refuses bytes that are not what the message claims (an "image" that is a ZIP, a "file" that is a program)', async () => {
    h.wecom!.media.set('m-zip', { body: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]), type: 'image/jpeg' });
    h.wecom!.media.set('m-exe', { body: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]) });
    await send('image', { mediaId: 'm-zip' });
    await send('file', { mediaId: 'm-exe', fileName: '照片.jpg' });
    await h.app.settle();
    const { attachments } = await only();
    expect(attachments.map((a: any) => [a.kind, a.status, a.error])).toEqual([
      ['image', 'failed', '文件内容与消息类型不符，未保存'],
      ['file', 'failed', '不能保存可执行程序文件'],
    ]);
  });

  it('offers a file with a path-like name under a safe one, and keeps it only under its hash', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% a small document\n');
    h.wecom!.media.set('m-doc', { body: pdf, type: 'application/pdf' });
    await send('file', { mediaId: 'm-doc', fileName: '../../../etc/passwd' });
    await h.app.settle();
    const [a] = (await only()).attachments;
    expect(a).toMatchObject({ status: 'stored', mime: 'application/pdf' });
    const res = await media(`${h.base}/media/${a.id}`);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="passwd.pdf"; filename*=UTF-8''passwd.pdf`);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
    expect(fs.existsSync(path.join(h.app.config.mediaDir, '..', '..', '..', 'etc', 'passwd.pdf'))).toBe(false);
    const files = fs.readdirSync(h.app.config.mediaDir, { recursive: true }).map(String).filter((f) => f.endsWith('.bin'));
    expect(files).toEqual([path.join(sha(pdf).slice(0, 2), sha(pdf).slice(2, 4), `${sha(pdf)}.bin`)]);
  });

  it('keeps WeCom voice (AMR) and an MP3 of it that a browser plays', async () => {
    const amr = fixture('voice.amr');
    h.wecom!.media.set('m-voice', { body: amr, type: 'voice/amr' });
    await send('voice', { mediaId: 'm-voice' });
    await h.app.settle();
    const req = await only();
    expect(req.text).toBe('（群众发来语音）');
    const [a] = req.attachments;
    expect(a).toMatchObject({ kind: 'voice', status: 'stored', mime: 'audio/amr', sha256: sha(amr), playUrl: `http://localhost:0/media/${a.id}/play`, text: null });
    const mp3 = await media(`${h.base}/media/${a.id}/play`);
    expect(mp3.status).toBe(200);
    expect(mp3.headers.get('content-type')).toBe('audio/mpeg');
    const bytes = Buffer.from(await mp3.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes[0] === 0xff || bytes.subarray(0, 3).toString() === 'ID3').toBe(true);
  });

  it('turns a photo with no open request into a new request whose receipt names it', async () => {
    h.wecom!.media.set('m-photo', { body: fixture('image.webp') });
    await send('image', { mediaId: 'm-photo' });
    await h.app.settle();
    const req = await only();
    expect(req).toMatchObject({ text: '（群众发来图片）', status: 'pending', category: null });
    expect(texts('YuanZhiDi')).toEqual([withLink(`已收到您发来的图片，已登记为新问题，编号 ${req.code}。我们会尽快安排工作人员受理，也可以再发文字说明情况。`, req.code)]);
    expect(req.attachments[0]).toMatchObject({ status: 'stored', mime: 'image/webp' });
  });

  it('tells the cadres holding the new card — and once taken, the owner — that a photo joined, with the code and the link', async () => {
    h.wecom!.media.set('m-photo', { body: fixture('image.jpg') });
    await say('村口路灯坏了三天了');
    await h.app.settle();
    const req = await only();
    await send('image', { mediaId: 'm-photo' });
    await h.app.settle();
    const link = `http://localhost:0/h5/requests/${req.code}`;
    for (const cadre of ['LiSi', 'LuoXianYun']) expect(texts(cadre)).toEqual([`待受理事项 ${req.code} 收到群众补充的图片，请查看：${link}`]);

    const card = h.wecom!.callsTo('/cgi-bin/message/send').find((c) => c.body.msgtype === 'template_card')!.body.template_card;
    const { cardEventXml } = await import('../helpers/wecom');
    await post(cardEventXml({ from: 'LiSi', taskId: card.task_id, key: 'accept', responseCode: h.wecom!.issueCode(), createTime: ts() }));
    await h.app.settle();
    // A burst of photos is one announcement; after a quiet spell the next is announced again.
    h.clock.advance(10 * 60_000);
    await send('image', { mediaId: 'm-photo' });
    await send('image', { mediaId: 'm-photo' });
    await h.app.settle();
    expect(texts('LiSi').filter((t) => t.startsWith('群众为事项'))).toEqual([`群众为事项 ${req.code} 补充了图片，请查看：${link}`]);
    expect(texts('LuoXianYun')).toHaveLength(1);
  });

  it('downloads what a 微信客服 customer sends through the same media/get', async () => {
    const png = fixture('image.png');
    h.wecom!.media.set('kf-media-1', { body: png, type: 'image/png' });
    const kf = 'wkMinqingKf0000001';
    const msg = (msgid: string, extra: Record<string, unknown>) => ({ msgid, open_kfid: kf, external_userid: 'wmCustomer01', send_time: ts(), origin: 3, ...extra });
    h.wecom!.kfMessages.set(kf, [msg('kf1', { msgtype: 'text', text: { content: '关沟村村口的桥裂了' } }), msg('kf2', { msgtype: 'image', image: { media_id: 'kf-media-1' } })]);
    const { kfEventXml } = await import('../helpers/wecom');
    await post(kfEventXml({ token: 'sync-1', openKfId: kf, createTime: ts() }));
    await h.app.settle();
    const req = await only();
    expect(req).toMatchObject({ channel: 'kf', text: '关沟村村口的桥裂了' });
    expect(req.attachments[0]).toMatchObject({ kind: 'image', status: 'stored', sha256: sha(png), mime: 'image/png' });
    expect(h.wecom!.callsTo('/cgi-bin/media/get').map((c) => c.query.media_id)).toEqual(['kf-media-1']);
  });

  it('keeps at most 30 files a villager sends in a day: the rest are refused politely, once, and not downloaded', async () => {
    h.wecom!.media.set('m-photo', { body: fixture('image.png') });
    await say('村里的河堤垮了');
    for (let i = 0; i < 32; i++) await send('image', { mediaId: 'm-photo' });
    await h.app.settle();
    const { attachments } = await only();
    expect(attachments).toHaveLength(32);
    expect(attachments.filter((a: any) => a.status === 'stored')).toHaveLength(30);
    expect(attachments.slice(30).map((a: any) => [a.status, a.error])).toEqual([
      ['failed', '超过每人每天 30 个文件的上限，未保存'],
      ['failed', '超过每人每天 30 个文件的上限，未保存'],
    ]);
    expect(mediaGets()).toBe(30);
    // WeCom paces messages to one member (30 a minute): what is said to the villager is read from the outbox.
    const said = await h.app.db.query<{ payload: string }>("SELECT payload FROM outbox_message WHERE recipient = 'YuanZhiDi' ORDER BY id");
    const cap = said.map((r) => JSON.parse(r.payload).text as string).filter((t) => t.includes('已达到每天的上限'));
    expect(cap).toEqual(['您今天已发来 30 个图片、语音或文件，已达到每天的上限，之后发来的今天不再保存。有急事请直接用文字说明，或电话联系村干部。']);
    expect(h.logs().filter((l) => l.msg === 'file refused: over the daily cap of its villager; not downloaded')).toHaveLength(2);
    // Another villager is not held back, and the next day the cap starts again.
    await send('image', { mediaId: 'm-photo', from: 'MaGuiLan' });
    h.clock.advance(24 * 3600_000);
    await send('image', { mediaId: 'm-photo' });
    await h.app.settle();
    expect(mediaGets()).toBe(32);
  });
});
