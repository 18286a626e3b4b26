import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/main';
import { Db } from '../../src/db/db';
import { openDatabase } from '../../src/db/data-source';
import { ADMIN } from '../helpers/harness';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { json } from '../helpers/json';
import { Sandbox, startSandbox } from '../lifecycle/sandbox';

/**
 * 交接 when a person leaves (docs/interface.md#year, CONTRACT §13): an import that deactivates someone
 * who still owns open requests lists them; their village secretary (a township leader when the one
 * leaving is the secretary) gets a 交接 card and chooses who takes each over; the timeline keeps the old
 * owner's events and records the handover naming both; the diary is archived and exportable.
 */
const EXAMPLE = JSON.parse(fs.readFileSync('org.example.json', 'utf8'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-handover-'));

/** The example org file without `who` (and with `change` applied), written to a file. */
function orgWithout(who: string, change: (org: any) => void = () => {}): string {
  const org = JSON.parse(JSON.stringify(EXAMPLE));
  org.people = org.people.filter((p: any) => p.id !== who);
  for (const v of org.villages) {
    v.cadres = v.cadres.filter((c: string) => c !== who);
    for (const d of Object.keys(v.duty)) v.duty[d] = v.duty[d].map((c: string) => (c === who ? v.cadres[0] : c));
  }
  change(org);
  const file = path.join(dir, `org-without-${who}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(org));
  return file;
}

describe.each(dialects())('交接 when someone leaves (%s)', (dialect) => {
  let sb: Sandbox;
  afterEach(() => sb?.close());
  afterAll(dropCreatedDatabases);

  const walkIn = async (takenBy: string, text: string) => {
    const res = await sb.h.fetch('/api/v1/requests', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ village: 'guangou', text, channel: 'visit', receivedAt: '2026-11-26T09:00:00+08:00', reporterName: '王大爷', takenBy }),
    });
    expect(res.status).toBe(201);
    return json(res);
  };

  it("lists the leaver's open requests, sends their secretary a 交接 card, and hands each over on a tap", async () => {
    sb = await startSandbox(dialect);
    const v = await sb.villager('袁志弟');
    const a = await walkIn('zhangsan', '申请修缮危房');
    const req = await sb.report(v, '村道边的排水沟堵了');
    await sb.send('zhangsan', '日记 4 调解宅基地纠纷');
    await sb.send('zhangsan', `进展 ${a.code} 已上门查看`);

    const s = await sb.h.app.importOrg(orgWithout('zhangsan'));
    expect(s.people.deactivated).toBe(1);
    expect(s.leaving).toEqual([{ personId: 'zhangsan', name: '张三', diaryEntries: 2, requests: [expect.objectContaining({ code: a.code, status: 'accepted' })] }]);
    await sb.h.app.settle();

    const card = await sb.card('li', a.code, '交接：张三已离岗');
    expect(card.buttons.map((b) => b.label)).toEqual(['交接']);
    expect(card.fields).toContainEqual({ label: '原负责人', value: '张三' });
    expect(card.select?.key).toBe('handover_to');
    expect(card.select?.options.map((o) => o.id)).toEqual(['li', 'luo', 'sun', 'zhao']);
    for (const who of ['wang', 'luo']) expect((await sb.cards(who)).filter((c) => c.title.startsWith('交接'))).toEqual([]);

    // Nobody else may hand it over; the choice is needed.
    await sb.tap('li', card, '交接');
    expect(await sb.last('li')).toBe('请先在卡片上选择交给谁，再点“交接”（或发送：交接 编号 姓名）。');
    expect(await sb.during('luo', () => sb.send('luo', `交接 ${a.code} 罗先运`))).toEqual(['交接由该村党组织书记或镇领导办理，且只用于已离岗人员负责的事项。']);

    const toLuo = await sb.during('luo', () => sb.tap('li', card, '交接', { handover_to: ['luo'] }));
    expect(toLuo).toEqual([`张三已离岗，李四把事项 ${a.code} 交给您负责，您现在是首问责任人，请查看卡片继续办理。`]);
    expect(await sb.last('li')).toBe(`事项 ${a.code} 已由张三交接给罗先运。`);
    const after = await sb.req(a.id);
    expect(after.owner).toEqual({ id: 'luo', name: '罗先运' });
    expect(after.events.map((e: any) => [e.type, e.actor])).toEqual([
      ['received', 'person:zhangsan'],
      ['accepted', 'person:zhangsan'],
      ['progress', 'person:zhangsan'],
      ['owner_left', 'system'],
      ['handover', 'person:li'],
      ['held_message', 'system'], // a walk-in has no chat: the new owner is asked to phone the villager
    ]);
    expect(after.events.at(-2).data).toEqual({ from: 'zhangsan', to: 'luo' });
    expect((await sb.card('luo', a.code, '请电话告知群众')).fields).toContainEqual({ label: '待告知', value: `您反映的问题（编号 ${a.code}）原负责人已调离，现由罗先运负责办理。` });
    expect((await sb.card('li', a.code, '交接：张三已离岗')).closedNote).toBe('已由张三交接给罗先运');
    expect((await sb.card('luo', a.code, '您负责的群众诉求')).buttons.map((b) => b.label)).toContain('办结');
    // The new owner works it; a later import sends no second card.
    await sb.send('luo', `办结 ${a.code} 已安排修缮`);
    await sb.h.app.importOrg(orgWithout('zhangsan'));
    await sb.h.app.settle();
    expect((await sb.cards('li')).filter((c) => c.title.startsWith('交接'))).toHaveLength(1);
    // A request whose owner is still here cannot be handed over.
    await sb.accept('li', req.code);
    expect(await sb.during('wang', () => sb.send('wang', `交接 ${req.code} 罗先运`))).toEqual(['交接由该村党组织书记或镇领导办理，且只用于已离岗人员负责的事项。']);
  });

  it("goes to the township leaders when the one leaving is the village secretary; the diary stays exportable", async () => {
    sb = await startSandbox(dialect);
    const req = await sb.report(await sb.villager('袁志弟'), '路灯坏了');
    await sb.accept('li', req.code);
    await sb.send('li', '日记 走访三组');
    await sb.h.app.importOrg(orgWithout('li', (org) => {
      delete org.villages[0].secretary;
      delete org.villages[0].director;
    }));
    await sb.h.app.settle();
    for (const who of ['wang', 'chen']) expect((await sb.card(who, req.code)).title).toBe('交接：李四已离岗');
    const said = await sb.during('zhangsan', () => sb.send('chen', `交接 ${req.code} 张三`));
    expect(said[0]).toMatch(/^李四已离岗，陈丽把事项 .* 交给您负责/);
    expect(await sb.during('wang', () => sb.send('wang', `交接 ${req.code} 罗先运`))).toEqual(['交接由该村党组织书记或镇领导办理，且只用于已离岗人员负责的事项。']);
    expect((await sb.req(req.id)).owner.id).toBe('zhangsan');
    expect(await sb.last(await sb.villager('袁志弟'))).toBe(`您反映的问题（编号 ${req.code}）原负责人已调离，现由张三负责办理。联系电话：13800000002。`);

    const res = await sb.h.fetch('/api/v1/diary/li', { headers: { authorization: `Bearer ${ADMIN}` } });
    const x = await json(res);
    expect(x.person).toEqual({ id: 'li', name: '李四', title: '关沟村党支部书记', active: false });
    expect(x.archived).toEqual([{ archivedAt: '2026-11-26T10:00:00+08:00', entries: 1, firstAt: '2026-11-26T10:00:00+08:00', lastAt: '2026-11-26T10:00:00+08:00' }]);
    expect(x.entries.map((e: any) => [e.kindLabel, e.categoryLabel, e.text])).toEqual([['日记', '其他', '走访三组']]);
    const csv = Buffer.from(await (await sb.h.fetch('/api/v1/diary/li.csv', { headers: { authorization: `Bearer ${ADMIN}` } })).arrayBuffer()).toString('utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFF时间,类型,分类/季度,事项编号,走访户/审阅人,内容,事由,办理结果');
    expect(csv).toContain(',日记,其他,,,走访三组,,');
    expect((await sb.h.fetch('/api/v1/diary/nobody', { headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(404);
    expect((await sb.h.fetch('/api/v1/diary/li')).status).toBe(401);
  });
});

describe.each(dialects())('npx minqing org import names the open requests of who left (%s)', (dialect) => {
  const saved = process.env.DATABASE_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });
  afterAll(dropCreatedDatabases);

  it('prints each person deactivated with their open requests, and sends the cards', async () => {
    const url = await freshDatabaseUrl(dialect);
    process.env.DATABASE_URL = url;
    const out: string[] = [];
    expect(await run(['org', 'import', 'org.example.json'], (s) => out.push(s))).toBe(0);
    const db = new Db(await openDatabase(url), url);
    try {
      await db.tx(async (r) => {
        const req = await r.requests.insert({ villageId: 'guangou', category: 7, level: 'village', text: '垃圾池满了没人清运', reporterVillagerId: null, reporterName: '王大爷', channel: 'visit', replyTo: null, receivedAt: Date.parse('2026-11-24T09:00:00+08:00') });
        await r.requests.transition(req, ['pending'], { status: 'accepted', ownerId: 'zhangsan', acceptedAt: req.receivedAt, deadline: req.receivedAt + 86_400_000 });
      });
      expect(await run(['org', 'import', orgWithout('zhangsan')], (s) => out.push(s))).toBe(0);
      expect(out.slice(1)).toEqual([
        '已导入 县河镇 / imported: people +0 ~0 -1, villages +0 ~1 -0, villagers +0 ~0 -0',
        '离岗 / left: 张三 (zhangsan)，民情日记 0 篇已归档 / diary archived；在办 1 件 / open requests: 1，已发交接卡片 / handover cards sent',
        '  20261124-001【办理中】垃圾池满了没人清运',
      ]);
      const cards = await db.query<{ kind: string; n: number }>("SELECT kind, COUNT(*) n FROM card WHERE kind = 'handover' GROUP BY kind");
      expect(cards.map((c) => Number(c.n))).toEqual([1]);
      const sent = await db.query<{ n: number }>("SELECT COUNT(*) n FROM outbox_message WHERE kind = 'card' AND status = 'sent'");
      expect(Number(sent[0].n)).toBe(1);
    } finally {
      await db.close();
    }
  });
});
