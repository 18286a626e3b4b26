import fs from 'node:fs';
import { Db } from '../../src/db/db';
import { openDatabase } from '../../src/db/data-source';
import { PersonRow, VillageRow } from '../../src/db/entities';
import { Directory, NO_PLATFORMS } from '../../src/domain/directory';
import { parseOrg } from '../../src/domain/org';
import { importOrg, loadDirectory } from '../../src/services/org-import';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';

/** township duty, a village's director and 责任片, a person's position and the catalogue's changes survive import. */
const EXAMPLE = JSON.parse(fs.readFileSync('org.example.json', 'utf8'));
const T0 = Date.parse('2026-11-20T09:00:00+08:00');

describe.each(dialects())('org import of the year’s fields (%s)', (dialect) => {
  let db: Db;
  beforeEach(async () => {
    const url = await freshDatabaseUrl(dialect);
    db = new Db(await openDatabase(url), url);
  });
  afterEach(() => db.close());
  afterAll(dropCreatedDatabases);

  const loaded = async () => {
    const dir = new Directory(NO_PLATFORMS);
    await loadDirectory(db, dir);
    return dir;
  };

  it('keeps township duty, director, areas, position and matters, and a second import changes nothing', async () => {
    const org = parseOrg(EXAMPLE);
    expect(org.township.duty).toBeDefined(); // the demo township has one
    await importOrg(db, org, T0);
    const dir = await loaded();
    expect(dir.townshipDutyOn('2026-10-01').map((p) => p.id)).toEqual(org.township.duty!['2026-10-01']);
    expect(dir.townshipDutyOn('2026-11-28').map((p) => p.id)).toEqual(org.township.duty!.sat);
    expect(dir.village('guangou')?.directorId).toBe(org.villages[0].director);
    expect(dir.person('wang')?.position).toBe('party_secretary');
    const snapshot = JSON.stringify([await db.ds.getRepository(PersonRow).find({ order: { id: 'ASC' } }), await db.ds.getRepository(VillageRow).find({ order: { id: 'ASC' } })]);
    const again = await importOrg(db, org, T0 + 86_400_000);
    expect([again.people.updated, again.villages.updated]).toEqual([0, 0]);
    expect(JSON.stringify([await db.ds.getRepository(PersonRow).find({ order: { id: 'ASC' } }), await db.ds.getRepository(VillageRow).find({ order: { id: 'ASC' } })])).toBe(snapshot);
  });

  it('picks up changed duty and fields on the next load, and drops them when the file drops them', async () => {
    await importOrg(db, parseOrg(EXAMPLE), T0);
    const edited = structuredClone(EXAMPLE);
    edited.township.duty = { sun: ['zhao'], '2026-10-01': ['chen'] };
    edited.villages[0].areas = { zhangsan: ['1组', '3组'] };
    edited.matters = [{ id: 'dibao', where: '村委会受理，镇社会事务办审核。' }, { id: 'hunyu', off: true }];
    const s = await importOrg(db, parseOrg(edited), T0 + 1);
    expect(s.villages.updated).toBe(1);
    let dir = await loaded();
    expect(dir.townshipDutyOn('2026-10-01').map((p) => p.id)).toEqual(['chen']);
    expect(dir.townshipDutyOn('2026-11-28')).toEqual([]);
    expect(dir.village('guangou')?.areas).toEqual({ zhangsan: ['1组', '3组'] });
    expect(dir.catalogue().find((m) => m.id === 'dibao')?.where).toBe('村委会受理，镇社会事务办审核。');
    expect(dir.catalogue().some((m) => m.id === 'hunyu')).toBe(false);

    const bare = structuredClone(EXAMPLE);
    delete bare.township.duty;
    for (const v of bare.villages) delete v.director;
    for (const p of bare.people) delete p.position;
    await importOrg(db, parseOrg(bare), T0 + 2);
    dir = await loaded();
    expect(dir.townshipDutyOn('2026-10-01')).toEqual([]);
    expect(dir.village('guangou')?.directorId).toBeNull();
    expect(dir.village('guangou')?.areas).toBeNull(); // the demo gives no 责任片
    expect(dir.person('wang')?.position).toBeNull();
    expect(dir.catalogue().some((m) => m.id === 'hunyu')).toBe(true);
  });
});
