import fs from 'node:fs';
import { Db } from '../src/db/db';
import { openDatabase } from '../src/db/data-source';
import { PersonRow, PlatformIdentityRow, VillageRow, VillagerRow } from '../src/db/entities';
import { AddressBook, Directory } from '../src/domain/directory';
import { OrgFile, parseOrg } from '../src/domain/org';
import { importOrg, loadDirectory } from '../src/services/org-import';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from './helpers/db';

/** docs/interface.md#org-file / : org import is idempotent; people are deactivated, never deleted. */
const EXAMPLE = JSON.parse(fs.readFileSync('org.example.json', 'utf8'));
const T0 = Date.parse('2026-11-20T09:00:00+08:00');
const later = (days: number) => T0 + days * 86_400_000;

/** org.example.json, changed by `edit` (on a deep copy), validated like a real file. */
function org(edit: (o: any) => void = () => undefined): OrgFile {
  const o = structuredClone(EXAMPLE);
  edit(o);
  return parseOrg(o);
}

const withoutPerson = (o: any, id: string) => {
  o.people = o.people.filter((p: any) => p.id !== id);
  for (const v of o.villages) {
    v.resident = v.resident.filter((x: string) => x !== id);
    v.cadres = v.cadres.filter((x: string) => x !== id);
    if (v.secretary === id) delete v.secretary;
    for (const d of Object.keys(v.duty)) v.duty[d] = v.duty[d].filter((x: string) => x !== id);
  }
};

/** The directory's platforms, as far as these tests need them: WeCom and DingTalk ids in their realms. */
const book = (names: ('wecom' | 'dingtalk')[]): AddressBook => ({
  names,
  platformOf: (realm) => (names.includes(realm as never) ? { name: realm as never } : undefined),
  address: (realm, userId) => ({ platform: realm as never, channel: 'app', userId }),
});

describe.each(dialects())('org import (%s)', (dialect) => {
  let db: Db;
  // Platform ids live in platform_identity; the rows are read back with them, as `wecomId` / `dingtalkId`.
  const ids = () => db.ds.getRepository(PlatformIdentityRow).find({ order: { id: 'ASC' } });
  const idOf = (list: PlatformIdentityRow[], realm: string, owner: { personId?: string; villagerId?: number }) =>
    list.find((i) => i.realm === realm && (owner.personId ? i.personId === owner.personId : i.villagerId === owner.villagerId))?.userId ?? null;
  const withIds = async <T extends { id: string | number }>(rows: T[]) => {
    const all = await ids();
    return rows.map((r) => {
      const owner = typeof r.id === 'string' ? { personId: r.id } : { villagerId: r.id };
      return { ...r, wecomId: idOf(all, 'wecom', owner), dingtalkId: idOf(all, 'dingtalk', owner) };
    });
  };
  const people = async () => withIds(await db.ds.getRepository(PersonRow).find({ order: { id: 'ASC' } }));
  const villages = () => db.ds.getRepository(VillageRow).find({ order: { id: 'ASC' } });
  const villagers = async () => withIds(await db.ds.getRepository(VillagerRow).find({ order: { id: 'ASC' } }));
  const person = async (id: string) => (await withIds([await db.ds.getRepository(PersonRow).findOneByOrFail({ id })]))[0];
  const villager = async (name: string) => withIds(await db.ds.getRepository(VillagerRow).findBy({ name }));
  const villagerById = async (id: number) => (await withIds([await db.ds.getRepository(VillagerRow).findOneByOrFail({ id })]))[0];
  /** A villager first met on a platform (not in the org file), with that platform's id. */
  const metOn = async (realm: string, userId: string, row: Partial<VillagerRow>) => {
    const v = await db.ds.getRepository(VillagerRow).save({ name: null, villageId: null, phone: null, ...row } as VillagerRow);
    await db.ds.getRepository(PlatformIdentityRow).insert({ realm, userId, personId: null, villagerId: v.id, lastInAt: null, windowOut: 0, createdAt: T0 });
    return v;
  };
  const snapshot = async () => JSON.stringify([await people(), await villages(), await villagers(), await ids()]);

  beforeEach(async () => {
    const url = await freshDatabaseUrl(dialect);
    db = new Db(await openDatabase(url), url);
  });
  afterEach(() => db.close());
  afterAll(dropCreatedDatabases);

  it('imports the demo township, and importing it again changes nothing', async () => {
    const first = await importOrg(db, org(), T0);
    expect(first).toEqual({
      township: '县河镇',
      people: { added: 14, updated: 0, deactivated: 0 },
      villages: { added: 3, updated: 0, deactivated: 0 },
      villagers: { added: 4, updated: 0, deactivated: 0 },
      left: [],
      leaving: [],
    });
    const before = await snapshot();
    const second = await importOrg(db, org(), later(1));
    expect(second).toEqual({ township: '县河镇', people: { added: 0, updated: 0, deactivated: 0 }, villages: { added: 0, updated: 0, deactivated: 0 }, villagers: { added: 0, updated: 0, deactivated: 0 }, left: [], leaving: [] });
    expect(await snapshot()).toBe(before); // not even updated_at moved
  });

  it('updates what changed and counts it', async () => {
    await importOrg(db, org(), T0);
    const s = await importOrg(db, org((o) => {
      o.people.find((p: any) => p.id === 'li').phone = '13900000009';
      o.villages[0].duty.mon = ['zhangsan'];
      o.villagers[1].village = 'baiya';
    }), later(1));
    expect(s.people).toEqual({ added: 0, updated: 1, deactivated: 0 });
    expect(s.villages).toEqual({ added: 0, updated: 1, deactivated: 0 });
    expect(s.villagers).toEqual({ added: 0, updated: 1, deactivated: 0 });
    expect((await person('li')).phone).toBe('13900000009');
    expect((await villager('马桂兰'))[0].villageId).toBe('baiya');
  });

  it('deactivates removed people, villages and villagers without deleting them, and brings them back', async () => {
    await importOrg(db, org(), T0);
    const ids = (await villagers()).map((v) => v.id);
    const s = await importOrg(db, org((o) => {
      withoutPerson(o, 'zhangsan');
      o.villages = o.villages.filter((v: any) => v.id !== 'cailiang');
      for (const id of ['wuwei', 'zhenghong', 'tang']) withoutPerson(o, id);
      o.villagers = o.villagers.filter((v: any) => v.village !== 'cailiang' && v.name !== '马桂兰');
    }), later(1));
    expect(s.people.deactivated).toBe(4);
    expect(s.villages.deactivated).toBe(1);
    expect(s.villagers.deactivated).toBe(2);
    expect(await people()).toHaveLength(14);
    expect((await people()).filter((p) => !p.active).map((p) => p.id).sort()).toEqual(['tang', 'wuwei', 'zhangsan', 'zhenghong']);
    expect((await villages()).find((v) => v.id === 'cailiang')).toMatchObject({ active: false, name: '财梁村' });
    expect((await villagers()).map((v) => v.id)).toEqual(ids);
    expect((await villager('马桂兰'))[0].active).toBe(false);

    const dir = new Directory(book(['wecom']));
    await loadDirectory(db, dir);
    expect(dir.knows('wecom', 'MaGuiLan')).toBe(false);
    expect(dir.knows('wecom', 'YuanZhiDi')).toBe(true);

    const back = await importOrg(db, org(), later(2));
    expect(back.people.deactivated + back.villages.deactivated + back.villagers.deactivated).toBe(0);
    expect((await people()).every((p) => p.active)).toBe(true);
    expect((await villagers()).map((v) => [v.id, v.active])).toEqual(ids.map((id) => [id, true]));
    expect((await person('zhangsan')).wecomId).toBe('ZhangSan');
  });

  it('lets platform ids swap between people in one import', async () => {
    await importOrg(db, org(), T0);
    const s = await importOrg(db, org((o) => {
      const li = o.people.find((p: any) => p.id === 'li');
      const zs = o.people.find((p: any) => p.id === 'zhangsan');
      [li.wecom, zs.wecom] = [zs.wecom, li.wecom];
      [li.dingtalk, zs.dingtalk] = [zs.dingtalk, li.dingtalk];
    }), later(1));
    expect(s.people.updated).toBe(2);
    expect(await person('li')).toMatchObject({ wecomId: 'ZhangSan', dingtalkId: '0452' });
    expect(await person('zhangsan')).toMatchObject({ wecomId: 'LiSi', dingtalkId: '0451' });
  });

  it('gives a removed person\'s platform id to their successor', async () => {
    await importOrg(db, org(), T0);
    await importOrg(db, org((o) => {
      withoutPerson(o, 'wuwei');
      o.people.push({ id: 'wuwei2', name: '吴新', roles: ['village_cadre'], wecom: 'WuWei', dingtalk: '0471' });
      o.villages[2].cadres.push('wuwei2');
    }), later(1));
    expect(await person('wuwei')).toMatchObject({ active: false });
    expect(await person('wuwei2')).toMatchObject({ active: true, wecomId: 'WuWei', dingtalkId: '0471' });
    const dir = new Directory(book(['wecom', 'dingtalk']));
    await loadDirectory(db, dir);
    expect(dir.personByPlatformId('wecom', 'WuWei')?.id).toBe('wuwei2');
  });

  it.each(['after', 'before'])('moves a villager\'s WeCom id to a new villager listed %s them, keeping who is who', async (where) => {
    await importOrg(db, org(), T0);
    const [yuan] = await villager('袁志弟');
    await importOrg(db, org((o) => {
      const old = o.villagers.find((v: any) => v.name === '袁志弟');
      delete old.wecom;
      const young = { name: '袁小弟', village: 'guangou', wecom: 'YuanZhiDi' };
      if (where === 'after') o.villagers.push(young);
      else o.villagers.unshift(young);
    }), later(1));
    expect((await villager('袁志弟')).map((v) => [v.id, v.wecomId, v.active])).toEqual([[yuan.id, null, true]]);
    const [young] = await villager('袁小弟');
    expect(young.id).not.toBe(yuan.id);
    expect(young.wecomId).toBe('YuanZhiDi');
  });

  it('swaps WeCom ids between two villagers in one import', async () => {
    await importOrg(db, org(), T0);
    const [yuan] = await villager('袁志弟');
    const [ma] = await villager('马桂兰');
    await importOrg(db, org((o) => {
      o.villagers[0].wecom = 'MaGuiLan';
      o.villagers[1].wecom = 'YuanZhiDi';
    }), later(1));
    expect(await villagerById(yuan.id)).toMatchObject({ name: '袁志弟', wecomId: 'MaGuiLan' });
    expect(await villagerById(ma.id)).toMatchObject({ name: '马桂兰', wecomId: 'YuanZhiDi' });
  });

  it('renames a villager who keeps their WeCom id, and adopts a DingTalk villager once they are listed', async () => {
    await importOrg(db, org(), T0);
    const [yuan] = await villager('袁志弟');
    const stranger = await metOn('dingtalk', '2001', { source: 'dingtalk', askedVillage: true, active: true, createdAt: T0 });
    const kf = await metOn('wecom_kf', 'wmSomeone', { source: 'kf', askedVillage: false, active: true, createdAt: T0 });
    const s = await importOrg(db, org((o) => {
      o.villagers[0].name = '袁志第';
      o.villagers.push({ name: '钉钉村民', village: 'baiya', dingtalk: '2001' });
    }), later(1));
    expect(s.villagers).toEqual({ added: 0, updated: 2, deactivated: 0 });
    expect(await villagerById(yuan.id)).toMatchObject({ name: '袁志第', wecomId: 'YuanZhiDi' });
    expect(await villagerById(stranger.id)).toMatchObject({ name: '钉钉村民', villageId: 'baiya', source: 'org' });
    expect(await villagerById(kf.id)).toMatchObject({ source: 'kf', active: true });
    expect(await importOrg(db, org((o) => {
      o.villagers[0].name = '袁志第';
      o.villagers.push({ name: '钉钉村民', village: 'baiya', dingtalk: '2001' });
    }), later(2))).toMatchObject({ villagers: { added: 0, updated: 0, deactivated: 0 } });
  });
});
