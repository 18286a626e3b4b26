import fs from 'node:fs';
import path from 'node:path';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { DingtalkHarness, robotMedia, robotText, startDingtalk, TOPIC_ROBOT } from '../helpers/dingtalk';

/** A receipt as the villager gets it: `text`, then their own 7-day link to the request's page. */
const withLink = (text: string, code: string) =>
  expect.stringMatching(new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n查看办理进度（7天内有效）：http\\S+/h5/requests/${code}\\?t=\\S+$`));

/**
 * DingTalk's voice as text (docs/interface.md#media): the robot message's `recognition` is the
 * request's 事由 — category guessed, duplicates looked for, the receipt saying what was heard — and the
 * audio is downloaded through messageFiles/download → downloadUrl and kept beside it.
 */
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'media', 'fixtures', name));

describe.each(dialects())('DingTalk voice and files (%s)', (dialect) => {
  let t: DingtalkHarness;
  const now = () => t.h.clock.now().getTime();
  const push = async (m: Record<string, unknown>) => {
    expect((await t.fake.push(TOPIC_ROBOT, m)).code).toBe(200);
    await t.h.app.settle();
  };
  const textsTo = (id: string) =>
    t.fake
      .callsTo('/v1.0/robot/oToMessages/batchSend')
      .filter((c) => c.body.msgKey === 'sampleText' && c.body.userIds.includes(id))
      .map((c) => JSON.parse(c.body.msgParam).content as string);

  beforeEach(async () => {
    t = await startDingtalk({ databaseUrl: await freshDatabaseUrl(dialect) });
  });
  afterEach(async () => {
    await t.close();
  });
  afterAll(dropCreatedDatabases);

  it('makes a voice-only message a request that reads like the words typed, with the audio kept', async () => {
    const amr = fixture('voice.amr');
    t.fake.files.set('dl-voice-1', amr);
    await push(robotMedia({ from: '1001', type: 'audio', downloadCode: 'dl-voice-1', recognition: '村口的路灯坏了三天了，请派人来修一下', createAt: now() }));
    const [req] = (await t.h.api('/requests')).requests;
    expect(req).toMatchObject({ text: '村口的路灯坏了三天了，请派人来修一下', category: 5, status: 'pending', village: 'guangou' });
    expect(req.attachments).toEqual([
      expect.objectContaining({ kind: 'voice', status: 'stored', mime: 'audio/amr', bytes: amr.length, text: '村口的路灯坏了三天了，请派人来修一下', playUrl: expect.stringMatching(/\/play$/) }),
    ]);
    expect(textsTo('1001')).toEqual([withLink(`已收到您的语音，内容记为：“村口的路灯坏了三天了，请派人来修一下”。编号 ${req.code}。我们会尽快安排工作人员受理，受理后会告诉您负责人和办结时限。`, req.code)]);
    const dl = t.fake.callsTo('/v1.0/robot/messageFiles/download');
    expect(dl.map((c) => c.body)).toEqual([{ downloadCode: 'dl-voice-1', robotCode: 'dingrobotminqing' }]);
    const card = t.fake.callsTo('/v1.0/card/instances/createAndDeliver')[0].body.cardData.cardParamMap;
    expect(card.quote).toBe('村口的路灯坏了三天了，请派人来修一下');
  });

  it('names a recognised voice that repeats an open request of the village as a likely duplicate', async () => {
    await push(robotText({ from: '1002', content: '白垭村三组停水两天了', createAt: now() }));
    t.h.clock.advance(3600_000);
    t.fake.files.set('dl-voice-2', fixture('voice.amr'));
    // Another villager of 白垭村 (王秀英's neighbour, new to the township, says which village first).
    await push(robotText({ from: '2002', content: '你好', createAt: now() }));
    await push(robotText({ from: '2002', content: '白垭村', createAt: now() }));
    t.h.clock.advance(3600_000);
    await push(robotMedia({ from: '2002', type: 'audio', downloadCode: 'dl-voice-2', recognition: '三组这边自来水停了两天', contentAsString: true, createAt: now() }));
    const { requests } = await t.h.api('/requests');
    const first = requests.find((r: any) => r.text === '白垭村三组停水两天了');
    const voiced = requests.find((r: any) => r.text === '三组这边自来水停了两天');
    expect(voiced.events.find((e: any) => e.type === 'likely_duplicate').data).toMatchObject({ of: first.code });
    const cards = t.fake.callsTo('/v1.0/card/instances/createAndDeliver').map((c) => c.body.cardData.cardParamMap);
    const card = cards.find((c) => c.quote === '三组这边自来水停了两天')!;
    expect(card.fields_md).toContain(`**疑似重复**：${first.code}`);
    expect([card.btn1_text, card.btn2_text, card.btn3_text, card.btn3_key]).toEqual(['受理', '转办', '合并', 'merge_dup']);
  });

  it('treats a voice DingTalk could not recognise as media, and a download code DingTalk refuses as failed with the reason', async () => {
    await push(robotMedia({ from: '1001', type: 'audio', downloadCode: 'dl-unknown', recognition: null, createAt: now() }));
    const [req] = (await t.h.api('/requests')).requests;
    expect(req.text).toBe('（群众发来语音）');
    expect(req.attachments[0]).toMatchObject({ kind: 'voice', status: 'failed', error: '平台拒绝下载（文件可能已过期），未保存', text: null });
    expect(t.fake.callsTo('/v1.0/robot/messageFiles/download')).toHaveLength(1);
  });

  it('downloads a picture through the temporary link, typed by its bytes', async () => {
    t.fake.files.set('dl-pic', fixture('image.png'));
    await push(robotText({ from: '1001', content: '河堤垮了一段', createAt: now() }));
    await push(robotMedia({ from: '1001', type: 'picture', downloadCode: 'dl-pic', createAt: now() }));
    const [req] = (await t.h.api('/requests')).requests;
    expect(req.attachments[0]).toMatchObject({ kind: 'image', status: 'stored', mime: 'image/png' });
    expect(t.fake.callsTo('/files/dl-pic')).toHaveLength(1);
  });
});
