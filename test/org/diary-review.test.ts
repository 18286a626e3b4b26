import fs from 'node:fs';
import { diaryDuties, diaryKeepers, positionOf, reviewersOf, reviewPlan } from '../../src/domain/diary-review';
import { parseOrg } from '../../src/domain/org';
import { directoryOf } from '../helpers/org-dir';

/** Seed 002 §二 / §四.(二): who keeps a 民情日记, and who reviews whose. */
function org(edit: (o: any) => void = () => undefined): any {
  const o: any = {
    township: { name: '大涌镇' },
    people: [
      { id: 'wang', name: '王建国', title: '镇党委书记', roles: ['leader'] },
      { id: 'chen', name: '陈丽', title: '分管副镇长', roles: ['leader'] },
      { id: 'liu', name: '刘强', title: '专职副书记', roles: ['leader'] },
      { id: 'zhou', name: '周敏', roles: ['leader'], position: 'organization_member' },
      { id: 'zhao', name: '赵平', title: '镇民情处理站站长', roles: ['township_office'] },
      { id: 'office', name: '镇民情处理站', roles: ['township_office'], position: 'shared_account' },
      { id: 'xian', name: '县民情中心', roles: ['county_centre'] },
      { id: 'luo', name: '罗先运', title: '驻关沟村干部', roles: ['resident_cadre'] },
      { id: 'li', name: '李四', title: '关沟村党支部书记', roles: ['village_cadre'] },
      { id: 'zhangsan', name: '张三', title: '关沟村委会主任', roles: ['village_cadre'] },
      { id: 'wuwei', name: '吴伟', roles: ['village_cadre'] },
      { id: 'zheng', name: '郑红', roles: ['village_cadre'] },
    ],
    villages: [
      { id: 'guangou', name: '关沟村', resident: ['luo'], cadres: ['li', 'zhangsan'], secretary: 'li', director: 'zhangsan', duty: {} },
      { id: 'cailiang', name: '财梁村', resident: [], cadres: ['wuwei', 'zheng'], duty: {} }, // no secretary in the file
    ],
  };
  edit(o);
  return o;
}

describe('positionOf', () => {
  it.each([
    [{ roles: ['leader'], title: '镇党委书记' }, 'party_secretary'],
    [{ roles: ['leader'], title: '镇党委副书记' }, 'deputy_secretary'],
    [{ roles: ['leader'], title: '专职副书记' }, 'deputy_secretary'],
    [{ roles: ['leader'], title: '组织委员' }, 'organization_member'],
    [{ roles: ['leader'], title: '纪委书记' }, 'team_member'],
    [{ roles: ['leader'], title: '分管副镇长' }, 'team_member'],
    [{ roles: ['leader'], title: null }, 'team_member'],
    [{ roles: ['township_office'], title: '党政办干事' }, 'township_staff'],
    [{ roles: ['resident_cadre'], title: '驻白垭村干部' }, 'township_staff'],
    [{ roles: ['county_centre'], title: '县委督查室' }, 'shared_account'],
    [{ roles: ['village_cadre'], title: '关沟村党支部书记' }, null],
    [{ roles: ['leader'], title: '镇党委书记', position: 'team_member' }, 'team_member'], // the file's position wins
    [{ roles: ['leader'], title: '镇长', position: 'no_such' }, 'team_member'], // an unknown stored value is ignored
  ])('%j → %s', (p, want) => expect(positionOf(p as any)).toBe(want));
});

describe('who keeps a diary', () => {
  it('every township civil servant, resident cadre and village cadre — not shared accounts or the county', () => {
    expect(diaryKeepers(directoryOf(org())).map((p) => p.id)).toEqual(['wang', 'chen', 'liu', 'zhou', 'zhao', 'luo', 'li', 'zhangsan', 'wuwei', 'zheng']);
    expect(diaryKeepers(directoryOf(org(), ['zhao'])).map((p) => p.id)).not.toContain('zhao');
  });
});

describe('who reviews whose diary', () => {
  const dir = directoryOf(org());
  it('follows seed 002: 书记 → 班子; 副书记 and 组织委员 → 机关干部, 驻村干部, 村书记; 村书记 → 两委', () => {
    expect(diaryDuties(dir)).toEqual([
      { personId: 'wang', group: 'top', reviewers: [] },
      { personId: 'chen', group: 'team', reviewers: ['wang'] },
      { personId: 'liu', group: 'team', reviewers: ['wang'] },
      { personId: 'zhou', group: 'team', reviewers: ['wang'] },
      { personId: 'zhao', group: 'staff', reviewers: ['liu', 'zhou'] },
      { personId: 'luo', group: 'staff', reviewers: ['liu', 'zhou'] },
      { personId: 'li', group: 'village_secretary', reviewers: ['liu', 'zhou'] },
      { personId: 'zhangsan', group: 'village_member', reviewers: ['li'] },
      // 财梁村 names no secretary: its 两委 go to the deputy secretary and the organization member.
      { personId: 'wuwei', group: 'village_member', reviewers: ['liu', 'zhou'] },
      { personId: 'zheng', group: 'village_member', reviewers: ['liu', 'zhou'] },
    ]);
    expect(reviewersOf(dir, 'zhangsan')).toEqual(['li']);
    expect(reviewersOf(dir, 'xian')).toEqual([]);
  });
  it('gives each reviewer their list', () => {
    expect(reviewPlan(dir)).toEqual([
      { reviewerId: 'wang', reviewees: ['chen', 'liu', 'zhou'] },
      { reviewerId: 'liu', reviewees: ['zhao', 'luo', 'li', 'wuwei', 'zheng'] },
      { reviewerId: 'zhou', reviewees: ['zhao', 'luo', 'li', 'wuwei', 'zheng'] },
      { reviewerId: 'li', reviewees: ['zhangsan'] },
    ]);
  });
  it('falls back to the party secretary, then the 班子, when the file has no 副书记 or 组织委员', () => {
    const noDeputy = directoryOf(org((o) => (o.people = o.people.filter((p: any) => !['liu', 'zhou'].includes(p.id)))));
    expect(reviewersOf(noDeputy, 'luo')).toEqual(['wang']);
    const noSecretary = directoryOf(org((o) => (o.people = o.people.filter((p: any) => !['liu', 'zhou', 'wang'].includes(p.id)))));
    expect(reviewersOf(noSecretary, 'luo')).toEqual(['chen']);
    expect(reviewersOf(noSecretary, 'chen')).toEqual([]); // nobody reviews their own
  });
  it('an inactive secretary hands their village’s 两委 to the 副书记 / 组织委员', () => {
    expect(reviewersOf(directoryOf(org(), ['li']), 'zhangsan')).toEqual(['liu', 'zhou']);
  });
  it('reads the demo township, whose file has positions, without complaint', () => {
    const demo = directoryOf(JSON.parse(fs.readFileSync('org.example.json', 'utf8')));
    expect(reviewersOf(demo, 'chen')).toEqual(['wang']);
    expect(reviewersOf(demo, 'luo')).toEqual(['wang']); // no 副书记 in the demo
    expect(reviewersOf(demo, 'zhangsan')).toEqual(['li']);
    expect(diaryKeepers(demo).map((p) => p.id)).not.toContain('xian');
    expect(() => parseOrg(org((o) => (o.people[0].position = 'mayor')))).toThrow(/people\.0\.position/);
  });
});
