import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from './sandbox';

/**
 * 合并 needs authority over both requests (docs/interface.md#rights): a village cadre cannot merge
 * his own request into another village's (it would drop off his list and his village's overdue
 * figures); a township leader, responsible for both, can.
 */
describe.each(dialects())('rights: 合并 needs authority over both requests (%s)', (dialect) => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  it('李四 cannot merge his request into 白垭村\'s; 王建国 can; nothing changes on the refusal', async () => {
    const mine = await sb.report(await sb.villager('袁志弟'), '村口的桥栏杆断了');
    await sb.accept('li', mine.code);
    const theirs = await sb.report(await sb.villager('王秀英'), '桥栏杆断了，很危险');
    const before = [await sb.req(mine.id), await sb.req(theirs.id)];

    const said = await sb.during('li', () => sb.send('li', `合并 ${mine.code} ${theirs.code}`));
    expect(said).toEqual([`抱歉，您不是事项 ${theirs.code} 的经办人，不能并入该事项。`]);
    expect([await sb.req(mine.id), await sb.req(theirs.id)]).toEqual(before);

    // The other way round, 刘明 (白垭村) cannot take 李四's either.
    await sb.accept('liuming', theirs.code);
    const back = await sb.during('liuming', () => sb.send('liuming', `合并 ${theirs.code} ${mine.code}`));
    expect(back).toEqual([`抱歉，您不是事项 ${mine.code} 的经办人，不能并入该事项。`]);

    expect(await sb.during('wang', () => sb.send('wang', `合并 ${mine.code} ${theirs.code}`))).toEqual([`事项 ${mine.code} 已并入 ${theirs.code}，一并办理。`]);
    expect((await sb.events(mine.id)).at(-1)).toMatchObject({ type: 'merged', actor: 'person:wang', data: { into: theirs.code } });
  });
});
