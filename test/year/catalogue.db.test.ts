import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from '../lifecycle/sandbox';

/**
 * The 农事村办 catalogue at work (docs/interface.md#year): the new request's card preselects the
 * matter's 时限, taking it without a choice gives that 时限, and 一次性告知 drafts its materials —
 * with the org file's change (org.example.json rewrites 农村低保's 办理地点).
 */
describe.each(dialects())('农事村办 catalogue (%s)', (dialect) => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox(dialect); // Thu 2026-11-26 10:00
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  it('preselects the matter\'s 时限 and applies it when the cadre takes it without choosing', async () => {
    const req = await sb.report(await sb.villager('袁志弟'), '我想申请低保，家里老人常年生病');
    const card = await sb.card('li', req.code, '新的群众诉求');
    expect(card.select).toMatchObject({ key: 'tier', selected: 'beyond:20' });
    expect(card.select?.options.find((o) => o.id === 'beyond:20')?.text).toBe('需上级审批·承诺20个工作日（农村低保）');
    await sb.tap('li', card, '受理');
    expect(await sb.req(req.id)).toMatchObject({ tier: 'beyond', deadline: '2026-12-24T17:30:00+08:00' });
  });

  it('a choice on the card still wins, and a text of no matter keeps 一般事项', async () => {
    const a = await sb.report(await sb.villager('袁志弟'), '要办医保报销');
    await sb.accept('li', a.code, 'general');
    expect(await sb.req(a.id)).toMatchObject({ tier: 'general', deadline: '2026-11-27T17:30:00+08:00' });
    const b = await sb.report(await sb.villager('王秀英'), '村口路灯坏了');
    expect((await sb.card('liuming', b.code)).select?.selected).toBeUndefined();
    await sb.send('liuming', `受理 ${b.code}`);
    expect((await sb.req(b.id)).tier).toBe('general');
  });

  it('一次性告知 drafts the matter\'s materials, place and 时限, as the township changed them', async () => {
    const req = await sb.report(await sb.villager('袁志弟'), '我想申请低保');
    await sb.accept('li', req.code);
    const draft = await sb.during('li', () => sb.send('li', `告知 ${req.code}`));
    expect(draft).toHaveLength(1);
    expect(draft[0]).toContain('办理事项：农村低保\n请携带：申请书、户口本、家庭成员身份证');
    expect(draft[0]).toContain('办理地点：村委会受理、入户调查并民主评议公示，县河镇民政办审核，县民政局审批。');
    expect(draft[0]).toContain('办理时限：材料齐全后需上级审批，承诺20个工作日内办结。');
    // Text of no matter: the category's draft, as before.
    const other = await sb.report(await sb.villager('王秀英'), '村口路灯坏了');
    await sb.accept('liuming', other.code);
    expect((await sb.during('liuming', () => sb.send('liuming', `告知 ${other.code}`)))[0]).toContain('办理地点：村便民服务室');
  });
});
