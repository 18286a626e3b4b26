import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { cardTap, DingtalkHarness, robotText, signedFor, startDingtalk } from '../helpers/dingtalk';

/**
 * A DingTalk group chat shows the villager's feedback card (满意 / 不满意) to every member of the
 * group. Only the villager who reported it may answer it: the owner sitting in the same group, or
 * another villager there, is refused, and 满意率 stays the villagers' own word.
 */
describe.each(dialects())('DingTalk: a group\'s feedback card (%s)', (dialect) => {
  let t: DingtalkHarness;
  const now = () => t.h.clock.now().getTime();
  const post = async (path: string, body: unknown) => {
    const res = await t.h.fetch(path, { method: 'POST', headers: signedFor(path, now()), body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    await t.h.app.settle();
  };
  const cards = () => t.fake.callsTo('/v1.0/card/instances/createAndDeliver').map((c) => c.body);

  beforeEach(async () => {
    t = await startDingtalk({ databaseUrl: await freshDatabaseUrl(dialect), mode: 'http' });
  });
  afterEach(() => t.close());
  afterAll(dropCreatedDatabases);

  it('is answered only by the reporter, not by the owner or another member of the group', async () => {
    const group = 'cidGroupGuanGou==';
    await post('/dingtalk/robot', robotText({ from: '1001', content: '桥面塌了一块', group, createAt: now() }));
    const [r] = (await t.h.api('/requests')).requests;
    await post('/dingtalk/card', cardTap({ from: '0451', taskId: cards()[0].outTrackId, action: 'accept' }));
    await post('/dingtalk/robot', robotText({ from: '0451', content: `办结 ${r.code} 已修补桥面`, createAt: now() }));
    const feedback = cards().at(-1)!;
    expect(feedback.openSpaceId).toContain(`IM_GROUP.${group}`);
    expect((await t.h.api(`/requests/${r.id}`)).status).toBe('resolved');

    // 李四 (the owner) and 王秀英 (another villager) are in the group and see the card.
    for (const who of ['0451', '1002']) {
      await post('/dingtalk/card', cardTap({ from: who, taskId: feedback.outTrackId, action: 'satisfied' }));
      expect(await t.h.api(`/requests/${r.id}`)).toMatchObject({ status: 'resolved', satisfaction: null });
    }
    expect((await t.h.api(`/requests/${r.id}`)).events.filter((e: any) => e.type === 'rated')).toEqual([]);

    await post('/dingtalk/card', cardTap({ from: '1001', taskId: feedback.outTrackId, action: 'satisfied' }));
    expect(await t.h.api(`/requests/${r.id}`)).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
  });
});
