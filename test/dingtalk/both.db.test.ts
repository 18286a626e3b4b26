import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { dingtalkEnv, robotText, signedHeaders } from '../helpers/dingtalk';
import { FakeDingtalk } from '../helpers/fake-dingtalk';
import { Harness, startHarness } from '../helpers/harness';
import { seal, textXml } from '../helpers/wecom';

/** WeCom and DingTalk on together: a person listed on both is reached where they last wrote from. */
describe.each(dialects())('WeCom and DingTalk together (%s)', (dialect) => {
  let h: Harness;
  let fake: FakeDingtalk;
  const ts = () => h.clock.now().getTime();

  beforeEach(async () => {
    fake = await new FakeDingtalk().start();
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'wecom', env: dingtalkEnv(fake, { mode: 'http' }) });
  });
  afterEach(async () => {
    await h.close();
    await fake.stop();
  });
  afterAll(dropCreatedDatabases);

  const villagerOnWecom = async (content: string) => {
    const { query, body } = seal(textXml({ from: 'YuanZhiDi', content, createTime: Math.floor(ts() / 1000) }), { timestamp: Math.floor(ts() / 1000) });
    expect((await h.fetch(`/wecom/callback?${query}`, { method: 'POST', body })).status).toBe(200);
    await h.app.settle();
  };

  it('sends 李四\'s next card on DingTalk once he has written there, and 罗先运\'s still on WeCom', async () => {
    await villagerOnWecom('村口路灯坏了');
    const wecomCards = () => h.wecom!.callsTo('/cgi-bin/message/send').filter((c) => c.body.msgtype === 'template_card');
    expect(wecomCards().map((c) => c.body.touser)).toEqual(['LiSi|LuoXianYun']);

    const res = await h.fetch('/dingtalk/robot', { method: 'POST', headers: signedHeaders(ts()), body: JSON.stringify(robotText({ from: '0451', content: '你好', createAt: ts() })) });
    expect(res.status).toBe(200);
    await h.app.settle();

    h.clock.advance(10 * 60_000);
    await villagerOnWecom('自来水也停了');
    expect(wecomCards().map((c) => c.body.touser)).toEqual(['LiSi|LuoXianYun', 'LuoXianYun']);
    const dt = fake.callsTo('/v1.0/card/instances/createAndDeliver');
    expect(dt.map((c) => c.body.openSpaceId)).toEqual(['dtv1.card//IM_ROBOT.0451']);
  });
});
