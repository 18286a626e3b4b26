import type { Person, Village } from '../../src/domain/directory';
import { dashboardVillages, inRemit, ledgerRemit, mayReadDiary, mayReadSupervision } from '../../src/domain/page-remit';

/** Who sees what on the report pages: org.example.json's shape, by hand. */
const person = (id: string, roles: Person['roles'], title: string | null = null, active = true): Person => ({
  id,
  name: id,
  roles,
  title,
  phone: null,
  ids: {},
  lastPlatform: null,
  active,
});
const village = (id: string, secretaryId: string, cadreIds: string[], residentIds: string[], directorId: string | null = null): Village => ({
  id,
  name: id,
  residentIds,
  cadreIds,
  secretaryId,
  duty: {},
  active: true,
  directorId,
});
const people = [
  person('wang', ['leader'], '镇党委书记'),
  person('chen', ['leader'], '副镇长'),
  person('zhao', ['township_office'], '站长'),
  person('xian', ['county_centre']),
  person('luo', ['resident_cadre']),
  person('li', ['village_cadre'], '关沟村党支部书记'),
  person('zhangsan', ['village_cadre']),
  person('liuming', ['village_cadre']),
  person('zhoufang', ['village_cadre']),
  person('gone', ['leader'], null, false),
];
const villages = [village('guangou', 'li', ['li', 'zhangsan'], ['luo']), village('baiya', 'liuming', ['liuming'], [], 'zhoufang')];
const org = { activePeople: () => people.filter((p) => p.active), activeVillages: () => villages };
const p = (id: string) => people.find((x) => x.id === id)!;

describe('page remits', () => {
  it('gives the dashboard to leaders (all) and village secretaries (their village) only', () => {
    expect(dashboardVillages(org, p('wang'))).toBeNull();
    expect([...dashboardVillages(org, p('li'))!]).toEqual(['guangou']);
    for (const id of ['zhao', 'xian', 'luo', 'zhangsan', 'zhoufang', 'gone']) expect([id, dashboardVillages(org, p(id))]).toEqual([id, undefined]);
  });

  it('gives the ledger of the township to leaders, the office and the county centre, of a village to those who work in it', () => {
    for (const id of ['wang', 'zhao', 'xian']) expect(ledgerRemit(org, p(id))!.villages).toBeNull();
    expect([...ledgerRemit(org, p('luo'))!.villages!]).toEqual(['guangou']);
    expect([...ledgerRemit(org, p('zhangsan'))!.villages!]).toEqual(['guangou']);
    expect([...ledgerRemit(org, p('zhoufang'))!.villages!]).toEqual(['baiya']);
    expect(ledgerRemit(org, p('gone'))).toBeUndefined();
  });

  it('counts a request in the remit by its village, or by the viewer owning or handling it', () => {
    const li = ledgerRemit(org, p('li'))!;
    expect(inRemit(li, { villageId: 'guangou', ownerId: 'x' }, [])).toBe(true);
    expect(inRemit(li, { villageId: 'baiya', ownerId: 'x' }, [])).toBe(false);
    expect(inRemit(li, { villageId: 'baiya', ownerId: 'li' }, [])).toBe(true);
    expect(inRemit(li, { villageId: null, ownerId: 'x' }, ['li'])).toBe(true);
    expect(inRemit(li, { villageId: null, ownerId: 'x' }, [])).toBe(false);
    expect(inRemit(ledgerRemit(org, p('wang'))!, { villageId: null, ownerId: null }, [])).toBe(true);
  });

  it('opens a diary to its keeper, their reviewers and leaders', () => {
    expect(mayReadDiary(org, p('zhangsan'), 'zhangsan')).toBe(true);
    expect(mayReadDiary(org, p('li'), 'zhangsan')).toBe(true); // 村书记 reviews the 两委
    expect(mayReadDiary(org, p('chen'), 'luo')).toBe(true); // a leader
    expect(mayReadDiary(org, p('zhangsan'), 'li')).toBe(false);
    expect(mayReadDiary(org, p('liuming'), 'zhangsan')).toBe(false);
    expect(mayReadDiary(org, p('zhao'), 'li')).toBe(false);
    expect(mayReadDiary(org, p('gone'), 'li')).toBe(false);
  });

  it('opens a 督办单 to leaders, its person, its issuer, and the remit of its request', () => {
    const s = { personId: 'li', issuedBy: 'chen' };
    expect(mayReadSupervision(p('wang'), s, false)).toBe(true);
    expect(mayReadSupervision(p('li'), s, false)).toBe(true);
    expect(mayReadSupervision(p('zhangsan'), s, true)).toBe(true);
    expect(mayReadSupervision(p('zhoufang'), s, false)).toBe(false);
  });
});
