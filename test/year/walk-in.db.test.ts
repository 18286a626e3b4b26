import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCommand } from '../../src/domain/commands';
import { ADMIN } from '../helpers/harness';
import { dialects, dropCreatedDatabases } from '../helpers/db';
import { json } from '../helpers/json';
import { Sandbox, startSandbox } from '../lifecycle/sandbox';

/**
 * 补录 with the caller's phone and 单位 (CONTRACT §13), linked to a listed villager by phone or by name in
 * the village so the receipt and the result reach them in chat; complaints get a same-day answer
 * prompt and a reminder before 17:30 (当日回复, docs/interface.md#year).
 */
describe.each(dialects())('补录 with phone and 单位, linked villagers, 当日回复 (%s)', (dialect) => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox(dialect); // Thu 2026-11-26 10:00
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  const create = async (body: Record<string, unknown>) => {
    const res = await sb.h.fetch('/api/v1/requests', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ village: 'guangou', channel: 'phone', receivedAt: '2026-11-26T09:30:00+08:00', takenBy: 'luo', ...body }),
    });
    const out = await json(res);
    await sb.h.app.settle();
    return { status: res.status, body: out };
  };

  it('keeps the caller\'s phone and 单位, on the request and in the ledger', async () => {
    const { status, body } = await create({ text: '变压器有异响', reporterName: '王大爷', reporterPhone: '13800000000', reporterOrg: '县供电所' });
    expect(status).toBe(201);
    expect(body).toMatchObject({ reporterName: '王大爷', reporterPhone: '13800000000', reporterOrg: '县供电所', channel: 'phone' });
    const csv = await (await sb.h.fetch('/api/v1/ledger.csv', { headers: { authorization: `Bearer ${ADMIN}` } })).text();
    expect(csv).toContain(',王大爷（县供电所，13800000000）,变压器有异响,');
    const bad = await create({ text: 'x', reporterPhone: '打电话' });
    expect(bad).toEqual({ status: 400, body: { error: { code: 'bad_request', message: '请求有误：reporterPhone: 不是电话号码' } } });
    // The text command takes them too.
    expect(parseCommand('补录 王大爷（县供电所） 138-0000-0000 变压器有异响')).toEqual({ name: 'walk_in', reporter: '王大爷', org: '县供电所', phone: '13800000000', text: '变压器有异响' });
    expect(parseCommand('补录 王大爷 路灯坏了')).toEqual({ name: 'walk_in', reporter: '王大爷', text: '路灯坏了' });
    await sb.send('luo', '补录 李婶/县水务站 13900000000 水管爆了');
    const all = (await sb.h.api('/requests')).requests;
    expect(all[0]).toMatchObject({ reporterName: '李婶', reporterOrg: '县水务站', reporterPhone: '13900000000', text: '水管爆了', channel: 'visit' });
  });

  it('a listed villager named at the desk gets the receipt and the result in chat, and rates it there', async () => {
    const v = await sb.villager('袁志弟');
    const told = await sb.during(v, () => create({ text: '危房补助什么时候到', reporterName: '袁志弟', channel: 'visit' }));
    const { body } = await create({ text: '想问问医保怎么交', reporterName: '不在册的人' });
    expect(body.reporterName).toBe('不在册的人');
    const all = (await sb.h.api('/requests')).requests;
    const mine = all.find((r: any) => r.text === '危房补助什么时候到');
    expect(told).toEqual([`您反映的问题（编号 ${mine.code}）已由罗先运受理，负责到底。承诺办结时限：11月27日 17:30。`]);
    expect(mine.events[0].data.villager).toBeDefined();
    await sb.send('luo', `办结 ${mine.code} 补助已拨付到一卡通`);
    const card = await sb.card(v, mine.code, '您反映的问题已办结');
    await sb.tap(v, card, '满意');
    expect(await sb.req(mine.id)).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
    // 查询 shows it as theirs.
    expect((await sb.during(v, () => sb.send(v, '查询')))[0]).toContain(mine.code);
  });

  it('links by the phone number when the name differs', async () => {
    const org = JSON.parse(fs.readFileSync('org.example.json', 'utf8'));
    org.villagers.find((x: any) => x.name === '马桂兰').phone = '13912345678';
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mq-org-')), 'org.json');
    fs.writeFileSync(file, JSON.stringify(org));
    await sb.h.app.importOrg(file);
    const v = await sb.villager('马桂兰');
    const told = await sb.during(v, () => create({ text: '低保年审要带什么', reporterName: '马大娘', reporterPhone: '139-1234-5678' }));
    expect(told).toEqual([expect.stringContaining('已由罗先运受理')]);
  });

  it('a complaint is to be answered the same day: the owner is asked, and reminded before 17:30 unless answered', async () => {
    const asked = await sb.during('luo', () => create({ text: '投诉村里修路占了我家地', reporterName: '张大山', tier: 'complaint' }));
    const { body: a } = { body: (await sb.h.api('/requests')).requests[0] };
    expect(asked).toContain(`事项 ${a.code} 是信访投诉件：能解决的请当场解决，并在 11月26日 17:30 前答复群众（发送“告知 ${a.code} 内容”或“办结 ${a.code} 结果”）；一时解决不了的也请先答复，说明办理时限。`);
    await create({ text: '投诉垃圾站臭气', reporterName: '李大姐', tier: 'complaint_special' });
    const b = (await sb.h.api('/requests')).requests[0];
    await sb.send('luo', `告知 ${b.code} 已联系环卫站，明天清理并消毒`);

    const watch = async (at: string) => {
      sb.h.clock.set(at);
      await sb.h.app.runJob('deadline-watch', { at: new Date(at) });
      await sb.h.app.settle();
    };
    expect(await sb.during('luo', () => watch('2026-11-26T16:00:00+08:00'))).toEqual([]);
    expect(await sb.during('luo', () => watch('2026-11-26T16:30:00+08:00'))).toEqual([`⏰ 信访投诉 ${a.code}（关沟村：投诉村里修路占了我家地）今天还没有答复群众，请在 11月26日 17:30 前答复（告知 编号 内容）。`]);
    expect(await sb.during('luo', () => watch('2026-11-26T17:00:00+08:00'))).toEqual([]);
  });
});
